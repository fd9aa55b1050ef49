/**
 * The {@code kafka} data store provider: Kafka clusters declared under {@code spec.datastores},
 * handed to code as {@link dev.edx.provider.kafka.KafkaStore}s (client properties and an admin
 * client), their topics provisioned with edx's ownership rules.
 */
package dev.edx.provider.kafka;
