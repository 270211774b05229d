package io.playbill.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.events.Revision;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stored event payload ({@code src/test/resources/events/<Type>/<revision>.json}, written by the ledger's
 * Jackson from the records of that revision; {@code unrevised} is what was stored before events carried a revision)
 * still reads, with plain Jackson as the query-service and the gateway's stopper read the ledger-events topic, into
 * the values it was written with. The ledger's own reading through Axon's upcasters is
 * {@code io.playbill.ledger.axon.upcasting.StoredEventsUpcastingTest}.
 */
class StoredEventsJsonTest {

    static final long T = 1_700_000_000_000L;
    static final Actor FINANCE = new Actor("fiona", List.of("finance"));
    static final Actor ADMIN = new Actor("ops", List.of("admin"));

    private final ObjectMapper json = new ObjectMapper();

    /** The golden files and the event each holds. */
    static Stream<Arguments> storedEvents() {
        return Stream.of(
                Arguments.of("AccountOpened/unrevised", new AccountOpened("alice", T)),
                Arguments.of("FundsDeposited/unrevised",
                        new FundsDeposited("alice", "pay-1", money(1000), money(1000), T + 1, FINANCE)),
                Arguments.of("FundsDeposited/unrevised-before-actors",
                        new FundsDeposited("alice", "pay-1", money(1000), money(1000), T + 1, null)),
                Arguments.of("FundsRefunded/unrevised", new FundsRefunded("alice", "refund-1", money(400),
                        "game crashed", money(600), T + 2, FINANCE)),
                Arguments.of("FundsRefunded/unrevised-before-actors", new FundsRefunded("alice", "refund-1",
                        money(400), "game crashed", money(600), T + 2, null)),
                Arguments.of("BalanceAdjusted/unrevised", new BalanceAdjusted("alice", "adj-1", money(-300),
                        "double payment", money(300), T + 3, FINANCE)),
                Arguments.of("BalanceAdjusted/unrevised-before-actors", new BalanceAdjusted("alice", "adj-1",
                        money(-300), "double payment", money(300), T + 3, null)),
                Arguments.of("PriceSet/unrevised", new PriceSet("standard", 60, T - 3_600_000, "ops", ADMIN)),
                Arguments.of("PriceSet/unrevised-before-actors",
                        new PriceSet("standard", 60, T - 3_600_000, "ops", null)),
                Arguments.of("SessionAuthorized/unrevised",
                        new SessionAuthorized("alice", "s1", "standard", 60, T + 10_000, T + 610_000)),
                Arguments.of("SessionStarted/unrevised", new SessionStarted("alice", "s1", "standard",
                        BillingMode.OVER, seconds(60), 60, seconds(30), T + 15_000, T + 75_000)),
                Arguments.of("PlaytimeCharged/unrevised", new PlaytimeCharged("alice", "s1", "standard",
                        T + 18_000, 60, seconds(35), seconds(65), money(35), money(265))),
                Arguments.of("SessionRenewed/unrevised", renewed()),
                Arguments.of("SessionRenewed/unrevised-before-balance-limited", renewed()),
                Arguments.of("SessionEnded/unrevised", new SessionEnded("alice", "s1", "standard",
                        SessionEndReason.BALANCE_EXHAUSTED, T + 78_000, seconds(65), money(65), seconds(60),
                        money(265))));
    }

    /** Not balance-limited: payloads from before the flag existed read as not limited. */
    private static SessionRenewed renewed() {
        return new SessionRenewed("alice", "s1", "standard", T + 18_000, Seconds.ZERO, T + 18_000, 60, seconds(65),
                seconds(65), seconds(60), money(265), T + 108_000, false);
    }

    private static Money money(long minorUnits) {
        return Money.of(minorUnits);
    }

    private static Seconds seconds(long seconds) {
        return Seconds.of(seconds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedEvents")
    void aStoredPayloadReadsAsTheEventItWasWrittenFrom(String file, Object event) throws Exception {
        byte[] stored = GoldenFiles.read("events/" + file + ".json");

        assertThat(json.readValue(stored, event.getClass())).isEqualTo(event);
    }

    /** Revision 1 is the unrevised shape with every field present: typed fields write the same numbers. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storedEvents")
    void anEventIsWrittenAsItsRevisionOneGoldenFile(String file, Object event) throws Exception {
        if (!file.endsWith("/unrevised")) {
            return;
        }
        String type = file.substring(0, file.indexOf('/'));
        assertThat(event.getClass().getAnnotation(Revision.class).value()).isEqualTo("1");
        assertThat(json.readTree(json.writeValueAsBytes(event)))
                .isEqualTo(json.readTree(GoldenFiles.read("events/" + type + "/1.json")));
    }
}
