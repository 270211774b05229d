package io.playbill.ledger.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the ledger's integration tests share: a ledger on the test JVM's one broker with a database of its own, the
 * gateway's side of the request topic ({@link LedgerOverKafka}), and what the ledger published on the events topic.
 */
public final class LedgerTestInfrastructure {

    private LedgerTestInfrastructure() {
    }

    /** From a test class's {@code @DynamicPropertySource}: its own {@code database}, and the shared broker. */
    public static void register(DynamicPropertyRegistry registry, String database) {
        var infra = PlaybillTestInfrastructure.shared();
        infra.createDatabase(database).springProperties("spring.datasource")
                .forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.kafka.bootstrap-servers", infra::kafkaBootstrapServers);
    }

    /** The gateway's side of the ledger on the shared broker; close it after the test class. */
    public static LedgerOverKafka gateway() {
        return new LedgerOverKafka(PlaybillTestInfrastructure.shared().kafkaBootstrapServers(), new ObjectMapper());
    }

    /**
     * {@code user}'s records on the events topic in topic order, from the beginning to at least the end of the
     * topic as it is now, waiting up to 30 s for {@code atLeast} of them to be published.
     */
    public static List<ConsumerRecord<String, byte[]>> published(String user, int atLeast) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PlaybillTestInfrastructure.shared().kafkaBootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(LedgerTopics.EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((found.size() < atLeast || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)))
                    && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The wall-clock time the ledger's last finished expiry scan judged by (its gauge): once it is past a moment,
     * every session due by then that the scan may end has been ended, so what did not end is not going to.
     */
    public static long lastExpiryScanAtMillis(MeterRegistry meters) {
        return (long) meters.get("playbill.ledger.expiry.last.scan").timeGauge().value(TimeUnit.MILLISECONDS);
    }

    /** The event type of a record on the events topic: the payload's class name. */
    public static String eventType(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader("axon-message-type").value(), StandardCharsets.UTF_8);
    }
}
