package io.playbill.query.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Old ledger events may hold text PostgreSQL cannot store (U+0000) or that has no UTF-8 form (an unpaired
 * surrogate). Published as the ledger's publisher does, they project with U+FFFD in its place, and the projections
 * go on with everyone else's events instead of stopping.
 */
class UnstorableTextIntegrationTest extends QueryServiceTest {

    @Test
    void aNulInARefundReasonNeitherStopsTheProjectionsNorIsLost() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String bad = "nul-" + id;
        String next = "next-" + id;
        long t = Instant.parse("2034-05-01T00:00:00Z").toEpochMilli();
        ledger().account(bad).add(new AccountOpened(bad, t), new FundsDeposited(bad, "d1", Money.of(100), Money.of(100), t, null),
                new FundsRefunded(bad, "r\u00001", Money.of(10), "goodwill\u0000 =x", Money.of(90), t + 1, null),
                new BalanceAdjusted(bad, "a1", Money.of(-5), "half \uD800 a pair, whole \uD83D\uDE00", Money.of(85), t + 2, null));
        ledger().account(next).add(new AccountOpened(next, t), new FundsDeposited(next, "d1", Money.of(70), Money.of(70), t + 3, null));

        awaitProjections();

        assertThat(api().get("/me/account", next, null).json().get("balance").asLong())
                .as("the events after the bad one are projected").isEqualTo(70);
        assertThat(api().get("/me/account", bad, null).json().get("balance").asLong()).isEqualTo(85);
        JsonNode lines = api().get("/me/statement", bad, null).json().get("items");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).get("reference").asText()).isEqualTo("r\uFFFD1");
        assertThat(lines.get(1).get("reason").asText()).isEqualTo("goodwill\uFFFD =x");
        assertThat(lines.get(2).get("reason").asText()).isEqualTo("half \uFFFD a pair, whole \uD83D\uDE00");
        assertThat(api().csv("/me/statement", bad, null).body()).contains(",refund,-10,90,r\uFFFD1,goodwill\uFFFD =x,");
        assertThat(api().get("/finance/liability?asOf=2034-05-02", "fin", "finance").status()).isEqualTo(200);
    }
}
