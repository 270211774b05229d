package io.playbill.infra.loadgen.soak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short soak, on a platform of two instances of each service (two gateways, two command-services, two
 * query-services on one broker and one PostgreSQL): simulated players, pinned half to each gateway, play while the
 * first instance of each service is killed with SIGKILL and PostgreSQL is restarted; then every balance is reconciled,
 * everything the gateways accepted is looked up in the ledger's event store, a replay and an audit are asked of both
 * query-service instances at once, and the audit must be clean. {@code ./playbill soak} runs the same, longer.
 * It runs beside the module's other test classes (junit-platform.properties, docs/decisions/052).
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(ChaosSoakOnThePlatformTest.THIS_JVMS_CPU)
public class ChaosSoakOnThePlatformTest {

    /** Held by the soak and by a test that measures this JVM's CPU time, which the soak's players would spoil. */
    public static final String THIS_JVMS_CPU = "this JVM's CPU time";

    @Test
    void twoOfEachSurviveAKillOfEachAndAPostgresRestartWithNothingLostOrChargedTwice() throws Exception {
        Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "soak-");
        String runId = "t" + Long.toString(System.currentTimeMillis(), 36);
        // Arrivals spread over the run, so players are playing at each fault; a 31 s cycle bills about once a second.
        // The platform's data (logs, event store) stays under target/ for a look after a failure.
        SoakOptions options = SoakOptions.parse(new String[]{"--instances", "2", "--players", "40",
                "--arrival-rate", "0.5", "--duration", "110s", "--play-length", "uniform:20s-40s", "--cycle", "31s",
                "--chaos", "command-service,query-service,gateway,postgres", "--seed", "7",
                "--data", data.resolve("platform").toString(), "--keep-data",
                "--report", data.resolve("soak.json").toString()},
                home, runId);

        SoakReport report = new SoakCommand(options, System.out).run();

        assertThat(report.chaos()).extracting(Chaos.Event::target)
                .containsExactly("command-service", "query-service", "gateway", "postgres");
        assertThat(report.chaos()).as("every instance ready again after each fault").allMatch(Chaos.Event::recovered);
        assertThat(report.killsSurvived()).isEqualTo(3);
        assertThat(report.platformFailure()).isNull();
        assertThat(report.played()).as("players that played").isPositive();
        assertThat(report.ledger().accepted()).as("accepted calls checked against the ledger").isPositive();
        assertThat(report.lostRequests()).as("accepted, not in the ledger: " + report.ledger().lostListed())
                .isZero();
        assertThat(report.appliedTwice()).as("applied twice: " + report.ledger().twiceListed()).isZero();
        assertThat(report.reconciliation().failures()).as("players outside the under-billing bound").isEmpty();
        assertThat(report.replay()).isNotNull();
        assertThat(report.replay().started()).as("one instance runs the replay, the other answers 409")
                .containsExactlyInAnyOrder(202, 409);
        assertThat(report.replay().ok()).as(String.valueOf(report.replay().problem())).isTrue();
        assertThat(report.audit().outcome().started()).as("one instance runs the audit, the other answers 409")
                .containsExactlyInAnyOrder(202, 409);
        assertThat(report.audit().clean()).as("audit: " + report.audit().outcome() + " " + report.audit().report())
                .isTrue();
        assertThat(report.audit().report().path("projections")).as("every projection caught up").isNotEmpty()
                .allSatisfy(projection -> assertThat(projection.path("caughtUp").asBoolean()).isTrue());
        assertThat(report.ok()).isTrue();
        assertThat(report.longestOutage("gateway")).as("the players pinned to the killed gateway saw it go")
                .isPresent();
        assertThat(Files.readString(data.resolve("soak.json"))).contains("\"lostRequests\" : 0");
    }
}
