package io.playbill.infra.loadgen.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.infra.loadgen.metrics.LatencyRecorder;
import io.playbill.infra.loadgen.metrics.LatencySummary;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (c) The floor under the renew path: Kafka request-reply round trips with plain kafka-clients on the platform's
 * broker, with the ledger's message shapes and sizes (a renew {@link LedgerRequest} out, a {@link LedgerReply}
 * back, the same headers) and the same client settings (acks=all, linger.ms=1). The echo side behaves like the
 * ledger's intake minus the decision: poll a batch, send every reply, wait for the acks, then commit the offsets.
 * A fixed window of requests is kept in flight (closed loop), which measures the capacity of the round trip.
 * The warm-up must outlast the consumer group's first rebalance: only requests sent after it are counted.
 */
final class RawKafkaRequestReply {

    static final int IN_FLIGHT = 256;
    /** The ledger's intake runs two consumers (playbill.ledger.intake-concurrency). */
    private static final int ECHO_CONSUMERS = 2;
    private static final int REQUEST_PARTITIONS = 12;
    private static final int REPLY_PARTITIONS = 3;

    record Result(double roundTripsPerSecond, LatencySummary latency, int requestBytes, int replyBytes) {
    }

    /** Bootstrap servers plus, on a secured broker, a login allowed to create topics (the platform's admin). */
    private final Map<String, Object> connection;
    private final String requests;
    private final String replies;
    private final Map<ByteBuffer, Long> pending = new ConcurrentHashMap<>();
    private final Semaphore window = new Semaphore(IN_FLIGHT);
    private volatile boolean running = true;

    RawKafkaRequestReply(Map<String, Object> connection, String runId) {
        this.connection = Map.copyOf(connection);
        this.requests = "playbill-bench.requests-" + runId;
        this.replies = "playbill-bench.replies-" + runId;
    }

    Result run(Duration warmUp, Duration measured) throws Exception {
        byte[] request = json(new LedgerRequest(UUID.randomUUID().toString(), "lgb-0000000-123",
                System.currentTimeMillis(), new LedgerOperation.RenewSession("lgb0000000s123", 1_234),
                Actor.player("lgb-0000000-123")));
        byte[] reply = json(LedgerReply.accepted(UUID.randomUUID().toString(), 999_876_543L, 1_294L, "standard"));
        try (Admin admin = Admin.create(connection)) {
            admin.createTopics(List.of(new NewTopic(requests, REQUEST_PARTITIONS, (short) 1),
                    new NewTopic(replies, REPLY_PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                return measure(request, reply, warmUp, measured);
            } finally {
                admin.deleteTopics(List.of(requests, replies)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private Result measure(byte[] request, byte[] reply, Duration warmUp, Duration measured)
            throws InterruptedException {
        LatencyRecorder latencies = new LatencyRecorder();
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        AtomicLong counted = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            measureWith(producer, reply, request, latencies, measureFrom, measureUntil, counted);
        }
        return new Result(counted.get() / (measured.toNanos() / 1e9), latencies.total(), request.length,
                reply.length);
    }

    /** Echo threads, the reply collector and the requests; every thread is stopped before the producer closes. */
    private void measureWith(KafkaProducer<String, byte[]> producer, byte[] reply, byte[] request,
                             LatencyRecorder latencies, long measureFrom, long measureUntil, AtomicLong counted)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < ECHO_CONSUMERS; i++) {
                KafkaConsumer<String, byte[]> echo = consumer("playbill-bench-echo");
                consumers.add(echo);
                threads.add(start("bench-echo-" + i, () -> echo(echo, producer, reply)));
            }
            KafkaConsumer<String, byte[]> replyConsumer = consumer(null);
            consumers.add(replyConsumer);
            threads.add(start("bench-replies", () -> collectReplies(replyConsumer, latencies, measureFrom,
                    measureUntil, counted)));
            long key = 0;
            while (System.nanoTime() < measureUntil) {
                if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                byte[] correlation = uuidBytes();
                pending.put(ByteBuffer.wrap(correlation), System.nanoTime());
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(requests, "lgb-user-" + (key++ % 400),
                        request);
                record.headers().add(LedgerHeaders.CORRELATION_ID, correlation);
                record.headers().add(LedgerHeaders.REPLY_TOPIC, replies.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        } finally {
            stop(threads, consumers);
        }
    }

    private void stop(List<Thread> threads, List<KafkaConsumer<String, byte[]>> consumers)
            throws InterruptedException {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    /** The ledger intake's shape: poll, reply to each, wait for every ack, commit. */
    private void echo(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer, byte[] reply) {
        consumer.subscribe(List.of(requests));
        try {
            while (running) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Header correlation = record.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
                    Header replyTopic = record.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
                    ProducerRecord<String, byte[]> answer = new ProducerRecord<>(
                            new String(replyTopic.value(), StandardCharsets.UTF_8), record.key(), reply);
                    answer.headers().add(LedgerHeaders.CORRELATION_ID, correlation.value());
                    acks.add(producer.send(answer));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
                if (!acks.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException stopping) {
            // The measurement is over.
        } catch (Exception e) {
            throw new IllegalStateException("The echo consumer failed: " + e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void collectReplies(KafkaConsumer<String, byte[]> consumer, LatencyRecorder latencies, long measureFrom,
                                long measureUntil, AtomicLong counted) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < REPLY_PARTITIONS; p++) {
            partitions.add(new TopicPartition(replies, p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Long sent = pending.remove(ByteBuffer.wrap(
                            record.headers().lastHeader(LedgerHeaders.CORRELATION_ID).value()));
                    if (sent == null) {
                        continue;
                    }
                    window.release();
                    if (sent >= measureFrom && now <= measureUntil) {
                        latencies.success(now - sent);
                        counted.incrementAndGet();
                    }
                }
            }
        } catch (WakeupException stopping) {
            // The measurement is over.
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static byte[] uuidBytes() {
        UUID id = UUID.randomUUID();
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    private static byte[] json(Object value) throws JsonProcessingException {
        return new ObjectMapper().writeValueAsBytes(value);
    }
}
