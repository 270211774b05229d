package io.playbill.gateway.admin;

import io.playbill.gateway.game.GameInput;
import io.playbill.gateway.ledger.Ledger;
import io.playbill.gateway.security.Callers;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * An operator ends a player's session (role admin or finance, like every account operation): billing closes at this
 * request's receive time as if the player had stopped, and the cloud game bound to the session is stopped with it.
 */
@RestController
@RequestMapping(path = "/api/admin/accounts/{userId}/sessions/{session}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin: accounts", description = "Deposits, refunds, adjustments and sessions (role admin or finance)")
class SessionAdminController {

    private static final Logger log = LoggerFactory.getLogger(SessionAdminController.class);

    /** {@code {"stopped": true}}. */
    record Stopped(boolean stopped) {
    }

    private final Ledger ledger;
    private final Clock clock;

    SessionAdminController(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @PostMapping("/stop")
    @Operation(summary = "End the user's session now; its cloud game is stopped within seconds")
    CompletableFuture<Stopped> stop(
            @PathVariable @UserIdParam String userId,
            @PathVariable @Pattern(regexp = GameInput.SESSION_PATTERN, message = GameInput.SESSION_RULE)
            String session,
            Principal operator) {
        long receivedAt = clock.millis();
        Actor actor = Callers.actorOf(operator);
        log.info("{} {} ends session {} of user {}", actor.userId(), actor.roles(), session, userId);
        return ledger.submit(userId, receivedAt, new LedgerOperation.StopSession(session), actor)
                .thenApply(stopped -> new Stopped(true));
    }
}
