package io.playbill.query.projection;

/** Where an event lies on the ledger-events topic; shown with a parked event so an operator can find the record. */
public record RecordPosition(int partition, long offset) {
}
