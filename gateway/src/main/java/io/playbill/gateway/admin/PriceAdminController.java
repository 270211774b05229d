package io.playbill.gateway.admin;

import io.playbill.gateway.game.GameQueues;
import io.playbill.gateway.ledger.Ledger;
import io.playbill.gateway.security.Callers;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Queue prices; role {@code admin}. Prices are global, so the ledger request is keyed by the admin's user id.
 * Only configured queues ({@code playbill.game.queues}) can be priced.
 */
@RestController
@RequestMapping(path = "/api/admin/prices", produces = MediaType.APPLICATION_JSON_VALUE,
        consumes = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin: prices", description = "Queue prices (role admin)")
class PriceAdminController {

    private static final Logger log = LoggerFactory.getLogger(PriceAdminController.class);

    private final Ledger ledger;
    private final GameQueues queues;
    private final Clock clock;

    PriceAdminController(Ledger ledger, GameQueues queues, Clock clock) {
        this.ledger = ledger;
        this.queues = queues;
        this.clock = clock;
    }

    @PutMapping("/{queue}")
    @Operation(summary = "Set the queue's price per minute from now on")
    CompletableFuture<PriceResponse> setPrice(@PathVariable String queue, @RequestBody @Valid PriceRequest body,
                                              Principal admin) {
        long receivedAt = clock.millis();
        String pricedQueue = queues.resolve(queue);
        Actor actor = Callers.actorOf(admin);
        log.info("{} sets the price of queue {} to {} per minute", actor.userId(), pricedQueue, body.pricePerMinute());
        return ledger.submit(admin.getName(), receivedAt,
                        new LedgerOperation.SetPrice(pricedQueue, body.pricePerMinute()), actor)
                .thenApply(accepted -> new PriceResponse(pricedQueue, body.pricePerMinute()));
    }
}
