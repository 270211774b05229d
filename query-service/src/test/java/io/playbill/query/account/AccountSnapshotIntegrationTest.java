package io.playbill.query.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An account's playtime per queue and its total come from one snapshot. Read apart, a commit of the live processor
 * between the two reads gave an answer whose queues did not add up to its total.
 */
class AccountSnapshotIntegrationTest extends QueryServiceTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theQueuesOfAnAccountReadWhileTheProcessorCommitsAddUpToItsTotal() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-09-01T00:00:00Z")).write(ledger());
        awaitProjections();
        String user = history.userA;
        String queue = jdbc.queryForObject("select min(queue) from account_queue where user_id = ?", String.class,
                user);
        CompletableFuture<JsonNode> read;
        try (Connection processor = dataSource.getConnection()) {
            processor.setAutoCommit(false);
            try (Statement lock = processor.createStatement()) {
                lock.execute("lock table account in access exclusive mode");
            }
            read = CompletableFuture.supplyAsync(() -> api().get("/me/account", user, null).json());
            await("the read has its queues and waits for the account row").atMost(Duration.ofSeconds(60))
                    .until(() -> jdbc.queryForObject("select count(*) from pg_stat_activity where wait_event_type"
                            + " = 'Lock' and query like 'select balance, playtime_seconds%'", Integer.class) > 0);
            // What the user's next charge does to both tables, committed together as the processor commits it.
            try (PreparedStatement account = processor.prepareStatement("update account set playtime_seconds ="
                    + " playtime_seconds + 60, last_sequence = last_sequence + 1 where user_id = ?");
                 PreparedStatement queues = processor.prepareStatement("update account_queue set playtime_seconds ="
                         + " playtime_seconds + 60 where user_id = ? and queue = ?")) {
                account.setString(1, user);
                assertThat(account.executeUpdate()).isEqualTo(1);
                queues.setString(1, user);
                queues.setString(2, queue);
                assertThat(queues.executeUpdate()).isEqualTo(1);
            }
            processor.commit();
        }
        try {
            JsonNode account = read.get(1, TimeUnit.MINUTES);
            long byQueue = 0;
            for (JsonNode playtime : account.get("playtimeByQueue")) {
                byQueue += playtime.get("playtimeSeconds").asLong();
            }
            assertThat(byQueue).isEqualTo(account.get("playtimeSeconds").asLong());
        } finally {
            jdbc.update("update account set playtime_seconds = playtime_seconds - 60, last_sequence = last_sequence - 1"
                    + " where user_id = ?", user);
            jdbc.update("update account_queue set playtime_seconds = playtime_seconds - 60 where user_id = ?"
                    + " and queue = ?", user, queue);
        }
    }
}
