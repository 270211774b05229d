package io.playbill.ledger.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.QueuePrices;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The Axon aggregate of the one price list ({@link QueuePrices}): every {@code set-price} request goes here, whoever
 * sent it ({@link #TARGET}); the request's user is the admin who asked.
 */
@Aggregate(repository = "priceListRepository", commandTargetResolver = "priceListTarget")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class PriceList {

    public static final String ID = PriceSet.STREAM;

    /** Every price change is for the one price list, whoever asked. */
    public static final CommandTargetResolver TARGET =
            command -> new VersionedAggregateIdentifier((Object) ID, null); // the String constructor is deprecated

    @AggregateIdentifier
    private String id;
    private QueuePrices prices = QueuePrices.NONE;

    protected PriceList() {
        // Axon creates the instance and replays the events.
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.SetPrice command, MetaData request) {
        return LedgerCommands.carryOut(prices.setPrice(command, LedgerCommands.request(request)));
    }

    @EventSourcingHandler
    void on(PriceSet event) {
        id = ID;
        prices = prices.evolve(event);
    }
}
