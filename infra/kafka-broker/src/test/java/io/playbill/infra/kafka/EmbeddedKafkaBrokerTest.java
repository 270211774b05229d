package io.playbill.infra.kafka;

import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path data;

    /** acks=all is only as strong as min.insync.replicas: with three replicas, two must hold every write. */
    @Test
    void everyTopicKeepsAnAcknowledgedWriteOnTwoReplicasOfThree() {
        assertThat(PlaybillTopics.all((short) 3)).allSatisfy(topic -> {
            assertThat(topic.configs()).as(topic.name()).containsEntry("min.insync.replicas", "2")
                    .containsEntry("unclean.leader.election.enable", "false")
                    .containsEntry("cleanup.policy", "delete");
            assertThat(topic.configs()).containsKey("retention.ms");
        });
        assertThat(PlaybillTopics.all((short) 2)).as("both of two would stop writes while one broker restarts")
                .allSatisfy(topic -> assertThat(topic.configs()).containsEntry("min.insync.replicas", "1"));
    }

    @Test
    void createsThePlatformTopicsAndKeepsMessagesAcrossARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                var topics = admin.describeTopics(Set.of(LedgerTopics.REQUESTS, LedgerTopics.EVENTS)).allTopicNames().get();
                assertThat(topics.get(LedgerTopics.REQUESTS).partitions()).hasSize(PlaybillTopics.LEDGER_PARTITIONS);
                var events = new ConfigResource(ConfigResource.Type.TOPIC, LedgerTopics.EVENTS);
                var config = admin.describeConfigs(List.of(events)).all().get().get(events);
                assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(LedgerTopics.EVENTS, "alice", "hello")).get();
            }
        }

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(data, 0)) {
            assertThat(readAll(restarted.bootstrapServers())).containsExactly("hello");
        }
    }

    @Test
    void theBrokersThreadsAreItsRequestAndBackgroundThreadsAndNotItsClients() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0);
             var producer = new KafkaProducer<>(Map.<String, Object>of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(LedgerTopics.EVENTS, "alice", "hello")).get();

            Set<String> brokerThreads = new HashSet<>();
            EmbeddedKafkaBroker.threads().forEach(thread -> brokerThreads.add(thread.getName()));
            Set<String> allThreads = new HashSet<>();
            Thread.getAllStackTraces().keySet().forEach(thread -> allThreads.add(thread.getName()));

            assertThat(brokerThreads).anyMatch(name -> name.startsWith("data-plane-kafka-request-handler"))
                    .anyMatch(name -> name.startsWith("data-plane-kafka-network-thread"))
                    .noneMatch(name -> name.startsWith("kafka-producer-network-thread"))
                    .doesNotContain(Thread.currentThread().getName());
            // Every thread of the broker's own pools is found, wherever in the startup it was made.
            assertThat(allThreads.stream().filter(name -> name.startsWith("data-plane-kafka")
                    || name.startsWith("kafka-scheduler") || name.startsWith("ExpirationReaper")
                    || name.startsWith("quorum-controller") || name.startsWith("broker-"))).isNotEmpty()
                    .allMatch(brokerThreads::contains);
        }
    }

    @Test
    void aRepliesTopicMadeWithFewerPartitionsIsGrownSoEveryGatewayInstanceCanReadOwnReplies() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.deleteTopics(List.of(LedgerTopics.REPLIES)).all().get();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    // The topic as decision 035 found it: 3 partitions.
                    admin.createTopics(List.of(new NewTopic(LedgerTopics.REPLIES, 3, (short) 1))).all().get();
                    break;
                } catch (ExecutionException stillBeingDeleted) {
                    assertThat(System.nanoTime()).as("recreating the topic").isLessThan(until);
                    Thread.sleep(200);
                }
            }

            PlaybillTopics.createMissing(broker.bootstrapServers(), (short) 1);

            assertThat(admin.describeTopics(Set.of(LedgerTopics.REPLIES)).allTopicNames().get()
                    .get(LedgerTopics.REPLIES).partitions()).hasSize(PlaybillTopics.REPLY_PARTITIONS);
        }
    }

    private static List<String> readAll(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(LedgerTopics.EVENTS));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
