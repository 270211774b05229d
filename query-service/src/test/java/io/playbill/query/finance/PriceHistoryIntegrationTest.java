package io.playbill.query.finance;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.query.support.LedgerFixture;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The price history (finance) and the prices in force (any player) from the {@code PriceSet} events, written once
 * however often an event is delivered.
 */
class PriceHistoryIntegrationTest extends QueryServiceTest {

    @Test
    void financeSeesEveryPriceOfAQueueNewestFirstOnceEach() throws Exception {
        String queue = "q-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.parse("2031-02-01T10:00:00Z");
        LedgerFixture.Event first = ledger().price(queue, 60, t);
        ledger().price(queue, 120, t.plusSeconds(3600));
        ledger().price(queue, 0, t.plusSeconds(7200));
        ledger().redeliver(List.of(first));
        awaitProjections();

        JsonNode page = api().get("/finance/prices?queue=" + queue, "fin", "finance").json();
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(rows(page)).containsExactly(
                "0 2031-02-01T12:00:00Z admin", "120 2031-02-01T11:00:00Z admin", "60 2031-02-01T10:00:00Z admin");

        List<String> csv = api().csv("/finance/prices?queue=" + queue, "fin", "finance").body().lines().toList();
        assertThat(csv).containsExactly("queue,pricePerMinute,effectiveFrom,setBy",
                queue + ",0,2031-02-01T12:00:00Z,admin", queue + ",120,2031-02-01T11:00:00Z,admin",
                queue + ",60,2031-02-01T10:00:00Z,admin");
    }

    @Test
    void aPlayerSeesThePriceInForceOfEachQueue() throws Exception {
        String cheap = "a-" + UUID.randomUUID().toString().substring(0, 8);
        String dear = "b-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.parse("2031-03-01T10:00:00Z");
        ledger().price(cheap, 30, t);
        ledger().price(dear, 200, t);
        ledger().price(cheap, 45, t.plusSeconds(60));
        awaitProjections();

        JsonNode prices = api().get("/me/prices?size=500", "player-" + UUID.randomUUID(), null).json();
        List<String> current = new ArrayList<>();
        prices.get("items").forEach(p -> {
            if (p.get("queue").asText().equals(cheap) || p.get("queue").asText().equals(dear)) {
                current.add(p.get("queue").asText() + " " + p.get("pricePerMinute").asLong() + " "
                        + p.get("effectiveFrom").asText());
            }
        });
        assertThat(current).containsExactly(cheap + " 45 2031-03-01T10:01:00Z", dear + " 200 2031-03-01T10:00:00Z");
    }

    @Test
    void thePriceHistoryIsForFinanceOnly() {
        assertThat(api().get("/finance/prices", "player", null).error()).isEqualTo("403 forbidden");
        assertThat(api().get("/finance/prices", "ops", "admin").status()).isEqualTo(200);
        assertThat(api().get("/finance/prices?size=0", "fin", "finance").error()).isEqualTo("400 invalid_size");
    }

    private static List<String> rows(JsonNode page) {
        List<String> rows = new ArrayList<>();
        page.get("items").forEach(p -> rows.add(p.get("pricePerMinute").asLong() + " " + p.get("effectiveFrom").asText()
                + " " + p.get("setBy").asText()));
        return rows;
    }
}
