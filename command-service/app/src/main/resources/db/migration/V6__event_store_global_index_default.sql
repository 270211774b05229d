-- The ledger appends its events with Axon's JDBC storage engine (decision 031), which leaves the global index to the
-- database: it becomes the sequence's next value, as Hibernate made it before, one round trip fewer per event.
-- Rows already stored keep their index; inserts that name one (tests, tools) still may.
alter table domain_event_entry alter column global_index set default nextval('domain_event_entry_seq');
alter sequence domain_event_entry_seq owned by domain_event_entry.global_index;
