package io.playbill.infra.loadgen.bench;

import java.io.IOException;
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

/**
 * CPU time of each process of the bench platform, from {@code /proc}, so that a measured step can say how much CPU
 * one renew cost in every process. The services are found through the pid files the platform writes to
 * {@code DATA/run}; PostgreSQL through its {@code postmaster.pid} (it detaches from the JVM that started it, so it
 * is no descendant of ours) together with every backend it forked; the bench JVM itself runs the Kafka broker, the
 * GS emulator and the load generator. Anything else this JVM started (the none-mode gateway of (a)) is "other".
 */
final class ProcessCpu {

    static final String LEDGER = "command-service";
    static final String GATEWAY = "gateway";
    static final String QUERY = "query-service";
    static final String BENCH_JVM = "bench JVM (broker, GS emulator, load generator)";
    static final String POSTGRES = "PostgreSQL";
    static final String OTHER = "other processes of the bench";
    /** Report order. */
    static final List<String> GROUPS = List.of(LEDGER, GATEWAY, QUERY, BENCH_JVM, POSTGRES, OTHER);

    /** Per group, the CPU ticks of each of its processes at one moment. */
    record Sample(Map<String, Map<Long, Long>> ticks) {
    }

    private final Path runDir;
    private final Path postmasterPidFile;

    /** @param dataDir the bench platform's data directory */
    ProcessCpu(Path dataDir) {
        this.runDir = dataDir.resolve("run");
        this.postmasterPidFile = dataDir.resolve("postgres/data/postmaster.pid");
    }

    Sample sample() {
        Map<String, Map<Long, Long>> groups = new LinkedHashMap<>();
        GROUPS.forEach(group -> groups.put(group, new HashMap<>()));
        Set<Long> counted = new HashSet<>();
        for (String service : List.of(LEDGER, GATEWAY, QUERY)) {
            pidFrom(runDir.resolve(service + ".pid")).ifPresent(pid -> add(groups.get(service), pid, false, counted));
        }
        long self = ProcessHandle.current().pid();
        add(groups.get(BENCH_JVM), self, false, counted);
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
            Map<Long, Long> earlier = before.ticks().getOrDefault(group, Map.of());
            long ticks = 0;
            for (Map.Entry<Long, Long> process : after.ticks().getOrDefault(group, Map.of()).entrySet()) {
                ticks += Math.max(0, process.getValue() - earlier.getOrDefault(process.getKey(), 0L));
            }
            seconds.put(group, ticks / ProcStat.TICKS_PER_SECOND);
        }
        return seconds;
    }

    private static void add(Map<Long, Long> group, long pid, boolean withReapedChildren, Set<Long> counted) {
        if (!counted.add(pid)) {
            return;
        }
        ProcStat.Ticks ticks = ProcStat.of(pid);
        if (ticks != null) {
            group.put(pid, ticks.own() + (withReapedChildren ? ticks.reapedChildren() : 0));
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
