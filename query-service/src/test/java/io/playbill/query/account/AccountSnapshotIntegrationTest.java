package io.playbill.query.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.query.support.ChargeCommittedMidRead;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account's playtime per queue and its total come from one snapshot. Read apart (the queues, then the account), a
 * commit of the live processor between the two reads gave an answer whose queues did not add up to its total.
 */
class AccountSnapshotIntegrationTest extends QueryServiceTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theQueuesOfAnAccountReadWhileTheProcessorCommitsAddUpToItsTotal() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-09-01T00:00:00Z")).write(ledger());
        awaitProjections();
        String user = history.userA;
        try (ChargeCommittedMidRead charge = new ChargeCommittedMidRead(jdbc, dataSource, user)) {
            JsonNode account = charge.during("account", "select %balance%from account%",
                    () -> api().get("/me/account", user, null).json()).get(1, TimeUnit.MINUTES);

            long byQueue = 0;
            for (JsonNode playtime : account.get("playtimeByQueue")) {
                byQueue += playtime.get("playtimeSeconds").asLong();
            }
            assertThat(byQueue).isEqualTo(account.get("playtimeSeconds").asLong());
        }
    }
}
