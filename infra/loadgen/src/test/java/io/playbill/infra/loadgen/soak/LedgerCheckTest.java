package io.playbill.infra.loadgen.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.infra.loadgen.simulate.PlayerOutcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway accepted, held against stored events: the two ways of being wrong, and being right. */
class LedgerCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "u1";
    private static final String SESSION = "s1";

    @Test
    void everyAcceptedCallInTheStoreOnceIsClean() throws Exception {
        LedgerCheck.Result result = judge(accepted(List.of(31L, 32L), true), history());

        assertThat(result.clean()).isTrue();
        assertThat(result.accepted()).as("top-up, settlement, start, two renews, stop").isEqualTo(6);
    }

    @Test
    void anAcceptedRenewWithoutItsEventIsLost() throws Exception {
        LedgerCheck.Result result = judge(accepted(List.of(31L, 32L, 33L), true), history());

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.lostListed().get(0).what()).contains("deadline 33");
        assertThat(result.twice()).isZero();
    }

    @Test
    void secondsChargedAgainAndADepositCreditedTwiceAreAppliedTwice() throws Exception {
        List<LedgerCheck.StoredEvent> events = new ArrayList<>(history());
        events.add(event("PlaytimeCharged", "{\"session\":\"s1\",\"secondsCharged\":2,\"billedSeconds\":2}"));
        events.add(event("FundsDeposited", "{\"reference\":\"top-up\"}"));

        LedgerCheck.Result result = judge(accepted(List.of(31L, 32L), true), events);

        assertThat(result.twice()).isEqualTo(2);
        assertThat(result.twiceListed()).extracting(LedgerCheck.Finding::what)
                .anyMatch(what -> what.contains("seconds 0-2 charged again"))
                .anyMatch(what -> what.contains("top-up credited 2 times"));
        assertThat(result.lost()).isZero();
    }

    @Test
    void aStopThatGotNoAnswerIsNotCountedAsAccepted() throws Exception {
        List<LedgerCheck.StoredEvent> events = new ArrayList<>(history());
        events.removeIf(event -> event.type().equals("SessionEnded"));

        assertThat(judge(accepted(List.of(31L, 32L), false), events).clean()).isTrue();
        assertThat(judge(accepted(List.of(31L, 32L), true), events).lost()).isEqualTo(1);
    }

    private static LedgerCheck.Result judge(PlayerOutcome player, List<LedgerCheck.StoredEvent> events) {
        return LedgerCheck.judge(List.of(player), Map.of(USER, events), Set.of(USER), user -> "settle-" + user);
    }

    private static PlayerOutcome accepted(List<Long> deadlines, boolean stopped) {
        return new PlayerOutcome(USER, SESSION, "standard", 100, true, true, true, 2_000, 3_000, 32, "play-length",
                deadlines.size(), 0, 0, new PlayerOutcome.Accepted("top-up", true, deadlines, stopped));
    }

    /** Top-up, start, two renews with one second charged each, stop, settlement deposit. */
    private static List<LedgerCheck.StoredEvent> history() throws Exception {
        return List.of(
                event("FundsDeposited", "{\"reference\":\"top-up\"}"),
                event("SessionStarted", "{\"session\":\"s1\"}"),
                event("SessionRenewed", "{\"session\":\"s1\",\"deadline\":31}"),
                event("PlaytimeCharged", "{\"session\":\"s1\",\"secondsCharged\":1,\"billedSeconds\":1}"),
                event("SessionRenewed", "{\"session\":\"s1\",\"deadline\":32}"),
                event("PlaytimeCharged", "{\"session\":\"s1\",\"secondsCharged\":1,\"billedSeconds\":2}"),
                event("SessionEnded", "{\"session\":\"s1\"}"),
                event("FundsDeposited", "{\"reference\":\"settle-u1\"}"));
    }

    private static LedgerCheck.StoredEvent event(String type, String json) throws Exception {
        return new LedgerCheck.StoredEvent(type, JSON.readTree(json));
    }
}
