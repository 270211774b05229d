package io.playbill.infra.loadgen.bench;

import io.playbill.infra.kafka.EmbeddedKafkaBroker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CPU time of each process of the bench platform, from {@code /proc}, so that a measured step can say how much CPU
 * one renew cost in every process. The services are found through the pid files the platform writes to
 * {@code DATA/run}; PostgreSQL through its {@code postmaster.pid} (it detaches from the JVM that started it, so it
 * is no descendant of ours) together with every backend it forked. Anything else this JVM started (the none-mode
 * gateway of (a)) is "other".
 *
 * <p>The bench JVM itself runs the Kafka broker, the GS emulator and the load generator. The broker is a process of
 * its own in production, and the load generator is no part of the platform, so the bench JVM is split in two: the
 * broker's threads ({@code EmbeddedKafkaBroker.threads()}, CPU time per thread from the JVM), and the rest of the
 * process's CPU. The rest holds the load generator and the bench, the GS emulator (idle while renews run), and the
 * JVM's own threads (collector, compiler), which serve the broker too: the broker's line is a little low and the
 * rest a little high by that share.
 */
final class ProcessCpu {

    static final String LEDGER = "command-service";
    static final String GATEWAY = "gateway";
    static final String QUERY = "query-service";
    static final String BROKER = "Kafka broker (its threads in the bench JVM)";
    static final String BENCH_JVM_REST = "rest of the bench JVM (load generator, GC, JIT)";
    static final String POSTGRES = "PostgreSQL";
    static final String OTHER = "other processes of the bench";
    /** Report order. */
    static final List<String> GROUPS = List.of(LEDGER, GATEWAY, QUERY, BROKER, BENCH_JVM_REST, POSTGRES, OTHER);
    /** The groups of the platform a user runs: everything but the bench's own part of its JVM. */
    static final List<String> PLATFORM = List.of(LEDGER, GATEWAY, QUERY, BROKER, POSTGRES, OTHER);
    /** The bench JVM, both parts. */
    static final List<String> WHOLE_BENCH_JVM = List.of(BROKER, BENCH_JVM_REST);

    private static final long NANOS_PER_TICK = (long) (1e9 / ProcStat.TICKS_PER_SECOND);

    /**
     * Per group, the CPU nanoseconds of each of its processes (the broker: of each of its threads, by thread id) at
     * one moment.
     */
    record Sample(Map<String, Map<Long, Long>> nanos) {
    }

    private final Path runDir;
    private final Path postmasterPidFile;
    private final Supplier<List<Thread>> brokerThreads;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** @param dataDir the bench platform's data directory */
    ProcessCpu(Path dataDir) {
        this(dataDir, EmbeddedKafkaBroker::threads);
    }

    /** @param brokerThreads the live threads of the broker in this JVM */
    ProcessCpu(Path dataDir, Supplier<List<Thread>> brokerThreads) {
        this.runDir = dataDir.resolve("run");
        this.postmasterPidFile = dataDir.resolve("postgres/data/postmaster.pid");
        this.brokerThreads = brokerThreads;
    }

    Sample sample() {
        Map<String, Map<Long, Long>> groups = new LinkedHashMap<>();
        GROUPS.forEach(group -> groups.put(group, new HashMap<>()));
        Set<Long> counted = new HashSet<>();
        for (String service : List.of(LEDGER, GATEWAY, QUERY)) {
            pidFrom(runDir.resolve(service + ".pid")).ifPresent(pid -> add(groups.get(service), pid, false, counted));
        }
        splitBenchJvm(groups.get(BROKER), groups.get(BENCH_JVM_REST), counted);
        postgresPids().forEach(pid -> add(groups.get(POSTGRES), pid, pid == postmaster(), counted));
        ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .forEach(pid -> add(groups.get(OTHER), pid, false, counted));
        return new Sample(groups);
    }

    /** The pids of PostgreSQL's processes: the postmaster and everything it forked. */
    Set<Long> postgresPids() {
        Set<Long> pids = new HashSet<>();
        long postmaster = postmaster();
        if (postmaster > 0) {
            ProcessHandle.of(postmaster).ifPresent(server -> {
                pids.add(server.pid());
                server.descendants().forEach(child -> pids.add(child.pid()));
            });
        }
        return pids;
    }

    /**
     * CPU seconds each group used between two samples. A process seen only in {@code after} was born in between and
     * counts whole; the postmaster's count includes the backends it reaped meanwhile, so a connection that closed
     * keeps its share.
     */
    static Map<String, Double> secondsBetween(Sample before, Sample after) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String group : GROUPS) {
            Map<Long, Long> earlier = before.nanos().getOrDefault(group, Map.of());
            long nanos = 0;
            for (Map.Entry<Long, Long> process : after.nanos().getOrDefault(group, Map.of()).entrySet()) {
                nanos += Math.max(0, process.getValue() - earlier.getOrDefault(process.getKey(), 0L));
            }
            seconds.put(group, nanos / 1e9);
        }
        return seconds;
    }

    /** The CPU of {@code groups} together, from a per-group figure such as {@link #secondsBetween}'s. */
    static double sumOf(Map<String, Double> byGroup, List<String> groups) {
        return groups.stream().mapToDouble(group -> byGroup.getOrDefault(group, 0.0)).sum();
    }

    /**
     * The broker's threads by thread id, and the rest of this process under its pid: the process's CPU less what
     * the broker's live threads used. A broker thread that ends between two samples leaves its last share to the
     * rest; the broker's threads live as long as it does.
     */
    @SuppressWarnings("deprecation") // Thread.threadId() replaces getId() from Java 19; the baseline is 17
    private void splitBenchJvm(Map<Long, Long> broker, Map<Long, Long> rest, Set<Long> counted) {
        long self = ProcessHandle.current().pid();
        if (!counted.add(self)) {
            return;
        }
        ProcStat.Ticks process = ProcStat.of(self);
        if (process == null) {
            return;
        }
        long brokerNanos = 0;
        for (Thread thread : brokerThreads.get()) {
            long nanos = threads.getThreadCpuTime(thread.getId());
            if (nanos > 0) {
                broker.put(thread.getId(), nanos);
                brokerNanos += nanos;
            }
        }
        rest.put(self, Math.max(0, process.own() * NANOS_PER_TICK - brokerNanos));
    }

    private static void add(Map<Long, Long> group, long pid, boolean withReapedChildren, Set<Long> counted) {
        if (!counted.add(pid)) {
            return;
        }
        ProcStat.Ticks ticks = ProcStat.of(pid);
        if (ticks != null) {
            group.put(pid, (ticks.own() + (withReapedChildren ? ticks.reapedChildren() : 0)) * NANOS_PER_TICK);
        }
    }

    private long postmaster() {
        return pidFrom(postmasterPidFile).orElse(-1L);
    }

    private static Optional<Long> pidFrom(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException absent) {
            return Optional.empty();
        }
    }
}
