package io.playbill.infra.loadgen.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of processes from Linux's {@code /proc/PID/stat}: user + system time in clock ticks. Shared by
 * {@link ForeignCpu} (what other processes used) and {@link ProcessCpu} (what each of ours used).
 */
final class ProcStat {

    /** Linux reports CPU time in clock ticks of 1/100 s on every common configuration. */
    static final double TICKS_PER_SECOND = 100;

    /** CPU ticks of one process (its own threads) and of its children it has reaped (waited for). */
    record Ticks(long own, long reapedChildren) {
    }

    /** Every live process's own CPU ticks, by pid; empty where /proc cannot be read. */
    static Map<Long, Long> allProcesses() {
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                Ticks t = of(process);
                if (t != null) {
                    ticks.put(Long.parseLong(process.getFileName().toString()), t.own());
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /** The ticks of {@code pid}, or null if it is gone. */
    static Ticks of(long pid) {
        return of(Path.of("/proc", Long.toString(pid)));
    }

    /** utime + stime (fields 14 and 15 of stat) and cutime + cstime (16 and 17); null if the process is gone. */
    private static Ticks of(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Ticks(Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private ProcStat() {
    }
}
