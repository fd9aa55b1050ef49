/**
 * A Kafka broker in KRaft mode run in-process on a data folder: {@link
 * dev.edx.kafka.broker.KafkaBrokerServer}. Its own module because Kafka's server (and Scala) is
 * large; the {@code kafka} data store provider is its client and does not depend on it.
 */
package dev.edx.kafka.broker;
