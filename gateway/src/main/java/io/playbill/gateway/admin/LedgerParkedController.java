package io.playbill.gateway.admin;

import io.playbill.gateway.ledger.Ledger;
import io.playbill.gateway.security.Callers;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An operator retries or skips an item one of the ledger's consumers parked (role admin). The ledger has no HTTP API:
 * the decision goes to it as a ledger request keyed by the admin, like a price change, and the ledger answers what it
 * did. Listing them is a read: {@code GET /api/admin/parked/ledger} (query service). See docs/operations.md,
 * "Parked items", and decision 020.
 */
@RestController
@RequestMapping(path = "/api/admin/ledger/parked/{consumer}", produces = MediaType.APPLICATION_JSON_VALUE,
        consumes = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin: parked ledger items", description = "Retry or skip what the ledger parked (role admin)")
class LedgerParkedController {

    private static final Logger log = LoggerFactory.getLogger(LedgerParkedController.class);
    private static final Set<String> CONSUMERS = Set.of("intake", "expiry", "publisher");

    /** What the ledger did: e.g. {@code "Decided: accepted"}. */
    record Resolved(String consumer, String item, String action, String outcome) {
    }

    private final Ledger ledger;
    private final Clock clock;

    LedgerParkedController(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @PostMapping("/retry")
    @Operation(summary = "Process the parked item again now; 409 still_failing when it fails again")
    CompletableFuture<Resolved> retry(@PathVariable String consumer, @RequestBody @Valid ParkedItemRequest body,
                                      Principal admin) {
        return resolve(consumer, body.item(), "retry", admin);
    }

    @PostMapping("/skip")
    @Operation(summary = "Drop the parked item for good (publisher: user/event, while it is the user's first parked"
            + " event)")
    CompletableFuture<Resolved> skip(@PathVariable String consumer, @RequestBody @Valid ParkedItemRequest body,
                                     Principal admin) {
        return resolve(consumer, body.item(), "skip", admin);
    }

    private CompletableFuture<Resolved> resolve(String consumer, String item, String action, Principal admin) {
        if (!CONSUMERS.contains(consumer)) {
            throw ApiException.invalidField("consumer", "consumer must be intake, expiry or publisher");
        }
        long receivedAt = clock.millis();
        Actor actor = Callers.actorOf(admin);
        log.info("{} asks the ledger to {} parked {} item {}", actor.userId(), action, consumer, item);
        return ledger.submit(admin.getName(), receivedAt, new LedgerOperation.ResolveParked(consumer, item, action),
                        actor)
                .thenApply(reply -> new Resolved(consumer, item, action, reply.message()));
    }
}
