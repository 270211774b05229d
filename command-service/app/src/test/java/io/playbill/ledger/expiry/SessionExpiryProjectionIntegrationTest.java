package io.playbill.ledger.expiry;

import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch's expiries are written once, just before it commits: each session's latest, a session that ended in the
 * batch has no row, and a batch that rolls back leaves the rows as they were.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SessionExpiryProjectionIntegrationTest extends LedgerIntegrationTest {

    private static final long T = 1_800_000_000_000L;

    @Autowired
    SessionExpiryProjection projection;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private final String user = "u-" + UUID.randomUUID();

    @Test
    void aBatchWritesEachSessionsLatestExpiryWhenItCommits() {
        projection.on(authorized("ends-in-the-batch-after", T)); // outside a transaction: written at once
        assertThat(expiries()).containsExactly(Map.entry("ends-in-the-batch-after", T));

        new TransactionTemplate(transactions).executeWithoutResult(batch -> {
            projection.on(authorized("renewed-twice", T + 1));
            projection.on(authorized("renewed-twice", T + 2));
            projection.on(authorized("started-and-ended", T + 3));
            projection.on(ended("started-and-ended"));
            projection.on(ended("ends-in-the-batch-after"));
            projection.on(authorized("ended-then-again", T + 4));
            projection.on(ended("ended-then-again"));
            projection.on(authorized("ended-then-again", T + 5));
            assertThat(expiries()).as("nothing written before the commit")
                    .containsExactly(Map.entry("ends-in-the-batch-after", T));
        });

        assertThat(expiries()).containsOnly(Map.entry("renewed-twice", T + 2), Map.entry("ended-then-again", T + 5));

        new TransactionTemplate(transactions).executeWithoutResult(batch -> {
            projection.on(authorized("renewed-twice", T + 9));
            projection.on(ended("ended-then-again"));
            batch.setRollbackOnly();
        });

        assertThat(expiries()).as("a rolled-back batch writes nothing")
                .containsOnly(Map.entry("renewed-twice", T + 2), Map.entry("ended-then-again", T + 5));
    }

    private SessionAuthorized authorized(String session, long expiresAtMillis) {
        return new SessionAuthorized(user, session, "standard", 60, T, expiresAtMillis);
    }

    private SessionEnded ended(String session) {
        return new SessionEnded(user, session, "standard", SessionEndReason.STOPPED, T, null, null, null, null);
    }

    private Map<String, Long> expiries() {
        return jdbc.queryForList("select session_id, expires_at_millis from session_expiry where user_id = ?", user)
                .stream().collect(Collectors.toMap(row -> (String) row.get("session_id"),
                        row -> ((Number) row.get("expires_at_millis")).longValue()));
    }
}
