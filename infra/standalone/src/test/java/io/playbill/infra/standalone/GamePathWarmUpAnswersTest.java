package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the warm-up counts as the ledger's refusal, and what {@code PLAYBILL_WARM_UP_PLAYERS} may say. */
class GamePathWarmUpAnswersTest {

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"...\"}}";
    }

    @Test
    void onlyTheExpectedCodeWithItsStatusIsARefusal() {
        assertThat(GamePathWarmUp.judged(402, error("insufficient_balance"))).isNull();
        assertThat(GamePathWarmUp.judged(403, error("session_not_found"))).isNull();
        assertThat(GamePathWarmUp.judged(402, error("session_not_found"))).isEqualTo("HTTP 402 session_not_found");
        assertThat(GamePathWarmUp.judged(403, error("forbidden"))).isEqualTo("HTTP 403 forbidden");
        assertThat(GamePathWarmUp.judged(503, error("ledger_unavailable"))).isEqualTo("HTTP 503 ledger_unavailable");
        assertThat(GamePathWarmUp.judged(200, "{\"token\":\"x\"}")).isEqualTo("HTTP 200");
        assertThat(GamePathWarmUp.judged(502, "<html>Bad Gateway</html>")).isEqualTo("HTTP 502");
        assertThat(GamePathWarmUp.judged(402, "")).isEqualTo("HTTP 402");
    }

    @Test
    void theNumberOfPlayersIsAWholeNumberOrTheDefault() {
        assertThat(PlaybillMain.warmUpPlayers(null)).isEqualTo(PlaybillMain.WARM_UP_PLAYERS);
        assertThat(PlaybillMain.warmUpPlayers(" ")).isEqualTo(PlaybillMain.WARM_UP_PLAYERS);
        assertThat(PlaybillMain.warmUpPlayers("0")).isZero();
        assertThat(PlaybillMain.warmUpPlayers(" 25 ")).isEqualTo(25);
        assertThatThrownBy(() -> PlaybillMain.warmUpPlayers("abc")).hasMessageContaining("PLAYBILL_WARM_UP_PLAYERS");
        assertThatThrownBy(() -> PlaybillMain.warmUpPlayers("-1")).hasMessageContaining("PLAYBILL_WARM_UP_PLAYERS");
    }
}
