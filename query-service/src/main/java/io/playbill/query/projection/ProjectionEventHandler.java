package io.playbill.query.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Axon side of the projections: collects the events of one processor batch and hands them to each projector
 * once, when the batch's unit of work prepares to commit (the processor has stored its token in the same
 * transaction). A whole batch is written in a few statements instead of several per event. Each projector gets the
 * batch through the {@link PoisonGuard}: an event one projector cannot apply is parked for that projection alone.
 */
final class ProjectionEventHandler {

    /** Metadata the live source adds to each event: where its record lies ({@link ProjectionConfiguration}). */
    static final String PARTITION = "playbill-kafka-partition";
    static final String OFFSET = "playbill-kafka-offset";

    private final String processorName;
    private final Map<Projection, Projector> projectors;
    private final PoisonGuard guard;
    private final ProjectionMeters meters;
    private final String batchResource;

    ProjectionEventHandler(String processorName, Map<Projection, Projector> projectors, PoisonGuard guard,
                           ProjectionMeters meters) {
        this.processorName = processorName;
        this.projectors = Map.copyOf(projectors);
        this.guard = guard;
        this.meters = meters;
        this.batchResource = "playbill-projection-batch:" + processorName;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> domain)) {
            return;
        }
        // A value of the JSON literal null reads as no payload, not as a failure: parked like any unreadable event,
        // or no projector could apply it and the batch would be retried for good, with every user's behind it.
        Object readable = payload != null ? payload
                : new TopicRecords.Undecodable(UndecodableEvents.typeOf(message),
                        "The record's value is the JSON null, not an event");
        LedgerEvent event = new LedgerEvent(message.getIdentifier(), domain.getAggregateIdentifier(),
                domain.getSequenceNumber(), message.getTimestamp(), readable);
        Batch batch = batch();
        batch.events().add(event);
        if (message.getMetaData().get(PARTITION) instanceof Integer partition
                && message.getMetaData().get(OFFSET) instanceof Long offset) {
            batch.positions().put(event.eventId(), new RecordPosition(partition, offset));
        }
    }

    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.getOrComputeResource(batchResource, key -> {
            Batch batch = new Batch(new ArrayList<>(), new HashMap<>());
            // In projection order, so that every batch takes the projections' row locks in the same order.
            unitOfWork.onPrepareCommit(done -> Projection.stream().forEach(projection -> {
                Projector projector = projectors.get(projection);
                if (projector != null) {
                    guard.apply(projection, false, projector, batch.events(), batch.positions());
                }
            }));
            unitOfWork.afterCommit(done -> meters.committed(processorName, batch.events()));
            return batch;
        });
    }

    private record Batch(List<LedgerEvent> events, Map<String, RecordPosition> positions) {
    }
}
