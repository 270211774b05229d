package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * The ledger's renew throughput through the real broker and PostgreSQL, with the whole command-service context in
 * this JVM. Not a test: its name does not end in {@code Test}, so the default build never runs it. Run it with
 * <pre>
 * mvn -B -o -pl command-service/app test -Dtest=RenewThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbench.users=2000] [-Dbench.rates=250,500,1000,2000,3000] [-Dbench.step=10s]
 * </pre>
 * It prepares {@code bench.users} users (deposit, authorize, start, first renew), then offers renews open loop at
 * each rate in turn (a 3 s warm-up, then a measured step), each renew one played-and-charged cycle later than the
 * user's last. Latency is counted from each renew's due time, so falling behind shows as latency (no coordinated
 * omission). It prints accepted renews/s, p50/p99, lost renews (no reply within 5 s), the intake's batch timers,
 * a raw PostgreSQL single-row commit baseline on the same server, and the load average.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RenewThroughputBenchmark {

    private static final String QUEUE = "bench";
    private static final long LOST_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Each renew is this much later than the user's last, as the SDK renews: it charges and extends every time. */
    private static final long RENEW_EVERY_MILLIS = 35_000;

    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    MeterRegistry meters;

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private KafkaProducer<String, byte[]> producer;

    private record Pending(long dueNanos, Step step) {
    }

    /** The outcome of one step: accepted and refused replies and their latency from the due time. */
    private static final class Step {
        final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();

        synchronized void answered(LedgerReply reply, long latencyNanos) {
            latencyMicros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(latencyNanos),
                    latencyMicros.getHighestTrackableValue()));
            (reply.accepted() ? accepted : refused).incrementAndGet();
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var infra = PlaybillTestInfrastructure.shared();
        infra.createDatabase("bench").springProperties("spring.datasource")
                .forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.kafka.bootstrap-servers", infra::kafkaBootstrapServers);
    }

    @Test
    void renews() throws Exception {
        int users = Integer.getInteger("bench.users", 2000);
        int[] rates = Arrays.stream(System.getProperty("bench.rates", "250,500,1000,2000,3000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Duration stepLength = Duration.parse("PT" + System.getProperty("bench.step", "10s"));
        String bootstrap = PlaybillTestInfrastructure.shared().kafkaBootstrapServers();
        // The gateway's producer settings (acks=all, no linger).
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread replyReader = new Thread(() -> readReplies(bootstrap, running), "bench-replies");
        replyReader.start();
        try {
            // An hour ahead of the clock: the expiry scanner must not time out a session the set-up is still preparing.
            long base = System.currentTimeMillis() + 3_600_000;
            String[] userIds = new String[users];
            for (int i = 0; i < users; i++) {
                userIds[i] = "bench-" + i + "-" + UUID.randomUUID();
            }
            prepare("set price", 1, i -> new Request("ops", base - 3_600_000, new LedgerOperation.SetPrice(QUEUE, 60)));
            prepare("deposit", users, i -> new Request(userIds[i], base, new LedgerOperation.Deposit(100_000_000, "bench")));
            prepare("authorize", users, i -> new Request(userIds[i], base + 1000,
                    new LedgerOperation.AuthorizeSession("s" + i, QUEUE)));
            prepare("start", users, i -> new Request(userIds[i], base + 2000, new LedgerOperation.StartSession("s" + i, null)));
            prepare("first renew", users, i -> new Request(userIds[i], base + 3000,
                    new LedgerOperation.RenewSession("s" + i, 0)));

            AtomicLongArray renewsSent = new AtomicLongArray(users);
            System.out.printf("%nBENCH %d users, load average %.2f%n", users, loadAverage());
            System.out.println("BENCH offered  ok/s  refused  lost  p50(ms)  p99(ms)  batches  avg-batch"
                    + "  decide(ms/batch)  reply-acks(ms/batch)  load");
            for (int rate : rates) {
                offer(rate, Duration.ofSeconds(3), userIds, renewsSent, base);
                Timer decide = meters.find("playbill.ledger.intake.decide").timer();
                Timer acks = meters.find("playbill.ledger.intake.reply-acks").timer();
                long batchesBefore = decide == null ? 0 : decide.count();
                double decideBefore = decide == null ? 0 : decide.totalTime(TimeUnit.MILLISECONDS);
                double acksBefore = acks == null ? 0 : acks.totalTime(TimeUnit.MILLISECONDS);
                Step step = offer(rate, stepLength, userIds, renewsSent, base);
                long sent = (long) rate * stepLength.toSeconds();
                long lost = sent - step.accepted.get() - step.refused.get();
                long batches = decide == null ? 0 : decide.count() - batchesBefore;
                double perBatchDecide = batches == 0 ? 0
                        : (decide.totalTime(TimeUnit.MILLISECONDS) - decideBefore) / batches;
                double perBatchAcks = batches == 0 ? 0 : (acks.totalTime(TimeUnit.MILLISECONDS) - acksBefore) / batches;
                System.out.printf("BENCH %7d %5d %8d %5d %8.1f %8.1f %8d %10.1f %17.1f %21.1f %5.2f%n", rate,
                        step.accepted.get() / stepLength.toSeconds(), step.refused.get(), lost,
                        step.latencyMicros.getValueAtPercentile(50) / 1000.0,
                        step.latencyMicros.getValueAtPercentile(99) / 1000.0, batches,
                        batches == 0 ? 0 : (double) (step.accepted.get() + step.refused.get()) / batches,
                        perBatchDecide, perBatchAcks, loadAverage());
                if (lost > sent / 1000) {
                    break;
                }
            }
            rawPostgresCommits();
        } finally {
            running.set(false);
            replyReader.join();
            producer.close();
        }
    }

    private record Request(String user, long receivedAt, LedgerOperation operation) {
    }

    /** Sends one request per user at once and waits for every reply: the set-up, and a burst figure on its own. */
    private void prepare(String what, int count, IntFunction<Request> request) throws Exception {
        Step step = new Step();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Request r = request.apply(i);
            send(r.user(), r.receivedAt(), r.operation(), start, step);
        }
        long until = start + TimeUnit.MINUTES.toNanos(5);
        while (step.accepted.get() + step.refused.get() < count && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BENCH prepare %-11s %5d requests in %5.1f s = %6.0f/s, %d refused%n", what, count, seconds,
                count / seconds, step.refused.get());
        if (step.accepted.get() != count) {
            throw new AssertionError(what + ": " + step.accepted.get() + " of " + count + " accepted");
        }
    }

    /** Offers renews at {@code rate} per second for {@code length}, round-robin over the users, open loop. */
    private Step offer(int rate, Duration length, String[] userIds, AtomicLongArray renewsSent, long base)
            throws InterruptedException {
        Step step = new Step();
        long total = rate * length.toSeconds();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (long n = 0; n < total; n++) {
            long due = start + n * interval;
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                Thread.sleep(wait / 1_000_000);
            }
            int i = (int) (n % userIds.length);
            long k = renewsSent.incrementAndGet(i);
            // One more cycle played since the first renew at base + 3 s: charged and extended every time.
            send(userIds[i], base + 3000 + k * RENEW_EVERY_MILLIS,
                    new LedgerOperation.RenewSession("s" + i, 60 + (k - 1) * RENEW_EVERY_MILLIS / 1000), due, step);
        }
        // Let the last ones arrive (or count as lost).
        long deadline = System.nanoTime() + LOST_AFTER_NANOS;
        while (step.accepted.get() + step.refused.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        pending.values().removeIf(p -> p.step() == step);
        return step;
    }

    private void send(String user, long receivedAt, LedgerOperation operation, long dueNanos, Step step) {
        String requestId = UUID.randomUUID().toString();
        byte[] body;
        try {
            body = json.writeValueAsBytes(new LedgerRequest(requestId, user, receivedAt, operation, TestActors.of(user, operation)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        var record = new ProducerRecord<>(LedgerTopics.REQUESTS, user, body);
        record.headers().add(LedgerHeaders.REPLY_TOPIC, LedgerTopics.REPLIES.getBytes(StandardCharsets.UTF_8));
        record.headers().add(LedgerHeaders.CORRELATION_ID, requestId.getBytes(StandardCharsets.UTF_8));
        pending.put(requestId, new Pending(dueNanos, step));
        producer.send(record);
    }

    private void readReplies(String bootstrap, AtomicBoolean running) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(LedgerTopics.REPLIES));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    String correlation = new String(record.headers().lastHeader(LedgerHeaders.CORRELATION_ID).value(),
                            StandardCharsets.UTF_8);
                    Pending p = pending.remove(correlation);
                    if (p != null) {
                        try {
                            p.step().answered(json.readValue(record.value(), LedgerReply.class), now - p.dueNanos());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        }
    }

    /** Raw PostgreSQL on the same server: single-row event-sized inserts, one commit each, 4 connections, 5 s. */
    private void rawPostgresCommits() throws InterruptedException {
        jdbc.execute("create table if not exists bench_raw (id bigserial primary key, aggregate text, seq bigint,"
                + " payload bytea)");
        AtomicLong commits = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Thread> threads = new ArrayList<>();
        byte[] payload = new byte[300];
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try (Connection c = dataSource.getConnection();
                     PreparedStatement insert = c.prepareStatement(
                             "insert into bench_raw (aggregate, seq, payload) values (?, ?, ?)")) {
                    c.setAutoCommit(true);
                    for (long n = 0; System.nanoTime() < until; n++) {
                        insert.setString(1, "raw-" + Thread.currentThread().getId());
                        insert.setLong(2, n);
                        insert.setBytes(3, payload);
                        insert.executeUpdate();
                        commits.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("BENCH raw PostgreSQL: %d single-row commits/s (4 connections), load average %.2f%n",
                commits.get() / 5, loadAverage());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
