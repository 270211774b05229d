package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.Threads;

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
 * and its descendants (the services, the none-mode gateway) and the platform's PostgreSQL, which detaches from us.
 */
final class ForeignCpu implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Threads.daemon("bench-foreign-cpu"));
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final ProcessCpu platform;
    private boolean baselineTaken;
    private long foreignTicks;

    private ForeignCpu(ProcessCpu platform) {
        this.platform = platform;
    }

    static ForeignCpu start(ProcessCpu platform) {
        ForeignCpu sampler = new ForeignCpu(platform);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, 1, TimeUnit.SECONDS);
        return sampler;
    }

    /** CPU seconds used by other processes since the sampler started. */
    synchronized double foreignSeconds() {
        return foreignTicks / ProcStat.TICKS_PER_SECOND;
    }

    private synchronized void sample() {
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> ours.add(p.pid()));
        ours.addAll(platform.postgresPids());
        Map<Long, Long> now = ProcStat.allProcesses();
        if (now.isEmpty()) {
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

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
