package io.playbill.infra.standalone;

import io.playbill.infra.test.PostgresServer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a crashed earlier run left on the data directory, stopped before a new start needs its ports. The service
 * JVMs stop by themselves when their launcher dies (their watchdog), but one still shutting down, or one started
 * by a launcher without the watchdog, is found from its pid file. PostgreSQL runs in processes of its own and
 * outlives a launcher killed with SIGKILL; it is found from its data directory. The broker runs inside the launcher
 * and dies with it; the lock file it leaves is no obstacle (the lock is the process's, not the file's).
 */
final class Leftovers {

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);

    private Leftovers() {
    }

    /** Stops the leftovers of an earlier run: service JVMs from {@code run/*.pid}, then PostgreSQL in {@code postgres}. */
    static void stop(Path run, Path postgres) throws IOException {
        stopServices(run);
        PostgresServer.stopLeftoverEmbedded(postgres).ifPresent(pid -> System.out.println(
                "Stopped PostgreSQL (pid " + pid + ") left running on " + postgres + " by an earlier run"));
    }

    /** Stops each service JVM a pid file names (SIGTERM, then waits) and removes the pid files. */
    static void stopServices(Path run) throws IOException {
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(run, "*.pid")) {
            for (Path pidFile : pidFiles) {
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(pidFile).trim());
                } catch (NumberFormatException unreadable) {
                    Files.delete(pidFile);
                    continue;
                }
                // Only a service JVM: the id may have been given to another program since.
                ProcessHandle.of(pid)
                        .filter(p -> p.info().commandLine().map(c -> c.contains("-exec.jar")).orElse(false))
                        .ifPresent(p -> {
                            System.out.println("Stopping a leftover " + pidFile.getFileName() + " process " + pid
                                    + " from an earlier run");
                            stopGracefully(p);
                        });
                Files.delete(pidFile);
            }
        }
    }

    /** SIGTERM (a graceful Spring shutdown), then SIGKILL if that takes too long. */
    private static void stopGracefully(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(SERVICE_STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping process " + process.pid(), e);
        }
    }
}
