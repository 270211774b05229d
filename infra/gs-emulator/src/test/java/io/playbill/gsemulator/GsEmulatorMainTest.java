package io.playbill.gsemulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GsEmulatorMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void withoutOptionsItUsesTheDevDefaultsOnPort8090() {
        GsEmulatorConfig config = GsEmulatorMain.parse(new String[0], Map.of());

        assertThat(config.port()).isEqualTo(8090);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.secretId()).isEqualTo("playbill-dev-secret-id");
        assertThat(config.secretKey()).isEqualTo("playbill-dev-secret-key");
        assertThat(config.workersPerGame()).isEqualTo(2);
        assertThat(config.lockTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void optionsWinOverTheEnvironmentWhichWinsOverTheDefaults() {
        Map<String, String> env = Map.of("GS_EMULATOR_SECRET_ID", "env-id", "GS_EMULATOR_SECRET_KEY", "env-key");

        GsEmulatorConfig fromEnv = GsEmulatorMain.parse(new String[0], env);
        GsEmulatorConfig fromOptions = GsEmulatorMain.parse(new String[] {"--port", "9001", "--secret-id", "opt-id",
                "--workers", "5", "--game-workers", "chess=1", "--lock-timeout", "500ms", "--stopping-window", "0s"},
                env);

        assertThat(fromEnv.secretId()).isEqualTo("env-id");
        assertThat(fromEnv.secretKey()).isEqualTo("env-key");
        assertThat(fromOptions.port()).isEqualTo(9001);
        assertThat(fromOptions.secretId()).isEqualTo("opt-id");
        assertThat(fromOptions.secretKey()).isEqualTo("env-key");
        assertThat(fromOptions.workersFor("chess")).isEqualTo(1);
        assertThat(fromOptions.workersFor("go")).isEqualTo(5);
        assertThat(fromOptions.lockTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(fromOptions.stoppingWindow()).isZero();
        assertThat(fromEnv.stoppingWindow()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void gameWorkersArePlacedInRegionsAndDefaultToGuangzhou() {
        GsEmulatorConfig config = GsEmulatorMain.parse(new String[] {"--game-workers", "chess@ap-shanghai=3",
                "--game-workers", "chess=1", "--game-workers", "go@eu-frankfurt=2"}, Map.of());

        assertThat(config.placementOf("chess")).containsExactly(Map.entry("ap-shanghai", 3), Map.entry("ap-guangzhou", 1));
        assertThat(config.placementOf("go")).containsExactly(Map.entry("eu-frankfurt", 2));
        assertThat(config.placementOf("checkers")).containsExactly(Map.entry("ap-guangzhou", 2));
        assertThat(config.workersFor("chess")).isEqualTo(4);
    }

    @Test
    void badPlacementsAndWindowsAreRefused() {
        assertThat(launch("--game-workers", "chess@=2")).isEmpty();
        assertThat(launch("--game-workers", "chess@ap-shanghai")).isEmpty();
        assertThat(launch("--game-workers", "chess@ap-shanghai=-1")).isEmpty();
        assertThat(launch("--stopping-window", "-PT1S")).isEmpty();
        assertThat(text(err)).contains("--game-workers takes GAME_ID=N or GAME_ID@REGION=N, not chess@=2")
                .contains("worker counts must not be negative")
                .contains("stoppingWindow must not be negative");
    }

    @Test
    void lockTimeoutsReadShortAndIsoForms() {
        assertThat(GsEmulatorMain.duration("--lock-timeout", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(GsEmulatorMain.duration("--lock-timeout", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(GsEmulatorMain.duration("--lock-timeout", "PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> GsEmulatorMain.duration("--stopping-window", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--stopping-window takes");
    }

    @Test
    void badOptionsAreRefusedWithTheUsage() {
        Optional<GsEmulator> started = launch("--workers", "many");

        assertThat(started).isEmpty();
        assertThat(text(err)).contains("--workers takes a number, not many").contains("Usage:");
    }

    @Test
    void aTakenPortIsReportedInOneLine() {
        try (GsEmulator first = GsEmulator.start(GsEmulatorConfig.defaults())) {
            Optional<GsEmulator> second = launch("--port", String.valueOf(first.port()));

            assertThat(second).isEmpty();
            assertThat(text(err)).isEqualTo("gs-emulator: cannot listen on 127.0.0.1:" + first.port()
                    + ": the port is already in use (another emulator running? pick one with --port)"
                    + System.lineSeparator());
        }
    }

    @Test
    void startingSaysWhereButNeverShowsTheSecretKey() {
        Optional<GsEmulator> started = launch("--port", "0", "--secret-id", "my-id", "--secret-key", "my-very-secret-key");
        try {
            assertThat(started).isPresent();
            assertThat(text(out)).contains("http://127.0.0.1:" + started.get().port()).contains("my-id")
                    .doesNotContain("my-very-secret-key").doesNotContain("DEV credentials");
        } finally {
            started.ifPresent(GsEmulator::close);
        }
    }

    @Test
    void theDevCredentialsAreFlaggedAndTheConfigNeverPrintsTheKey() {
        Optional<GsEmulator> started = launch("--port", "0");
        started.ifPresent(GsEmulator::close);

        assertThat(text(out)).contains("DEV credentials").doesNotContain(GsEmulatorConfig.DEV_SECRET_KEY);
        assertThat(GsEmulatorConfig.defaults().toString()).doesNotContain(GsEmulatorConfig.DEV_SECRET_KEY);
    }

    private Optional<GsEmulator> launch(String... args) {
        return GsEmulatorMain.launch(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
