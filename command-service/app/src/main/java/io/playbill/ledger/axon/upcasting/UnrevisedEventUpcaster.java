package io.playbill.ledger.axon.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.events.SessionRenewed;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.Map;
import java.util.Set;

/**
 * From no revision to revision 1, for every ledger event stored before events carried a revision. Revision 1 has
 * every field present, so the fields added since the first events were stored are written out with the value their
 * absence always meant: {@code balanceLimited: false} on a {@link SessionRenewed} from before decision 011 (the
 * session was not limited: every expiry was t0 + deadline + 30 s), and {@code actor: null} on a money or price event
 * from before actors were recorded (decision 015). Every other field is left as stored.
 *
 * <p>Plain Jackson (the query-service, the gateway's stopper) reads both shapes alike, so it needs no upcaster; the
 * golden files of both shapes ({@code command-service/api/src/test/resources/events}) hold them to it.
 */
public final class UnrevisedEventUpcaster extends SingleEventUpcaster {

    static final String TARGET_REVISION = "1";

    /** The field each event type gained after events were first stored, and what its absence meant. */
    private static final Map<String, String> ADDED_FIELDS = Map.of(
            SessionRenewed.class.getName(), "balanceLimited",
            FundsDeposited.class.getName(), "actor",
            FundsRefunded.class.getName(), "actor",
            BalanceAdjusted.class.getName(), "actor",
            PriceSet.class.getName(), "actor");

    private static final Set<String> LEDGER_EVENTS = Set.of(
            "AccountOpened", "FundsDeposited", "FundsRefunded", "BalanceAdjusted", "PriceSet", "SessionAuthorized",
            "SessionStarted", "PlaytimeCharged", "SessionRenewed", "SessionEnded");

    private static final String EVENTS_PACKAGE = "io.playbill.ledger.api.events.";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        String type = event.getType().getName();
        return event.getType().getRevision() == null && type.startsWith(EVENTS_PACKAGE)
                && LEDGER_EVENTS.contains(type.substring(EVENTS_PACKAGE.length()));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        String type = event.getType().getName();
        String added = ADDED_FIELDS.get(type);
        return event.upcastPayload(new SimpleSerializedType(type, TARGET_REVISION), JsonNode.class,
                payload -> added == null || payload.has(added) || !(payload instanceof ObjectNode object) ? payload
                        : withAbsentMeaning(object, added));
    }

    private static JsonNode withAbsentMeaning(ObjectNode payload, String field) {
        return field.equals("balanceLimited") ? payload.put(field, false) : payload.putNull(field);
    }
}
