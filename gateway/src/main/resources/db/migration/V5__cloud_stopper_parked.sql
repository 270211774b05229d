-- Ledger-events records the cloud stopper could not handle (docs/operations.md, "Parked items"; decision 020): an
-- undecodable SessionEnded, or one whose end cannot be recorded. A database outage parks nothing: the record is
-- retried until the database is back. An operator retries (handled again, then removed) or skips (removed) each.
CREATE TABLE cloud_stopper_parked (
    id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic           varchar(255) NOT NULL,
    topic_partition int          NOT NULL,
    topic_offset    bigint       NOT NULL,
    record_key      varchar(255),
    event_type      varchar(255),
    payload         bytea,
    error           text         NOT NULL,
    attempts        int          NOT NULL,
    parked_at       timestamptz  NOT NULL,
    UNIQUE (topic, topic_partition, topic_offset)
);
