package io.playbill.infra.test;

import io.playbill.infra.kafka.PlaybillTopics;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;

/**
 * Kafka (the Apache image, KRaft) and PostgreSQL in Docker containers, started by Testcontainers. The only class that
 * touches Testcontainers, so the rest of this module runs without it on the class path. The images can be changed
 * with {@code -Dplaybill.test.kafka.image} and {@code -Dplaybill.test.postgres.image}.
 */
final class Containers implements AutoCloseable {

    /** The broker version the embedded one runs (3.9), and the PostgreSQL major version of the embedded binaries. */
    private static final String KAFKA_IMAGE = System.getProperty("playbill.test.kafka.image", "apache/kafka:3.9.1");
    private static final String POSTGRES_IMAGE = System.getProperty("playbill.test.postgres.image",
            "postgres:17-alpine");

    private final KafkaContainer kafka;
    private final PostgreSQLContainer<?> postgres;

    private Containers(KafkaContainer kafka, PostgreSQLContainer<?> postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** Starts both containers (side by side) and creates the platform's topics, as the embedded broker does. */
    static Containers start() {
        // Settings the embedded broker has too: topics only as PlaybillTopics defines them, no rebalance delay.
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "6");
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(POSTGRES_IMAGE)
                .withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off");
        Containers containers = new Containers(kafka, postgres);
        try {
            Startables.deepStart(kafka, postgres).join();
            PlaybillTopics.createMissing(kafka.getBootstrapServers(), (short) 1);
        } catch (RuntimeException e) {
            containers.close();
            throw e;
        }
        return containers;
    }

    String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    /** The container's server, on which its (super) user creates each test class's database. */
    PostgresServer postgres() {
        return PostgresServer.external(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(),
                "PostgreSQL in a container (" + POSTGRES_IMAGE + ")");
    }

    String description() {
        return "Kafka in a container (" + KAFKA_IMAGE + ")";
    }

    @Override
    public void close() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}
