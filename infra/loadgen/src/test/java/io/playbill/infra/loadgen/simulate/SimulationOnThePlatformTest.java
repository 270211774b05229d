package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.kafka.LoopbackPorts;
import io.playbill.infra.standalone.Platform;
import io.playbill.infra.standalone.PlatformConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small simulation against the real platform (embedded PostgreSQL and Kafka, the three services as child JVMs):
 * 50 players, each billed by the ledger, every balance reconciled against the play the player measured. It
 * asserts correctness, not speed. The service JVMs inherit this JVM's environment, which the module's surefire
 * configuration sets to under-billing with a 31 s cycle: with the SDK's 30 s margin, a player renews about once
 * a second, so even 4–12 s games go through many cumulative charges.
 */
class SimulationOnThePlatformTest {

    private static final String CYCLE = "31s";

    @Test
    void fiftyPlayersAreChargedWithinTheUnderBillingBound() throws Exception {
        Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "simulate-");
        PlatformConfig config = new PlatformConfig(home, data, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free(), LoopbackPorts.free(), PlatformConfig.defaults(home, data).jvmOptions());
        String runId = "t" + Long.toString(System.currentTimeMillis(), 36);

        try (Platform platform = Platform.start(config)) {
            // 45 units at 1 unit/s: the deadline grows renew by renew for 14 s, then the balance caps it at 45 s.
            SimulateOptions options = SimulateOptions.parse(new String[]{
                    "--gateway", platform.serviceUrls().get("gateway"),
                    "--players", "50", "--arrival-rate", "20", "--play-length", "uniform:4s-12s",
                    "--duration", "60s", "--top-up", "45", "--price", "60", "--queue", "standard",
                    "--mode", "under", "--cycle", CYCLE, "--seed", "42",
                    "--report", data.resolve("simulate-report.json").toString()}, home, runId);

            Reconciliation.Result result = new SimulateCommand(options, runId, System.out).run();

            assertThat(result.failures()).as("players outside the under-billing bound").isEmpty();
            assertThat(result.players()).isEqualTo(50);
            assertThat(result.played()).as("players that received a first renew token").isEqualTo(50);
            assertThat(result.totalCharged()).as("the ledger charged playtime").isPositive();
            assertThat(result.ok()).isTrue();
            assertThat(Files.readString(data.resolve("simulate-report.json"))).contains("\"reconciliation\"");
        }
    }
}
