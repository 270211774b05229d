package io.playbill.ledger.config;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/** The ledger's event tables as Axon's JDBC storage engine reads them. */
public final class EventTables {

    private EventTables() {
    }

    /** The columns of the event tables that Axon's JPA engine made (V1), in the snake case they were made with. */
    public static EventSchema schema(String eventTable) {
        return EventSchema.builder()
                .eventTable(eventTable)
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }
}
