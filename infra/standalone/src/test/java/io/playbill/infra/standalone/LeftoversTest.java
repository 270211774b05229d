package io.playbill.infra.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pid files of an earlier run stop its service JVMs, and nothing else. */
class LeftoversTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path run;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void stopsTheServiceJvmsItsPidFilesNameAndOnlyThose() throws Exception {
        Process service = start(JAVA, "-jar", IdleServiceJar.writeTo(run).toString());
        Process stranger = start(JAVA, "-cp", System.getProperty("java.class.path"), IdleService.class.getName());
        Files.writeString(run.resolve("gateway.pid"), String.valueOf(service.pid()));
        Files.writeString(run.resolve("query-service.pid"), String.valueOf(stranger.pid()));
        Files.writeString(run.resolve("command-service.pid"), "not a pid");

        Leftovers.stopServices(run);

        assertThat(service.isAlive()).as("a service JVM of the earlier run").isFalse();
        assertThat(stranger.isAlive()).as("a process that has since been given the id is no service").isTrue();
        try (var left = Files.list(run)) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain("gateway.pid", "query-service.pid",
                    "command-service.pid");
        }
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        return process;
    }
}
