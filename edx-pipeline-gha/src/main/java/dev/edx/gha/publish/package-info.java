/**
 * {@code edx gha publish}: the lake's events of an hour sent to a Kafka topic of a stream data
 * store ({@link dev.edx.api.StreamStore}), keyed by repository, once per hour for a reader of
 * committed data ({@link dev.edx.gha.publish.EventPublisher}).
 */
package dev.edx.gha.publish;
