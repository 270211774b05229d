package io.playbill.ledger.expiry;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An operator's decision on a parked session expiry ({@link SessionExpiryScanner}), named {@code user/session}: a
 * retry puts it back in the scan at once with a fresh count of attempts; a skip forgets it (the session is never
 * expired by the ledger then: the operator ends it otherwise, or its next request moves it on).
 */
@Component
public class ParkedExpiries {

    private static final Logger log = LoggerFactory.getLogger(ParkedExpiries.class);

    private final JdbcTemplate jdbc;

    ParkedExpiries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public LedgerReply resolve(String requestId, String item, String action) {
        int slash = item.lastIndexOf('/');
        if (slash <= 0 || slash == item.length() - 1) {
            return LedgerReply.refused(requestId, LedgerError.INVALID_REQUEST,
                    "A parked expiry is named user/session");
        }
        String user = item.substring(0, slash);
        String session = item.substring(slash + 1);
        int changed = "skip".equals(action)
                ? jdbc.update("delete from session_expiry where user_id = ? and session_id = ?"
                + " and parked_at_millis is not null", user, session)
                : jdbc.update("update session_expiry set parked_at_millis = null, attempts = 0, last_error = null,"
                + " claimed_until_millis = 0 where user_id = ? and session_id = ? and parked_at_millis is not null",
                user, session);
        if (changed == 0) {
            return LedgerReply.refused(requestId, LedgerError.PARKED_ITEM_NOT_FOUND,
                    "No parked expiry of session " + session + " of " + user);
        }
        log.warn("Operator {} the parked expiry of session {} of {}", "skip".equals(action) ? "skipped" : "retries",
                session, user);
        return new LedgerReply(requestId, true, null, "skip".equals(action) ? "The session's expiry is forgotten"
                : "The session is expired at the next scan", null, null, null);
    }
}
