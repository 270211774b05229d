package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.config.SettingsCheck;
import io.playbill.gateway.game.GameProperties;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.util.Map;
import java.util.Objects;

/**
 * What a session on each queue may start on GS ({@code playbill.cloud.catalogue}). The queue is the price the ledger
 * charges, so it also decides what the player gets for it: which games, on which worker groups (the hardware), and
 * whether the player may pass the game's start parameters. Without it a player paying the cheapest queue could name
 * any game of the operator's GS account and its most expensive group. Dev mode alone may run without a catalogue:
 * then every start passes as asked (DevModeGuard refuses that elsewhere).
 */
final class CloudCatalogue {

    private static final Logger log = LoggerFactory.getLogger(CloudCatalogue.class);

    private final Map<String, CloudProperties.Offer> offers;
    private final String defaultQueue;

    CloudCatalogue(Map<String, CloudProperties.Offer> offers, GameProperties game) {
        this.offers = Map.copyOf(offers);
        this.defaultQueue = game.defaultQueue();
        SettingsCheck settings = new SettingsCheck(CloudProperties.PREFIX);
        offers.keySet().forEach(queue -> settings.require(game.queues().contains(queue), "catalogue." + queue,
                "names no queue of playbill.game.queues " + game.queues()));
        settings.throwIfInvalid();
        if (offers.isEmpty()) {
            log.warn("No {}.catalogue: a cloud start may name any game and worker group, and pass any start "
                    + "parameters, whatever its queue costs. Only dev mode allows this.", CloudProperties.PREFIX);
        }
    }

    /**
     * The start as GS gets it for a session on {@code queue} (null: the default queue, for a start nothing bills):
     * the queue's first group when the start names none. Refused 403 when the queue does not offer the game, the
     * group or start parameters from the player.
     */
    GsStart allowed(String queue, GsStart start) {
        if (offers.isEmpty()) {
            return start;
        }
        String paidQueue = queue != null ? queue : defaultQueue;
        CloudProperties.Offer offer = offers.get(paidQueue);
        if (offer == null || !offer.games().contains(start.lock().gameId())) {
            throw refused("game_not_offered", "Game " + start.lock().gameId() + " is not offered on queue "
                    + paidQueue);
        }
        String group = start.lock().groupId();
        if (group != null && !offer.groups().contains(group)) {
            throw refused("group_not_offered", "Worker group " + group + " is not offered on queue " + paidQueue
                    + (offer.groups().isEmpty() ? "; name no group" : "; it offers " + offer.groups()));
        }
        if (start.gameParas() != null && !offer.gameParas()) {
            throw refused("game_paras_not_allowed", "Queue " + paidQueue + " does not let a player set the game's"
                    + " start parameters; leave gameParas out");
        }
        if (group == null && !offer.groups().isEmpty()) {
            return withGroup(start, offer.groups().get(0));
        }
        return start;
    }

    /**
     * Whether a session on {@code queue} may play on worker group {@code group} (null: whichever GS gives). A queue
     * that lists no group takes whichever GS gives; one that lists groups, only those.
     */
    boolean offersGroup(String queue, String group) {
        if (offers.isEmpty()) {
            return true;
        }
        CloudProperties.Offer offer = offers.get(queue != null ? queue : defaultQueue);
        return offer != null && (offer.groups().isEmpty() || group != null && offer.groups().contains(group));
    }

    private static GsStart withGroup(GsStart start, String group) {
        GsLockRequest lock = start.lock();
        return new GsStart(new GsLockRequest(lock.pool(), lock.gameRegion(), Objects.requireNonNull(group)),
                start.clientSession(), start.resolution(), start.gameParas(), start.imageUrl(), start.maxBitrate(),
                start.minBitrate(), start.fps());
    }

    private static ApiException refused(String code, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, code, message);
    }
}
