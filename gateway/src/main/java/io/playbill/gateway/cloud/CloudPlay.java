package io.playbill.gateway.cloud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.cloud.billing.CloudBilling;
import io.playbill.gateway.cloud.billing.ServerHeartbeat;
import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.cloud.queue.QueuePlace;
import io.playbill.gateway.cloud.queue.QueueStanding;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.CloudSessions.Billing;
import io.playbill.gateway.cloud.stop.CloudSessions.Binding;
import io.playbill.gateway.cloud.stop.CloudSessions.State;
import io.playbill.gateway.cloud.stop.StopRecords;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Cloud games that are always paid for. Every game is bound to the ledger session that pays for it: the session the
 * client's SDK renews (named by the client), or one the gateway opens and renews itself for clients without the token
 * heartbeat (Tencent's TCGSDK, the v1/v2 demo paths). A start is refused unless that session is the caller's, has
 * not ended, and the balance pays for it; a user has one game slot (GS's StopGame names only the user), so a second
 * session cannot take it while the first one's game runs or waits in the queue.
 *
 * <p>A start that races with the end of its session is caught either way: the binding is written before GS is asked,
 * the stopper records the end before it looks for the binding, and the start checks for a recorded end once the game
 * runs; whichever comes second stops the game. A stop that releases the binding while GS starts the game is caught
 * the same way: the start finds its binding gone and stops the game.
 *
 * <p>{@code playbill.cloud.starts{result}} counts every start by what became of it: {@code started}, {@code queued},
 * {@code refused} (a 4xx: not paid, slot taken, session ended) or {@code failed} (GS or the ledger failed).
 */
final class CloudPlay {

    private static final Logger log = LoggerFactory.getLogger(CloudPlay.class);

    /** The shortest time a {@code starting} slot counts as a start under way ({@link #startUnderWay}). */
    private static final Duration MIN_START_UNDER_WAY = Duration.ofMinutes(2);
    private static final Duration START_MARGIN = Duration.ofSeconds(30);

    /**
     * Who pays for a game: the client's SDK session ({@code sdkSession}), or, when it is null, a session the gateway
     * opens on {@code queue} and renews itself.
     */
    record Payment(String sdkSession, String queue) {

        static Payment bySdkSession(String session) {
            return new Payment(session, null);
        }

        static Payment byGateway(String queue) {
            return new Payment(null, queue);
        }
    }

    /** The session paying for the game, who renews it, and the start its queue allows ({@link CloudCatalogue}). */
    private record Paid(String session, Billing billing, GsStart start) {
    }

    private final CloudGames games;
    private final CloudCatalogue catalogue;
    private final CloudSessions bindings;
    private final CloudBilling billing;
    private final StopRecords stops;
    private final ServerHeartbeat heartbeat;
    private final Clock clock;
    private final Map<String, Counter> starts;
    private final Duration stopFinishGrace;
    private final Duration startUnderWay;

    CloudPlay(CloudGames games, CloudCatalogue catalogue, CloudSessions bindings, CloudBilling billing,
              StopRecords stops, ServerHeartbeat heartbeat, Clock clock, MeterRegistry meters,
              Duration stopFinishGrace, Duration longestGsStart) {
        this.stopFinishGrace = stopFinishGrace;
        this.startUnderWay = startUnderWay(longestGsStart);
        this.games = games;
        this.catalogue = catalogue;
        this.bindings = bindings;
        this.billing = billing;
        this.stops = stops;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.starts = new HashMap<>();
        for (String result : List.of("started", "queued", "refused", "failed")) {
            starts.put(result, Counter.builder("playbill.cloud.starts")
                    .description("Cloud game starts, by what became of them")
                    .tag("result", result).register(meters));
        }
    }

    /**
     * How long a {@code starting} slot counts as a start under way, not one left by a start that died with its
     * instance: longer than the slowest start GS's retry settings allow ({@code longestGsStart}), and at least two
     * minutes. A start that outlived it would find its slot given up, and its late StopGame, naming only the user,
     * would end the game of the start that took the slot.
     */
    static Duration startUnderWay(Duration longestGsStart) {
        Duration enough = longestGsStart.plus(START_MARGIN);
        return enough.compareTo(MIN_START_UNDER_WAY) > 0 ? enough : MIN_START_UNDER_WAY;
    }

    Duration startUnderWay() {
        return startUnderWay;
    }

    /** Starts the game, or queues the user when no worker is idle (the queue of {@code /api/cloud/start}). */
    CloudGames.StartOutcome start(String userId, Payment payment, GsStart start, String userIp) {
        return started(userId, payment, start, allowed -> games.start(userId, allowed, userIp));
    }

    /** Starts the game or fails with TrylockWorker's error, never queueing (the v1 demo has no queue). */
    CloudGames.Started startWithoutQueue(String userId, Payment payment, GsStart start, String userIp) {
        return (CloudGames.Started) started(userId, payment, start,
                allowed -> games.startWithoutQueue(userId, allowed, userIp));
    }

    /** The v2 {@code /Enqueue}: the user's standing, joining the queue with a paid session bound to the place. */
    QueueStanding join(String userId, Payment payment, GsStart start, String userIp) {
        Optional<QueuePlace> place = games.place(userId);
        if (place.isPresent()) {
            return games.join(userId, place, start, userIp);
        }
        if (bindings.current(userId).isPresent()) {
            // Queued, GS would lock the user's own worker again, and leaving or missing the place would release it:
            // the running game stopped while its session billed on.
            throw new ApiException(HttpStatus.CONFLICT, "cloud_game_running", "The user's cloud game is running;"
                    + " start again to reconnect to it, or stop it first");
        }
        Paid paid = pay(userId, payment, start);
        bindPaid(userId, paid, State.RESERVED);
        return games.join(userId, paid.start(), userIp);
    }

    /**
     * Stops the user's game (or frees their lock, or their queue place) and ends the session that paid for it. The
     * binding is released only as it was before StopGame: a start (on any instance) that marked its game running
     * meanwhile keeps its binding, and that game is handed to the stopper. The slot is not released before StopGame
     * answers: a start in between would find it free, and GS, which names only the user, would give it the game this
     * StopGame then ends (decision 055).
     */
    String stop(String userId) {
        long at = clock.millis();
        Optional<Binding> seen = bindings.of(userId);
        // Handed to the stopper ahead, due after the grace: should this instance die between StopGame and the release
        // below, the game's binding would stay, and the gateway's heartbeat bill a stopped game on. Once this stop
        // has released it, the stopper finds nothing to do.
        seen.filter(bound -> bound.session() != null).ifPresent(bound -> stops.stopAfter(userId, bound.session(),
                Instant.ofEpochMilli(at), clock.instant().plus(stopFinishGrace)));
        String requestId;
        try {
            requestId = games.stop(userId);
        } catch (GsFailure gsRefused) {
            // Billing closes at the player's stop all the same. The binding stays, and the stop handed over above is
            // due now: the stopper retries StopGame, then parks it for an operator.
            seen.ifPresent(bound -> {
                handOverToStopper(userId, bound.session(), at);
                endSession(userId, bound, at);
            });
            throw gsRefused;
        }
        seen.ifPresent(bound -> {
            try {
                if (!bindings.releaseIfUnchanged(bound)) {
                    handOverToStopper(userId, bound.session(), at); // a start marked the game running meanwhile
                }
            } finally {
                endSession(userId, bound, at);
            }
        });
        return requestId;
    }

    /** Leaves the queue; a worker locked for the user is released and a session opened for the wait is ended. */
    boolean cancel(String userId) {
        long at = clock.millis();
        boolean cancelled = games.cancel(userId);
        // A session the client authorized stays the client's to use again; one opened for the wait ends with it.
        bindings.releaseWaiting(userId, Billing.SERVER).ifPresent(released -> endSession(userId, released, at));
        return cancelled;
    }

    Optional<QueueStanding> poll(String userId) {
        return games.poll(userId);
    }

    private CloudGames.StartOutcome started(String userId, Payment payment, GsStart start,
                                            Function<GsStart, CloudGames.StartOutcome> startGame) {
        try {
            CloudGames.StartOutcome outcome = startPaid(userId, payment, start, startGame);
            starts.get(outcome instanceof CloudGames.Queued ? "queued" : "started").increment();
            return outcome;
        } catch (RuntimeException failure) {
            starts.get(failure instanceof ApiException refused && refused.status().is4xxClientError() ? "refused"
                    : "failed").increment();
            throw failure;
        }
    }

    private CloudGames.StartOutcome startPaid(String userId, Payment payment, GsStart start,
                                              Function<GsStart, CloudGames.StartOutcome> startGame) {
        Optional<Binding> before = bindings.of(userId);
        Paid paid = pay(userId, payment, start);
        boolean reconnect = before.filter(game -> game.state() == State.RUNNING)
                .filter(game -> Objects.equals(game.session(), paid.session())).isPresent();
        // A game the gateway bills whose billing never started: the instance that started it died between marking it
        // running and the ledger's first answer. Nothing renews it, and it would play unpaid until its authorization
        // timed out. Billed from now: started at the game's beginning, the session would be past its deadline at
        // once, and the expiry would end it and stop the game this reconnect answers.
        boolean neverBilled = reconnect && before.get().billing() == Billing.SERVER
                && before.get().firstRenewAt() == null;
        bindPaid(userId, paid, State.STARTING);
        CloudGames.StartOutcome outcome;
        try {
            outcome = startGame.apply(paid.start());
        } catch (RuntimeException failure) {
            bindings.reserved(userId, paid.session());
            throw failure;
        }
        if (outcome instanceof CloudGames.Queued) {
            bindings.reserved(userId, paid.session());
            return outcome;
        }
        Instant startedAt = clock.instant();
        if (!bindings.running(userId, paid.session(), paid.start().pool(), startedAt)) {
            // A stop (on any instance) released the binding while GS was starting the game: nothing would stop it.
            // Only the game: a binding there may be now is another start's.
            stopOrHandOver(userId, paid, startedAt);
            throw new ApiException(HttpStatus.CONFLICT, "start_cancelled",
                    "The game was stopped while it was starting; it has been stopped again");
        }
        if (paid.billing() == Billing.SERVER && (!reconnect || neverBilled)) {
            startServerBilling(userId, paid.session(), startedAt);
        }
        if (paid.billing() == Billing.CLIENT) {
            startClientSession(userId, paid.session(), startedAt, reconnect);
        }
        if (paid.session() != null && stops.ended(userId, paid.session())) {
            stopQuietly(userId, paid.session());
            throw new ApiException(HttpStatus.CONFLICT, "session_ended",
                    "The session ended while its cloud game was starting; the game was stopped");
        }
        return outcome;
    }

    /**
     * The session that pays, admitted by the ledger now, and the start its queue allows; the user's game slot is made
     * free for it if it can be. A start the queue does not offer is refused before anything changes.
     */
    private Paid pay(String userId, Payment payment, GsStart start) {
        if (!billing.bills()) {
            return new Paid(null, Billing.NONE, catalogue.allowed(payment.queue(), start));
        }
        long at = clock.millis();
        Optional<Binding> current = bindings.of(userId);
        if (payment.sdkSession() != null) {
            String queue = billing.admit(userId, payment.sdkSession(), at);
            GsStart allowed = allowed(userId, queue, start);
            freeSlotFor(userId, payment.sdkSession(), current, at);
            return new Paid(payment.sdkSession(), Billing.CLIENT, allowed);
        }
        Optional<String> own = current.filter(game -> game.billing() == Billing.SERVER).map(Binding::session);
        if (own.isPresent()) {
            try {
                String queue = billing.admit(userId, own.get(), at);
                boolean leftoverOfAnotherQueue = !queue.equals(payment.queue())
                        && current.get().state() == State.RESERVED && games.place(userId).isEmpty();
                if (!leftoverOfAnotherQueue) {
                    return new Paid(own.get(), Billing.SERVER, allowed(userId, queue, start));
                }
                // Left by a start that failed, on another queue than this one asks for: it would bill at that
                // queue's price. Unless the start is refused anyway, it ends (only as it was seen: a start that
                // took it up since keeps it), and a session of the asked queue is opened below.
                allowed(userId, payment.queue(), start);
                if (bindings.releaseIfUnchanged(current.get())) {
                    endSession(userId, own.get(), at);
                }
                current = Optional.empty();
            } catch (ApiException refused) {
                if (!"session_not_found".equals(refused.code())) {
                    throw refused;
                }
                // A session that timed out while the user waited is given up (as it was seen) and a new one opened.
                if (current.get().state() == State.RUNNING || !bindings.releaseIfUnchanged(current.get())) {
                    // Its session ended while its game runs (or a start marked it running since): the stopper
                    // stops that game (handed over here, should the end not have reached it yet). Released now,
                    // the game would run on, bound to nothing.
                    handOverToStopper(userId, own.get(), at);
                    throw new ApiException(HttpStatus.CONFLICT, "cloud_game_running", "The user's previous cloud"
                            + " game is being stopped (its session ended); start again in a moment");
                }
                current = Optional.empty();
            }
        }
        GsStart allowed = allowed(userId, payment.queue(), start);
        freeSlotFor(userId, null, current, at);
        return new Paid(openOwnSession(userId, payment.queue(), allowed, at), Billing.SERVER, allowed);
    }

    /**
     * The start a session on {@code queue} may make ({@link CloudCatalogue#allowed}). The user's place in the game's
     * queue is served on the worker group it was queued for (the queue locks that group, and GS then gives the user
     * that worker whatever the start asks), so the paying queue must offer that group too: a place queued on the
     * premium queue, whose session ended while it waited, was otherwise played on the premium worker at the price of
     * the cheaper queue the next start named.
     */
    private GsStart allowed(String userId, String queue, GsStart start) {
        GsStart allowed = catalogue.allowed(queue, start);
        Optional<QueuePlace> place = games.place(userId).filter(held -> held.status() != QueuePlace.Status.FAILED)
                .filter(held -> held.pool().equals(start.pool()));
        if (place.isPresent() && !catalogue.offersGroup(queue, place.get().lock().groupId())) {
            String group = place.get().lock().groupId();
            throw new ApiException(HttpStatus.CONFLICT, "already_queued", "The user's place in the queue of game "
                    + start.lock().gameId() + " is for " + (group == null ? "whichever worker group GS gives"
                    : "worker group " + group) + ", which queue " + queue + " does not offer; start on the queue"
                    + " the place was taken with, or leave the queue first (DELETE /api/cloud/queue)");
        }
        return allowed;
    }

    /**
     * Opens a session the gateway renews itself. Its id is bound to the user's game before the ledger is asked: when
     * the answer is lost (a timeout, a restart), the session may exist, and the user's retry finds it there and is
     * admitted with it ({@link #pay}) instead of opening a second one the ledger would refuse (too_many_sessions)
     * until the first one's authorization timed out. A refusal opened nothing, and the binding goes.
     */
    private String openOwnSession(String userId, String queue, GsStart allowed, long at) {
        String session = billing.newSessionId();
        bind(userId, new Paid(session, Billing.SERVER, allowed), State.RESERVED);
        try {
            billing.openSession(userId, session, queue, at);
        } catch (ApiException refused) {
            if (refused.status().is4xxClientError()) {
                bindings.release(userId, session);
            }
            throw refused;
        }
        return session;
    }

    /**
     * The user's slot is bound to another session: a running game keeps it (the user must stop it first), a queue
     * place keeps it (leave the queue first); a leftover reservation without a place is given up, and ended if the
     * gateway opened it.
     */
    private void freeSlotFor(String userId, String session, Optional<Binding> current, long at) {
        if (current.isEmpty() || (session != null && session.equals(current.get().session()))) {
            return;
        }
        Binding other = current.get();
        if (other.state() == State.RUNNING) {
            throw new ApiException(HttpStatus.CONFLICT, "cloud_game_running", "The user's cloud game of another"
                    + " session is running; stop it first (POST /api/cloud/stop)");
        }
        if (games.place(userId).isPresent()) {
            throw new ApiException(HttpStatus.CONFLICT, "already_queued", "The user waits in the queue with another"
                    + " session; leave the queue first (DELETE /api/cloud/queue)");
        }
        if (other.state() == State.STARTING && other.startedAt() != null
                && other.startedAt().isAfter(clock.instant().minus(startUnderWay))) {
            // Another start (a second device, on any instance) is asking GS for its game: given up now, that start
            // would find its binding gone and stop the game GS just gave it.
            throw startInProgress();
        }
        // An SDK's session stays the client's, as when it leaves the queue: only a session the gateway opened ends.
        // Released only as it was seen: a start that marked its game running since keeps it.
        if (bindings.releaseIfUnchanged(other) && other.billing() == Billing.SERVER) {
            endSession(userId, other, at);
        }
    }

    /** {@link CloudSessions#bind}; a slot bound to another session is refused (409 cloud_game_running). */
    private CloudSessions.Bound bind(String userId, Paid paid, State state) {
        Instant now = clock.instant();
        CloudSessions.Bound bound = bindings.bind(userId, paid.session(), paid.billing(), paid.start().pool(), state,
                now, now.minus(startUnderWay));
        if (bound == CloudSessions.Bound.TAKEN) {
            throw new ApiException(HttpStatus.CONFLICT, "cloud_game_running",
                    "Another session of the user holds their cloud game; stop it first (POST /api/cloud/stop)");
        }
        return bound;
    }

    /**
     * {@link #bind} for the session that paid. A session the gateway opened that lost the user's slot to another
     * start (on any instance) meanwhile is ended: nothing would renew or stop it, and it would hold the user's one
     * active session until its authorization timed out. A second start of the same session (a double click, a client
     * retrying while GS is slow) is refused while the first asks GS for the game; the session is the first's, and
     * goes on.
     */
    private void bindPaid(String userId, Paid paid, State state) {
        CloudSessions.Bound bound;
        try {
            bound = bind(userId, paid, state);
        } catch (ApiException taken) {
            if (paid.billing() == Billing.SERVER) {
                endSession(userId, paid.session(), clock.millis());
            }
            throw taken;
        }
        if (bound == CloudSessions.Bound.STARTING_ELSEWHERE) {
            throw startInProgress();
        }
    }

    private static ApiException startInProgress() {
        return new ApiException(HttpStatus.CONFLICT, "start_in_progress", "Another start of the user's cloud game"
                + " is under way; try again in a moment");
    }

    /** The gateway's own session starts billing with the game (t0 now), and its heartbeat takes over. */
    private void startServerBilling(String userId, String session, Instant startedAt) {
        try {
            long deadline = billing.startBilling(userId, session, startedAt.toEpochMilli());
            heartbeat.started(userId, session, startedAt, deadline);
        } catch (RuntimeException refused) {
            stopQuietly(userId, session);
            throw refused;
        }
    }

    /**
     * The game of an SDK's session runs: the session is started now, as the client's startToken would start it, so
     * that it times out a minute later unless the client renews it. Left authorized, it would keep its game running
     * unbilled until the authorization timed out (10 minutes) whenever the client never asked for the startToken.
     * The client's own startToken, later, is a retry the ledger answers unchanged. A refusal (the session ended or
     * expired meanwhile) stops a new game; an outage leaves it running and bound, and either is answered as it came,
     * so that the client retries: the retry reconnects to the game and starts the session then. A reconnect's game
     * is never stopped here (a session that ended has its game stopped by the stopper), but its failure is answered
     * too: answered 200, the client would not retry, and the session might never start.
     */
    private void startClientSession(String userId, String session, Instant startedAt, boolean reconnect) {
        try {
            billing.startSession(userId, session, startedAt.toEpochMilli());
            bindings.billingStarted(userId, session);
        } catch (RuntimeException failure) {
            boolean refused = failure instanceof ApiException answer && answer.status().is4xxClientError();
            if (refused && !reconnect) {
                stopQuietly(userId, session);
            }
            throw failure;
        }
    }

    /** The session that paid for a game ends with it: billing closes at {@code at}. */
    private void endSession(String userId, Binding released, long at) {
        endSession(userId, released.session(), at);
    }

    private void endSession(String userId, String session, long at) {
        if (session == null) {
            return;
        }
        try {
            billing.close(userId, session, at);
        } catch (RuntimeException e) {
            // Not renewed any more, it times out in the ledger and bills nothing after its last renew.
            log.warn("Could not end session {} of user {} in the ledger: {}", session, userId, e.toString());
        }
    }

    /**
     * A game that must not run after all: stopped, unbound, and a session the gateway opened for it ended. When GS
     * does not stop it, it stays bound to its session, handed to the stopper; billing closes all the same. Only while
     * the user's slot is still bound to {@code session}: a stop that released it meanwhile stopped this game, and
     * whatever game GS has for the user now is another start's, which StopGame (naming only the user) would end.
     */
    private void stopQuietly(String userId, String session) {
        long at = clock.millis();
        Optional<Binding> bound = bindings.of(userId).filter(game -> Objects.equals(game.session(), session));
        if (bound.isEmpty()) {
            // Whoever released it stopped its game first (a stop), or released it only while no game ran
            // (releaseIfUnchanged of a reservation). A stop and a new start both completing between this read
            // and StopGame below would still be hit; decision 055 leaves that window to the slot's order.
            return;
        }
        try {
            games.stop(userId);
            bindings.release(userId, session);
        } catch (GsFailure failure) {
            log.warn("Could not stop the cloud game of user {} ({}); the stopper retries it", userId, failure.code());
            handOverToStopper(userId, session, at);
        }
        bound.filter(game -> game.billing() == Billing.SERVER).ifPresent(game -> endSession(userId, game, at));
    }

    /**
     * Stops the game of a start whose binding a stop released while GS started it. When GS fails, the game is bound
     * again (unless another start holds the slot by now) and handed to the stopper: unbound, nothing would stop it
     * (the stop ended its session already).
     */
    private void stopOrHandOver(String userId, Paid paid, Instant at) {
        try {
            games.stop(userId);
        } catch (GsFailure failure) {
            log.warn("Could not stop the cancelled cloud game of user {} ({}); the stopper retries it", userId,
                    failure.code());
            if (bindings.bind(userId, paid.session(), paid.billing(), paid.start().pool(), State.RUNNING, at,
                    at) == CloudSessions.Bound.BOUND) {
                handOverToStopper(userId, paid.session(), at.toEpochMilli());
            }
        }
    }

    /**
     * The stopper stops the game bound to {@code session} on its next round, holding the user's slot, whatever the
     * ledger says of that session (billing mode none has no session and no stopper).
     */
    private void handOverToStopper(String userId, String session, long at) {
        if (session != null) {
            stops.stopAgain(userId, session, Instant.ofEpochMilli(at), clock.instant());
        }
    }
}
