package io.playbill.infra.loadgen.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Peak resident memory (Linux {@code VmHWM}) of each service JVM, found through the pid files the platform writes
 * to {@code DATA/run}. The heap limit itself is the {@code -Xmx} of the service JVM options; this shows what the
 * whole process (heap, metaspace, threads, code cache) really took.
 */
final class ServiceMemory {

    /** Service name → peak resident MB; empty where the process or /proc is not there. */
    static Map<String, Long> peakResidentMb(Path runDir) throws IOException {
        Map<String, Long> peaks = new TreeMap<>();
        if (!Files.isDirectory(runDir)) {
            return peaks;
        }
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(runDir, "*.pid")) {
            for (Path pidFile : pidFiles) {
                String service = pidFile.getFileName().toString().replace(".pid", "");
                Path status = Path.of("/proc", Files.readString(pidFile).trim(), "status");
                if (Files.isReadable(status)) {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            peaks.put(service, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                        }
                    }
                }
            }
        }
        return peaks;
    }

    private ServiceMemory() {
    }
}
