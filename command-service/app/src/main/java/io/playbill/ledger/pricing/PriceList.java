package io.playbill.ledger.pricing;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.playbill.ledger.account.LedgerRefusal;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The one price list of all queues: every price change is a {@link PriceSet} event of this aggregate, so the price
 * history lives in the event store like every other ledger fact. Accounts read it through the {@link PriceBook}.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class PriceList {

    public static final String ID = "price-list";

    /** Keeps price × seconds × 60 far from overflowing for any realistic session length. */
    static final long MAX_PRICE_PER_MINUTE = 1_000_000_000L;

    @AggregateIdentifier
    private String id;
    private Map<String, PriceSet> latestByQueue = new LinkedHashMap<>();

    protected PriceList() {
        // Axon creates the instance and replays the events.
    }

    /**
     * Applies the price from the request's receive time on. A request older than the queue's latest change
     * (delivered late) is already superseded, and the same change twice is a retry: both change nothing.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SetQueuePrice command) {
        String queue = command.queue();
        if (queue == null || queue.isBlank() || queue.length() > 255 || !CleanText.isClean(queue)) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST,
                    "A queue name of 1-255 characters without control characters is required");
        }
        if (command.actor() == null) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "A price change must name who asks");
        }
        if (command.pricePerMinute() < 0 || command.pricePerMinute() > MAX_PRICE_PER_MINUTE) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST,
                    "A price per minute is between 0 and " + MAX_PRICE_PER_MINUTE);
        }
        PriceSet latest = latestByQueue.get(queue);
        if (latest != null && (command.receivedAtMillis() < latest.effectiveFromMillis()
                || command.receivedAtMillis() == latest.effectiveFromMillis()
                && command.pricePerMinute() == latest.pricePerMinute())) {
            return;
        }
        apply(new PriceSet(queue, command.pricePerMinute(), command.receivedAtMillis(), command.setBy(),
                command.actor()));
    }

    @EventSourcingHandler
    void on(PriceSet event) {
        id = ID;
        latestByQueue.put(event.queue(), event);
    }
}
