package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./playbill up} as a process of its own, as a user runs it. Killed with SIGKILL, it leaves no service JVM
 * behind, and the next {@code up} on the same data directory stops the PostgreSQL it left and starts with the state
 * the first one accepted (and does not seed the dev price again); SIGHUP (like SIGINT and SIGTERM) stops everything
 * cleanly.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.OWN_PLATFORM)
class PlaybillUpProcessTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private final List<Process> launchers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        launchers.forEach(Process::destroyForcibly);
    }

    @Test
    void recoversFromItsOwnCrashAndStopsCleanlyOnSighup() throws Exception {
        Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "up-");
        Map<String, String> ports = new HashMap<>();
        for (String variable : List.of("PLAYBILL_PG_PORT", "PLAYBILL_KAFKA_PORT", "PLAYBILL_GATEWAY_PORT",
                "PLAYBILL_COMMAND_PORT", "PLAYBILL_QUERY_PORT", "PLAYBILL_GS_PORT")) {
            ports.put(variable, String.valueOf(LoopbackPorts.free()));
        }

        Process crashing = up(home, data, ports, data.resolve("first.out"));
        String gateway = "http://127.0.0.1:" + ports.get("PLAYBILL_GATEWAY_PORT");
        String user = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        var deposit = TestHttp.send("POST", gateway + "/api/admin/accounts/" + user + "/deposits",
                DevCredentials.userToken("ops", List.of("admin"), Duration.ofMinutes(10)),
                "{\"amount\":1000,\"reference\":\"before-the-crash\"}");
        assertThat(deposit.status()).as(deposit.body().toString()).isEqualTo(200);
        String first = Files.readString(data.resolve("first.out"));
        Matcher warmedUp = Pattern.compile("Warmed up: (\\d+) calls refused as expected in").matcher(first);
        assertThat(warmedUp.find()).as("the warm-up's line:%n%s", first).isTrue();
        assertThat(Integer.parseInt(warmedUp.group(1))).as("calls the ledger refused").isPositive();
        assertThat(warmedUp.start()).as("warmed up before it is up").isLessThan(first.indexOf("Playbill is up"));
        assertThat(first).as("the dev price seeded just before is waited for, so authToken is warmed too")
                .doesNotContain("authToken left out");
        List<ProcessHandle> orphans = services(crashing);
        long leftPostgres = postmasterPid(data);
        crashing.destroyForcibly().waitFor();

        await().atMost(Duration.ofSeconds(15)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(ProcessHandle.of(leftPostgres).filter(ProcessHandle::isAlive))
                .as("PostgreSQL runs in a process of its own and outlives the launcher").isPresent();

        Process launcher = up(home, data, ports, data.resolve("second.out"));
        assertThat(Files.readString(data.resolve("second.out")))
                .contains("Stopped PostgreSQL (pid " + leftPostgres + ") left running on");
        List<ProcessHandle> services = services(launcher);
        long postgres = postmasterPid(data);
        assertThat(PlatformSmokeTest.awaitBalance(gateway, user, 1000))
                .as("the deposit accepted before the crash, projected after the restart").isEqualTo(1000);
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.get("PLAYBILL_PG_PORT")
                + "/playbill_ledger", "postgres", "");
             var q = c.prepareStatement("select count(*) from domain_event_entry"
                     + " where payload_type = 'io.playbill.ledger.api.events.PriceSet'")) {
            var rs = q.executeQuery();
            rs.next();
            assertThat(rs.getLong(1)).as("the dev price is seeded on the first start only").isEqualTo(1);
        }

        // Under nohup the launcher inherits SIGHUP ignored and rightly keeps ignoring it (the JVM installs no handler
        // for an ignored signal); SIGTERM then stands in for it, which runs the same shutdown.
        String signal = sighupIgnored() ? "TERM" : "HUP";
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(launcher.pid())).start().waitFor())
                .isZero();

        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s of SIG" + signal).isTrue();
        assertThat(launcher.exitValue()).as("128 + the signal").isEqualTo(signal.equals("HUP") ? 129 : 143);
        assertThat(Files.readString(data.resolve("second.out"))).contains("Stopping Playbill ...", "Stopped.");
        assertThat(services).noneMatch(ProcessHandle::isAlive);
        // pg_ctl returns once the server has removed its lock file, a moment before its process ends.
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(postgres).filter(ProcessHandle::isAlive)
                .isEmpty());
        assertThat(data.resolve("postgres/data/postmaster.pid")).as("PostgreSQL shut down cleanly").doesNotExist();
        // The watchdog has two signs of the launcher's death, its input pipe closing and the launcher's process id
        // ending; whichever it sees first names the cause, and a busy machine can let the process poll win.
        for (String service : List.of("command-service", "query-service", "gateway")) {
            assertThat(Files.readString(data.resolve("run/logs/" + service + ".log")))
                    .as("%s was stopped by its watchdog after the crash, and by the launcher the second time", service)
                    .containsOnlyOnce("; stopping this service");
        }
    }

    /** Runs {@code PlaybillMain up} in a JVM of its own and returns once it says it is up. */
    private Process up(Path home, Path data, Map<String, String> ports, Path output) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"),
                PlaybillMain.class.getName(), "up", "--home", home.toString(), "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(ports);
        // Ten made-up players (70 calls) show the warm-up runs before "up" without the default's 10-20 s.
        builder.environment().put(PlaybillMain.WARM_UP_VARIABLE, "10");
        Process launcher = builder.start();
        launchers.add(launcher);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!launcher.isAlive()) {
                throw new AssertionError("up exited with " + launcher.exitValue() + ":\n" + Files.readString(output));
            }
            return Files.readString(output).contains("Playbill is up");
        });
        return launcher;
    }

    private static List<ProcessHandle> services(Process launcher) {
        List<ProcessHandle> services = launcher.children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("-exec.jar")).orElse(false)).toList();
        assertThat(services).hasSize(3);
        return services;
    }

    /** Whether this JVM (and so the launcher it starts) was started with SIGHUP ignored, as under nohup. */
    private static boolean sighupIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
                .map(line -> new BigInteger(line.substring("SigIgn:".length()).trim(), 16))
                .anyMatch(ignored -> ignored.testBit(0));
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postgres/data/postmaster.pid")).get(0).trim());
    }
}
