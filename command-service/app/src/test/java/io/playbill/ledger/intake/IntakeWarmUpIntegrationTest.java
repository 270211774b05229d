package io.playbill.ledger.intake;

import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up before the intake starts (decision 043) runs the accepted path and leaves no trace: no stored row, and
 * no global index taken from the real event table's sequence (a gap the publisher would carry).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class IntakeWarmUpIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    IntakeWarmUp warmUp;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aWarmUpDecidesAcceptedRenewsAndStoresNothing() {
        long sequenceBefore = globalIndexSequence();

        IntakeWarmUp.WarmUpResult result = warmUp.warmUp();

        long sequenceAfter = globalIndexSequence();
        assertThat(result.renewsAccepted())
                .as("every made-up renew was accepted: the warm-up ran the path players take, not refusals")
                .isEqualTo(20 * 10 * 6);
        assertThat(result.decided()).isEqualTo(20 * (1 + 10 * (4 + 6)));
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where global_index > ?",
                Long.class, sequenceBefore))
                .as("every global index taken meanwhile belongs to a stored event (other tests' expiries): no gap")
                .isEqualTo(sequenceAfter - sequenceBefore);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier like"
                + " 'warm-up-%' or convert_from(payload, 'UTF8') like '%warm-up-%'", Long.class)).isZero();
        for (String table : new String[] {"queue_price where queue", "session_expiry where user_id",
                "session_owner where user_id", "money_reference where reference"}) {
            assertThat(jdbc.queryForObject("select count(*) from " + table + " like 'warm-up-%'", Long.class))
                    .as(table).isZero();
        }
        assertThat(jdbc.queryForObject("select to_regclass('pg_temp.domain_event_entry') is null", Boolean.class))
                .as("the temporary event table went with the rollback").isTrue();
    }

    @Test
    void theIntakeDecidesRealRequestsAfterTheWarmUp() {
        String user = "bob-" + UUID.randomUUID();
        warmUp.warmUp();

        LedgerReply deposit = ledger.request(user, System.currentTimeMillis(),
                new LedgerOperation.Deposit(700, user + "-pay"));

        assertThat(deposit.balance()).isEqualTo(700);
        assertThat(jdbc.queryForList("select payload_type from domain_event_entry where aggregate_identifier = ?"
                + " order by sequence_number", String.class, user))
                .containsExactly("io.playbill.ledger.api.events.AccountOpened",
                        "io.playbill.ledger.api.events.FundsDeposited");
    }

    private long globalIndexSequence() {
        return jdbc.queryForObject("select last_value from domain_event_entry_seq", Long.class);
    }
}
