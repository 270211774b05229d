package io.playbill.ledger.infrastructure;

import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch's stored versions, read in one statement from the real event store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class JdbcStoredVersionsIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachAccountsLastSequenceNumberAndNothingForAnAccountWithoutEvents() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String nobody = "nobody-" + UUID.randomUUID();
        deposit(alice, "pay-1");
        deposit(alice, "pay-2");
        deposit(bob, "pay-1");

        Map<String, Long> versions = new JdbcStoredVersions(jdbc).lastSequenceNumbers(List.of(alice, bob, nobody));

        assertThat(versions).isEqualTo(Map.of(
                alice, lastSequenceNumber(alice),
                bob, lastSequenceNumber(bob)));
        assertThat(versions.get(alice)).isGreaterThan(versions.get(bob));
    }

    private void deposit(String user, String reference) {
        var reply = ledger.request(user, System.currentTimeMillis(), new LedgerOperation.Deposit(100, user + "-" + reference));
        assertThat(reply.accepted()).as("%s", reply).isTrue();
    }

    private long lastSequenceNumber(String user) {
        return jdbc.queryForObject("select max(sequence_number) from domain_event_entry where aggregate_identifier = ?",
                Long.class, user);
    }
}
