package io.playbill.infra.standalone;

import io.playbill.infra.standalone.watchdog.WatchdogJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service JVM stops when its launcher is gone, however the launcher died: when a launcher that started it as the
 * platform does is killed with SIGKILL, and on each of the watchdog's two signs alone.
 */
class LauncherWatchdogTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path run;
    private Path agent;
    private Path idleJar;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void jars() throws Exception {
        agent = WatchdogJar.writeTo(run);
        idleJar = IdleServiceJar.writeTo(run);
    }

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aServiceStopsWhenItsLauncherIsKilledWithSigkill() throws Exception {
        Process launcher = track(new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                LauncherStandIn.class.getName(), run.toString()).redirectErrorStream(true).start());
        ProcessHandle child;
        try (var out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            child = ProcessHandle.of(Long.parseLong(out.readLine().trim())).orElseThrow();
        }
        assertThat(child.parent().map(ProcessHandle::pid)).contains(launcher.pid());
        Path log = run.resolve("logs/idle.log");
        awaitLine(log, "idle service up");

        launcher.destroyForcibly().waitFor();

        await().atMost(WITHIN).until(() -> !child.isAlive());
        assertThat(Files.readString(log)).contains("playbill watchdog:");
    }

    @Test
    void aServiceStopsWhenItsLaunchersProcessEndsThoughItsInputStaysOpen() throws Exception {
        Process launcher = track(idle("launcher", List.of()));
        // This test holds the child's input open: only the launcher's process id can tell it.
        Process child = track(idle("child", List.of("-javaagent:" + agent + "=" + launcher.pid())));
        awaitLine(run.resolve("child.log"), "idle service up");
        assertThat(child.isAlive()).as("a child whose launcher lives keeps running").isTrue();

        launcher.destroyForcibly().waitFor();

        await().atMost(WITHIN).until(() -> !child.isAlive());
        assertThat(Files.readString(run.resolve("child.log")))
                .contains("the launcher (pid " + launcher.pid() + ") exited");
    }

    @Test
    void aServiceStopsWhenItsLaunchersPipeCloses() throws Exception {
        // Its launcher (this JVM) lives on: only the end of its input can tell it.
        Process child = track(idle("child", List.of("-javaagent:" + agent + "=" + ProcessHandle.current().pid())));
        awaitLine(run.resolve("child.log"), "idle service up");
        Thread.sleep(500);
        assertThat(child.isAlive()).as("a child whose launcher lives keeps running").isTrue();

        child.getOutputStream().close();

        await().atMost(WITHIN).until(() -> !child.isAlive());
        assertThat(Files.readString(run.resolve("child.log"))).contains("the launcher's pipe closed");
    }

    @Test
    void aServiceWhoseLauncherIsAlreadyGoneDoesNotRun() throws Exception {
        Process launcher = track(idle("launcher", List.of()));
        launcher.destroyForcibly().waitFor();

        Process child = track(idle("child", List.of("-javaagent:" + agent + "=" + launcher.pid())));

        await().atMost(WITHIN).until(() -> !child.isAlive());
        assertThat(Files.readString(run.resolve("child.log"))).contains("is not running")
                .doesNotContain("idle service up");
    }

    /** An idle JVM whose input is a pipe from this test, its output in {@code run/<name>.log}. */
    private Process idle(String name, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", idleJar.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(run.resolve(name + ".log").toFile()).start();
    }

    private Process track(Process process) {
        started.add(process);
        return process;
    }

    private static void awaitLine(Path log, String line) {
        await().atMost(WITHIN).until(() -> Files.exists(log) && Files.readString(log).contains(line));
    }
}
