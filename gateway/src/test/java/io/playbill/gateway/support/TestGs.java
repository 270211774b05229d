package io.playbill.gateway.support;

import io.playbill.gsemulator.GsEmulator;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.gsemulator.JournalEntry;
import io.playbill.gsemulator.ManualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One in-process GS emulator per test JVM, shared by every cloud test context: one worker per game (in
 * {@value GsEmulatorConfig#DEFAULT_REGION}; {@link #TWO_REGION_GAME} has two), so a second player has to queue, and
 * a {@link ManualClock} that tests skew. A stopped game frees its worker at once: the clock stands still, so a
 * stopping window would never end (StoppingWindowTest has its own emulator). {@link #reset()} frees everything and
 * puts the clock back on real time (the signature check compares it with the SDK's timestamps).
 */
public final class TestGs {

    /** The one game with workers in two regions: one in ap-shanghai, then one in ap-guangzhou. */
    public static final String TWO_REGION_GAME = "g-two-regions";

    private static GsEmulator emulator;
    private static ManualClock clock;

    public static synchronized GsEmulator emulator() {
        if (emulator == null) {
            clock = new ManualClock(Instant.now());
            emulator = GsEmulator.start(GsEmulatorConfig.defaults().withPort(0).withWorkersPerGame(1)
                    .withWorkersForGame(TWO_REGION_GAME, "ap-shanghai", 1)
                    .withWorkersForGame(TWO_REGION_GAME, "ap-guangzhou", 1)
                    .withLockTimeout(Duration.ofSeconds(30)).withStoppingWindow(Duration.ZERO).withClock(clock));
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "test-gs-emulator-stop"));
        }
        return emulator;
    }

    public static String endpoint() {
        return "127.0.0.1:" + emulator().port();
    }

    public static synchronized ManualClock clock() {
        emulator();
        return clock;
    }

    public static void reset() {
        ManualClock now = clock();
        now.advance(Duration.between(now.instant(), Instant.now()));
        emulator().reset();
    }

    /** The calls of {@code action} for {@code userId}, oldest first. */
    public static List<JournalEntry> calls(String action, String userId) {
        return emulator().journal().stream()
                .filter(entry -> action.equals(entry.action()) && userId.equals(entry.userId()))
                .toList();
    }

    /** The answer codes of those calls ("OK" or the error code). */
    public static List<String> codes(String action, String userId) {
        return calls(action, userId).stream().map(JournalEntry::code).toList();
    }

    private TestGs() {
    }
}
