package io.playbill.infra.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A platform on throwaway data (the bench's, the soak's) leaves nothing behind when its process is stopped with
 * SIGTERM, as Ctrl-C stops a bench: no service, no PostgreSQL, no data directory.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.OWN_PLATFORM)
class ThrowawayDataTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private final List<Process> started = new ArrayList<>();

    /** SIGTERM first: a run killed outright would leave the PostgreSQL it started running. */
    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : started) {
            process.toHandle().destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void anInterruptedRunDeletesItsDataDirectoryOnceEverythingHasStopped() throws Exception {
        Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "throwaway-").resolve("data");
        Process run = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                ThrowawayPlatformStandIn.class.getName(), home.toString(), data.toString())
                .redirectErrorStream(true).start();
        started.add(run);
        try (var out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("platform up")) {
                // Start-up output.
            }
            assertThat(line).as("the platform started").isEqualTo("platform up");
            List<ProcessHandle> services = run.children()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("-exec.jar")).orElse(false)).toList();
            assertThat(services).hasSize(3);
            ProcessHandle postgres = ProcessHandle.of(Long.parseLong(
                    Files.readAllLines(data.resolve("postgres/data/postmaster.pid")).get(0).trim())).orElseThrow();

            // SIGTERM through the handle: Process.destroy() would also close the streams read here.
            run.toHandle().destroy();
            // Drains the rest of its output, so that it never blocks on a full pipe while it stops.
            out.transferTo(Writer.nullWriter());
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();

            await().atMost(Duration.ofSeconds(15)).until(() -> !postgres.isAlive()
                    && services.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(data).as("the data directory, deleted once PostgreSQL had stopped").doesNotExist();
        }
    }
}
