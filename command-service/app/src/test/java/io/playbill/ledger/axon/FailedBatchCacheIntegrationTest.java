package io.playbill.ledger.axon;

import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An intake batch whose transaction fails after its commands ran leaves nothing of them in the account cache. Axon's
 * own rollback hook belongs to each command's unit of work, which has committed by then; and the version check
 * cannot tell the lost state from the store's once another writer (a second instance, the expiry scanner) has
 * stored as many events for the account.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FailedBatchCacheIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aDepositWhoseBatchFailedAtCommitIsDecidedAgainOnTheStoredAccount() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "cached-" + id;
        assertThat(ledger.request(user, System.currentTimeMillis(), new LedgerOperation.Deposit(100, "first-" + id))
                .balance()).isEqualTo(100);
        long lastStored = jdbc.queryForObject("select max(sequence_number) from domain_event_entry"
                + " where aggregate_identifier = ?", Long.class, user);

        // Every commit that stores an event of the user fails while hold_<id> has a row, as a serialization failure
        // does (transient: the batch is retried with back-off, never parked); tries_<id> counts those commits.
        jdbc.execute("create table hold_" + id + " (held boolean)");
        jdbc.execute("insert into hold_" + id + " values (true)");
        jdbc.execute("create sequence tries_" + id);
        jdbc.execute("create function fail_" + id + "() returns trigger language plpgsql as $$ begin"
                + " if new.aggregate_identifier = '" + user + "' and exists (select 1 from hold_" + id + ") then"
                + " perform nextval('tries_" + id + "');"
                + " raise exception using errcode = 'serialization_failure', message = 'commit refused'; end if;"
                + " return null; end $$");
        jdbc.execute("create constraint trigger fail_" + id + " after insert on domain_event_entry"
                + " deferrable initially deferred for each row execute function fail_" + id + "()");
        try {
            ledger.send(user, System.currentTimeMillis(), new LedgerOperation.Deposit(7, "second-" + id));
            // Three failed tries: the next one waits at least 800 ms, time enough for the other writer.
            long tries = await().atMost(Duration.ofSeconds(30)).until(() -> tries(id), count -> count >= 3);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> tries(id) > tries);
            // Another writer stores the account's next event (here a copy of its last one: a deposit whose balance
            // after is 100), and the failing commits end with it.
            int written = jdbc.update("with released as (delete from hold_" + id + ")"
                    + " insert into domain_event_entry (event_identifier, meta_data, payload, payload_revision,"
                    + " payload_type, time_stamp, aggregate_identifier, sequence_number, type)"
                    + " select ?, meta_data, payload, payload_revision, payload_type, time_stamp,"
                    + " aggregate_identifier, sequence_number + 1, type from domain_event_entry"
                    + " where aggregate_identifier = ? and sequence_number = ?",
                    UUID.randomUUID().toString(), user, lastStored);
            assertThat(written).isEqualTo(1);

            LedgerReply again = ledger.request(user, System.currentTimeMillis(),
                    new LedgerOperation.Deposit(7, "second-" + id));
            assertThat(again.balance()).as("the stored account (100 after the other writer's event) and the deposit's"
                    + " 7; the failed batch's account, had it been used, would have credited the 7 twice: 114")
                    .isEqualTo(107);
            assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                            + " and position('second-" + id + "' in convert_from(payload, 'UTF8')) > 0",
                    Integer.class, user)).as("the deposit stored once").isEqualTo(1);
        } finally {
            jdbc.execute("drop trigger if exists fail_" + id + " on domain_event_entry");
            jdbc.execute("drop function if exists fail_" + id + "()");
            jdbc.execute("drop table if exists hold_" + id);
            jdbc.execute("drop sequence if exists tries_" + id);
        }
    }

    private long tries(String id) {
        return jdbc.queryForObject("select case when is_called then last_value else 0 end from tries_" + id,
                Long.class);
    }
}
