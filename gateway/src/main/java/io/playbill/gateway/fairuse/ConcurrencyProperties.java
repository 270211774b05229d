package io.playbill.gateway.fairuse;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code playbill.concurrency.*}: how many requests of each kind this gateway instance works on at once, so that a
 * slow dependency cannot take every request thread. The thread budgets together must fit in
 * {@code server.tomcat.threads.max}, and the waiting budgets beside them in {@code server.tomcat.max-connections}
 * (both checked at start-up): a full budget answers 503 {@code busy} at once instead of queueing.
 *
 * <p>SDK token calls hold a thread only while they send their request to the ledger, and then wait for its reply
 * without one; so they have two budgets, threads and waiting places, and a burst of them that the ledger will
 * answer within its timeout is not refused for want of a thread it does not hold (decision 014, second follow-up).
 *
 * @param reads        read routes to query-service ({@code /api/me}, {@code /api/finance}, replays, audits); each
 *                     holds a thread until query-service answers
 * @param cloud        cloud-game calls ({@code /api/cloud/**} and the demo paths); each holds a thread while GS
 *                     answers, within its timeouts and retries
 * @param game         SDK token calls ({@code /api/game/**}) on a request thread at once, until their request is
 *                     on its way to the ledger; bounded so that a flood of them cannot take the others' threads
 * @param stops        stops on a request thread beyond their own kind's budget, SDK stops ({@code POST
 *                     /api/game/stop}) beyond the game budget and cloud stops ({@code POST /api/cloud/stop}, the
 *                     demo's) beyond the cloud budget: a stop ends billing, so it is refused only when its budget
 *                     and this reserve are spent
 * @param headroom     threads none of the others may use, and all that every request outside them may use: admin
 *                     calls, health probes, the console, the API document (kind {@code other})
 * @param gameWaiting  SDK token calls waiting for the ledger's reply at once (no thread held, a connection is)
 * @param stopsWaiting SDK stops waiting for the ledger's reply beyond {@code gameWaiting}, which nothing else may use
 */
@ConfigurationProperties("playbill.concurrency")
public record ConcurrencyProperties(@DefaultValue("30") int reads,
                                    @DefaultValue("30") int cloud,
                                    @DefaultValue("100") int game,
                                    @DefaultValue("20") int stops,
                                    @DefaultValue("20") int headroom,
                                    @DefaultValue("2000") int gameWaiting,
                                    @DefaultValue("2000") int stopsWaiting) {

    public ConcurrencyProperties {
        new SettingsCheck("playbill.concurrency")
                .require(reads >= 1, "reads", "must be at least 1")
                .require(cloud >= 1, "cloud", "must be at least 1")
                .require(game >= 1, "game", "must be at least 1")
                .require(stops >= 1, "stops", "must be at least 1")
                .require(headroom >= 1, "headroom", "must be at least 1")
                .require(gameWaiting >= 1, "game-waiting", "must be at least 1")
                .require(stopsWaiting >= 1, "stops-waiting", "must be at least 1")
                .throwIfInvalid();
    }

    /** Threads the budgets may take together, headroom included. */
    long total() {
        return (long) reads + cloud + game + stops + headroom;
    }

    /** Requests that may wait for the ledger at once, each holding a connection but no thread. */
    long waiting() {
        return (long) gameWaiting + stopsWaiting;
    }
}
