package io.playbill.query.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.ArrayList;
import java.util.List;

/**
 * The Axon side of the projections: collects the events of one processor batch and hands them to each projector
 * once, when the batch's unit of work prepares to commit (the processor has stored its token in the same
 * transaction). A whole batch is written in a few statements instead of several per event.
 */
final class ProjectionEventHandler {

    private final String processorName;
    private final List<Projector> projectors;
    private final ProjectionMeters meters;
    private final String batchResource;

    ProjectionEventHandler(String processorName, List<Projector> projectors, ProjectionMeters meters) {
        this.processorName = processorName;
        this.projectors = List.copyOf(projectors);
        this.meters = meters;
        this.batchResource = "playbill-projection-batch:" + processorName;
    }

    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> domain)) {
            return;
        }
        batch().add(new LedgerEvent(message.getIdentifier(), domain.getAggregateIdentifier(),
                domain.getSequenceNumber(), message.getTimestamp(), payload));
    }

    private List<LedgerEvent> batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.getOrComputeResource(batchResource, key -> {
            List<LedgerEvent> events = new ArrayList<>();
            unitOfWork.onPrepareCommit(done -> projectors.forEach(projector -> projector.apply(events)));
            unitOfWork.afterCommit(done -> meters.committed(processorName, events));
            return events;
        });
    }
}
