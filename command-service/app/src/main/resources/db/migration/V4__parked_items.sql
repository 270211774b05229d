-- Items the ledger's consumers could not process after their attempts, parked for an operator instead of stopping
-- everyone else's (docs/operations.md, "Parked items"; decision 020).

-- Requests the intake could not decide: the record as it was on the request topic, the last error and when.
-- status: parked (waiting for an operator), retried (decided by an operator's retry), skipped (dropped for good).
create table parked_request (
    id              bigserial    primary key,
    topic           varchar(255) not null,
    topic_partition int          not null,
    topic_offset    bigint       not null,
    record_key      varchar(255),
    request_id      varchar(255),
    payload         bytea        not null,
    error           text         not null,
    attempts        int          not null,
    parked_at       timestamptz  not null,
    status          varchar(16)  not null default 'parked' check (status in ('parked', 'retried', 'skipped')),
    resolved_at     timestamptz,
    resolved_by     varchar(255),
    unique (topic, topic_partition, topic_offset)
);
create index parked_request_parked on parked_request (id) where status = 'parked';

-- The expiry scanner counts the failed attempts to expire a session; after the last one the row is parked and left
-- out of the scan until an operator retries it (or a request of the session moves it on).
alter table session_expiry
    add column attempts          int not null default 0,
    add column last_error        text,
    add column parked_at_millis  bigint;

-- The publisher's parked events use Axon's JPA dead-letter queue, in dead_letter_entry (V1__axon_event_store.sql).
