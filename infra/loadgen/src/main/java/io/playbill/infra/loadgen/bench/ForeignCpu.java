package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.Threads;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How much CPU processes outside the bench used while it measured. The bench owns the machine's two cores only
 * if nothing else runs (a build, another test suite); every figure therefore carries the average number of cores
 * other processes kept busy during it, read from Linux's {@code /proc/PID/stat} once a second. "Ours" is this JVM
 * and its descendants: the services, PostgreSQL, the none-mode gateway.
 */
final class ForeignCpu implements AutoCloseable {

    /** Linux reports CPU time in clock ticks of 1/100 s on every common configuration. */
    private static final double TICKS_PER_SECOND = 100;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Threads.daemon("bench-foreign-cpu"));
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private boolean baselineTaken;
    private long foreignTicks;

    private ForeignCpu() {
    }

    static ForeignCpu start() {
        ForeignCpu sampler = new ForeignCpu();
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, 1, TimeUnit.SECONDS);
        return sampler;
    }

    /** CPU seconds used by other processes since the sampler started. */
    synchronized double foreignSeconds() {
        return foreignTicks / TICKS_PER_SECOND;
    }

    private synchronized void sample() {
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> ours.add(p.pid()));
        Map<Long, Long> now = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long ticks = cpuTicks(process);
                if (ticks >= 0) {
                    now.put(Long.parseLong(process.getFileName().toString()), ticks);
                }
            }
        } catch (IOException e) {
            return;
        }
        if (baselineTaken) {
            now.forEach((pid, ticks) -> {
                if (!ours.contains(pid)) {
                    // A process born since the last sample counts whole; a known one by its growth.
                    foreignTicks += Math.max(0, ticks - lastTicks.getOrDefault(pid, 0L));
                }
            });
        }
        baselineTaken = true;
        lastTicks.clear();
        lastTicks.putAll(now);
    }

    /** utime + stime (fields 14 and 15) of {@code /proc/PID/stat}; -1 if the process is gone. */
    private static long cpuTicks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
