package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.query.projection.LedgerEvent;

import java.util.Locale;

/**
 * One row per game session with its life (authorized, started, first renew, end and why) and its billing (billed
 * seconds, charged amount, last deadline and price). A row remembers the last of its user's events it applied.
 */
public final class SessionModel extends ReadModel<SessionRow.Key, SessionRow> {

    public SessionModel() {
        on(SessionAuthorized.class, (row, e) -> {
            row.queue = e.queue();
            row.status = SessionRow.AUTHORIZED;
            row.authorizedAt = e.receivedAtMillis();
            row.pricePerMinute = e.pricePerMinute();
        });
        on(SessionStarted.class, (row, e) -> {
            row.firstSeen(e.queue(), e.receivedAtMillis());
            row.status = SessionRow.STARTED;
            row.billingMode = e.billingMode().name().toLowerCase(Locale.ROOT);
            row.startedAt = e.receivedAtMillis();
            row.pricePerMinute = e.pricePerMinute();
        });
        on(PlaytimeCharged.class, (row, e) -> {
            row.firstSeen(e.queue(), e.receivedAtMillis());
            row.billedSeconds = e.billedSeconds().value();
            row.chargedAmount += e.amount().minorUnits();
        });
        on(SessionRenewed.class, (row, e) -> {
            row.firstSeen(e.queue(), e.receivedAtMillis());
            row.status = SessionRow.BILLING;
            row.firstRenewAt = e.firstRenewAtMillis();
            row.billedSeconds = e.billedSeconds().value();
            row.deadline = e.deadline().value();
            row.pricePerMinute = e.pricePerMinute();
        });
        on(SessionEnded.class, (row, e) -> {
            row.firstSeen(e.queue(), e.endedAtMillis());
            row.status = SessionRow.ENDED;
            row.endedAt = e.endedAtMillis();
            row.endReason = e.reason().name().toLowerCase(Locale.ROOT);
            row.billedSeconds = e.billedSeconds().value();
            row.chargedAmount = e.chargedAmount().minorUnits();
            row.deadline = e.deadline().value();
        });
    }

    @Override
    protected SessionRow.Key keyOf(LedgerEvent event) {
        Object payload = event.payload();
        String session = null;
        if (payload instanceof SessionAuthorized e) {
            session = e.session();
        } else if (payload instanceof SessionStarted e) {
            session = e.session();
        } else if (payload instanceof PlaytimeCharged e) {
            session = e.session();
        } else if (payload instanceof SessionRenewed e) {
            session = e.session();
        } else if (payload instanceof SessionEnded e) {
            session = e.session();
        }
        return session == null ? null : new SessionRow.Key(event.aggregateId(), session);
    }

    @Override
    protected SessionRow newRow(SessionRow.Key key) {
        return new SessionRow(key);
    }
}
