package io.playbill.ledger.pricing;

import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue's prices are read once per transaction (one intake batch): a price another instance commits meanwhile
 * applies from the next batch, a price set by the batch itself at once (billing.md, "Prices").
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JdbcPriceBookIntegrationTest extends LedgerIntegrationTest {

    private static final long T = 1_800_000_000_000L;

    @Autowired
    JdbcPriceBook prices;
    @Autowired
    PriceBookProjection projection;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private final String queue = "q-" + UUID.randomUUID();

    @Test
    void aBatchKeepsThePricesItReadUntilItEndsOrSetsOneItself() {
        setPriceInItsOwnTransaction(100, T);

        new TransactionTemplate(transactions).executeWithoutResult(batch -> {
            assertThat(prices.pricePerMinute(queue, T + 10)).hasValue(100);

            setPriceInItsOwnTransaction(200, T + 5); // another instance, committed while the batch runs
            assertThat(prices.pricePerMinute(queue, T + 10)).as("read once per batch").hasValue(100);

            projection.on(new PriceSet(queue, 300, T + 6, "admin", null)); // a SetPrice earlier in this batch
            assertThat(prices.pricePerMinute(queue, T + 10)).as("the batch's own price, at once").hasValue(300);
            assertThat(prices.pricePerMinute(queue, T + 5)).hasValue(200);
        });

        assertThat(prices.pricePerMinute(queue, T + 5)).as("the next batch reads again").hasValue(200);
        assertThat(prices.pricePerMinute(queue, T - 1)).as("no price before the first").isEmpty();
    }

    private void setPriceInItsOwnTransaction(long pricePerMinute, long effectiveFromMillis) {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        own.executeWithoutResult(status -> jdbc.update("insert into queue_price (queue, effective_from_millis,"
                + " price_per_minute, set_by) values (?, ?, ?, 'another instance')", queue, effectiveFromMillis,
                pricePerMinute));
    }
}
