package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.values.Money;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The game sessions of an account, in the order they were authorized: the active ones and the
 * {@value #ENDED_SESSIONS_KEPT} most recently authorized ended ones (for late retries: a renew of an exhausted
 * session, a stop sent twice). Older ended sessions are forgotten here; the {@link LedgerRegistry} still knows whose
 * they were.
 *
 * @param byId the sessions by id, in authorization order
 */
public record SessionBook(Map<String, Session> byId) {

    /** Ended sessions kept for late retries; older are forgotten. */
    public static final int ENDED_SESSIONS_KEPT = 8;

    static final SessionBook EMPTY = new SessionBook(Map.of());

    public SessionBook {
        byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    }

    /** The session, or {@code null} when this account does not (or no longer) know it. */
    Session get(String sessionId) {
        return byId.get(sessionId);
    }

    /** The session of this account; refused as not found otherwise. */
    Session known(String sessionId) {
        Session session = byId.get(new SessionId(sessionId).value());
        if (session == null) {
            throw notFound(sessionId, "is not bound to this user");
        }
        return session;
    }

    /** The session of this account that has not ended; refused as not found otherwise. */
    Session active(String sessionId) {
        Session session = known(sessionId);
        if (!session.status().active()) {
            throw notFound(sessionId, "has ended");
        }
        return session;
    }

    static Refusal notFound(String sessionId, String why) {
        return new Refusal(LedgerError.SESSION_NOT_FOUND, "Session " + sessionId + " " + why);
    }

    long activeCount() {
        return byId.values().stream().filter(session -> session.status().active()).count();
    }

    /** What the granted but unbilled playtime of every active session will still cost. */
    Money reservedForGrantedPlaytime() {
        return Money.of(byId.values().stream().mapToLong(Session::unbilledCost).sum());
    }

    SessionBook evolve(Object event) {
        if (event instanceof SessionAuthorized authorized) {
            return with(Session.authorized(authorized));
        }
        if (event instanceof SessionStarted started) {
            return with(byId.get(started.session()).started(started));
        }
        if (event instanceof PlaytimeCharged charged) {
            return with(byId.get(charged.session()).charged(charged));
        }
        if (event instanceof SessionRenewed renewed) {
            return with(byId.get(renewed.session()).renewed(renewed));
        }
        if (event instanceof SessionEnded ended) {
            return with(byId.get(ended.session()).ended(ended)).forgetOldEndedSessions();
        }
        return this;
    }

    private SessionBook with(Session session) {
        Map<String, Session> sessions = new LinkedHashMap<>(byId);
        sessions.put(session.id(), session);
        return new SessionBook(sessions);
    }

    /** Keeps the {@value #ENDED_SESSIONS_KEPT} most recently authorized ended sessions. */
    private SessionBook forgetOldEndedSessions() {
        long ended = byId.values().stream().filter(session -> !session.status().active()).count();
        if (ended <= ENDED_SESSIONS_KEPT) {
            return this;
        }
        Map<String, Session> sessions = new LinkedHashMap<>(byId);
        Iterator<Session> oldestFirst = sessions.values().iterator();
        while (ended > ENDED_SESSIONS_KEPT && oldestFirst.hasNext()) {
            if (!oldestFirst.next().status().active()) {
                oldestFirst.remove();
                ended--;
            }
        }
        return new SessionBook(sessions);
    }
}
