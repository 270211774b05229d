package io.playbill.query.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionMeters;
import io.playbill.query.support.QueryServiceTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.SerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures, on this machine, what docs/performance.md reports for the query side (not part of the test suite; run
 * with {@code mvn -o -pl query-service verify -Dtest=ProjectionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}):
 * <ol>
 *   <li>projection lag (ledger event created → projection row committed) while the ledger publishes 3,000
 *   events/s for 30 s, p50/p99/max per projection;</li>
 *   <li>replay rate of each projection over the whole topic;</li>
 *   <li>audit rate (event store + topic) over the same events, which must come out clean.</li>
 * </ol>
 * Figures go to stdout and {@code target/benchmarks/projection-benchmark.txt}.
 */
class ProjectionBenchmark extends QueryServiceTest {

    private static final int RATE = 3_000;
    private static final Duration PACED = Duration.ofSeconds(30);

    @Autowired
    MeterRegistry meters;

    private final List<String> report = new ArrayList<>();

    @Test
    void lagReplayAndAudit() throws Exception {
        Instant start = Instant.parse("2035-01-01T00:00:00Z");
        ledger().price(SyntheticLedger.QUEUE, 60, start.minusSeconds(60));
        SyntheticLedger events = new SyntheticLedger(2_000, 13, start);
        line("Load average before: %s", Files.readString(Path.of("/proc/loadavg")).trim());
        try (BulkWriter writer = new BulkWriter()) {
            // Warm up (JIT, pools, caches), then measure lag on a fresh timer.
            paced(events, writer, Duration.ofSeconds(15));
            awaitProjections();
            meters.remove(lagTimer());
            long paced = paced(events, writer, PACED);
            awaitProjections();
            Timer lag = lagTimer();
            line("Lag at %,d events/s for %d s after a 15 s warm-up (%,d events, each also stored in the ledger's"
                    + " event store by this JVM):", RATE, PACED.toSeconds(), paced);
            line("  all four projections: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms over %,d events",
                    percentile(lag, 0.5), percentile(lag, 0.95), percentile(lag, 0.99),
                    (long) lag.max(TimeUnit.MILLISECONDS), lag.count());
            long bulkStart = System.nanoTime();
            long cpuStart = processingCpuNanos();
            long bulk = 0;
            while (events.hasNext()) {
                writer.write(events.next());
                bulk++;
            }
            writer.flush();
            awaitProjections();
            double seconds = (System.nanoTime() - bulkStart) / 1e9;
            line("Live projections took %,d events written at full speed in %.1f s = %,.0f events/s; %.1f µs of"
                    + " processor + fetcher thread CPU per event", bulk, seconds, bulk / seconds,
                    (processingCpuNanos() - cpuStart) / 1000.0 / bulk);
        }
        fullAudit();
        long onTopic = topic.offsets().records();
        line("Replays over the whole topic (%,d records):", onTopic);
        for (Projection projection : Projection.values()) {
            long began = System.nanoTime();
            long cpu = processCpuNanos();
            api().post("/admin/replays/" + projection.id(), "ops", "admin");
            JsonNode done = awaitReplay(projection);
            double seconds = (System.nanoTime() - began) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
            long replayed = done.get("eventsDone").asLong();
            line("  %-10s %,9d events in %5.1f s = %,7.0f events/s, swap included (%,.0f events per JVM CPU"
                    + " second)", projection.id(), replayed, seconds, replayed / seconds, replayed / cpuSeconds);
        }
        fullAudit();
        line("Load average after: %s", Files.readString(Path.of("/proc/loadavg")).trim());
        Path out = Path.of("target", "benchmarks", "projection-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
    }

    /** A full audit through the API, with the JVM's CPU time it took (the event store's CPU is not counted). */
    private void fullAudit() throws InterruptedException {
        long cpu = processCpuNanos();
        JsonNode audit = audit("");
        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
        long events = audit.get("storeEvents").asLong() + audit.get("topicRecords").asLong();
        line("Full audit: %,d accounts, %,d store events + %,d topic records in %.1f s = %,d events/s"
                        + " (%,.0f events per JVM CPU second); clean: %s", audit.get("accountsChecked").asLong(),
                audit.get("storeEvents").asLong(), audit.get("topicRecords").asLong(),
                audit.get("durationMillis").asLong() / 1000.0, audit.get("eventsPerSecond").asLong(),
                events / cpuSeconds, audit.get("clean").asBoolean());
        if (!audit.get("clean").asBoolean()) {
            line("  findings: %s", audit.get("findingsByKind"));
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Timer lagTimer() {
        return meters.get(ProjectionMeters.LAG).tag("processor", Projection.LIVE_PROCESSOR).timer();
    }

    /** CPU time of the live processor's thread and of the Kafka fetcher threads so far. */
    private static long processingCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("EventProcessor[" + Projection.LIVE_PROCESSOR)
                    || info.getThreadName().startsWith("AsyncFetcher"))) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** Writes {@link #RATE} events per second for {@code duration}; returns how many. */
    private long paced(SyntheticLedger events, BulkWriter writer, Duration duration) throws InterruptedException {
        long begin = System.nanoTime();
        long written = 0;
        long target = RATE * duration.toSeconds();
        while (written < target && events.hasNext()) {
            long due = (System.nanoTime() - begin) * RATE / 1_000_000_000L;
            while (written < due && written < target && events.hasNext()) {
                writer.write(events.next());
                written++;
            }
            writer.flush();
            Thread.sleep(5);
        }
        return written;
    }

    private JsonNode awaitReplay(Projection projection) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < until) {
            JsonNode status = api().get("/admin/replays/" + projection.id(), "ops", "admin").json();
            if ("completed".equals(status.get("status").asText())) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Replay of " + projection.id() + " did not complete");
    }

    private static long percentile(Timer timer, double percentile) {
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == percentile) {
                return (long) value.value(TimeUnit.MILLISECONDS);
            }
        }
        return -1;
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.add(text);
    }

    /** Stores events in the ledger's event store (batched) and publishes them, as the ledger does. */
    private final class BulkWriter implements AutoCloseable {

        private final SingleConnectionDataSource connection = new SingleConnectionDataSource(
                ledgerDatabase().jdbcUrl() + "?reWriteBatchedInserts=true", ledgerDatabase().username(),
                ledgerDatabase().password(), true);
        private final JdbcTemplate store = new JdbcTemplate(connection);
        private final List<Object[]> rows = new ArrayList<>();

        void write(GenericDomainEventMessage<?> event) {
            SerializedObject<byte[]> payload = eventSerializer.serialize(event.getPayload(), byte[].class);
            rows.add(new Object[]{event.getIdentifier(), "{}".getBytes(StandardCharsets.UTF_8), payload.getData(),
                    payload.getType().getName(), event.getTimestamp().toString(), event.getAggregateIdentifier(),
                    event.getSequenceNumber(), event.getType()});
            producer().send(converter.createKafkaMessage(event, topic.name()));
            if (rows.size() >= 1_000) {
                flush();
            }
        }

        void flush() {
            if (!rows.isEmpty()) {
                store.batchUpdate("insert into domain_event_entry (global_index, event_identifier, meta_data, payload,"
                        + " payload_type, time_stamp, aggregate_identifier, sequence_number, type)"
                        + " values (nextval('domain_event_entry_seq'), ?, ?, ?, ?, ?, ?, ?, ?)", rows);
                rows.clear();
            }
            producer().flush();
        }

        @Override
        public void close() {
            flush();
            connection.destroy();
        }
    }
}
