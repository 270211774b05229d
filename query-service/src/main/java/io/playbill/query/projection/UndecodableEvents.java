package io.playbill.query.projection;

import com.fasterxml.jackson.core.JacksonException;
import io.playbill.service.parking.Failures;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.serialization.SerializationException;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live processor's handler error handler. Axon decodes an event's payload just before it calls the handler, so an
 * event that cannot be decoded fails there, before any projector sees it: it is parked for every projection (none
 * can apply it), marked {@link TopicRecords.Undecodable}, and the batch goes on; the user's later events wait behind
 * it. Every other failure propagates, as before: the batch rolls back and is retried.
 */
@Component
class UndecodableEvents implements ListenerInvocationErrorHandler {

    /** Never called: the guard parks an undecodable event before any projector sees it. */
    private static final Projector NONE = events -> {
    };

    private final PoisonGuard guard;

    UndecodableEvents(PoisonGuard guard) {
        this.guard = guard;
    }

    @Override
    public void onError(Exception exception, EventMessage<?> event, EventMessageHandler handler) throws Exception {
        if (!isUndecodable(exception) || !(event instanceof DomainEventMessage<?> domain)) {
            throw exception;
        }
        LedgerEvent undecodable = new LedgerEvent(event.getIdentifier(), domain.getAggregateIdentifier(),
                domain.getSequenceNumber(), event.getTimestamp(),
                new TopicRecords.Undecodable(typeOf(event), Failures.describe(exception)));
        Map<String, RecordPosition> positions = new HashMap<>();
        if (event.getMetaData().get(ProjectionEventHandler.PARTITION) instanceof Integer partition
                && event.getMetaData().get(ProjectionEventHandler.OFFSET) instanceof Long offset) {
            positions.put(undecodable.eventId(), new RecordPosition(partition, offset));
        }
        for (Projection projection : Projection.values()) {
            guard.apply(projection, false, NONE, List.of(undecodable), positions);
        }
    }

    private static boolean isUndecodable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SerializationException || cause instanceof JacksonException) {
                return true;
            }
        }
        return false;
    }

    /** The event's type as its record names it; "undecodable" when even that cannot be read. */
    static String typeOf(EventMessage<?> event) {
        try {
            return event.getPayloadType().getName();
        } catch (RuntimeException e) {
            return "undecodable";
        }
    }
}
