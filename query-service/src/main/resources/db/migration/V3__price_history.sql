-- Price history, part of the finance projection (see Projection.java): one row per PriceSet event of the price list,
-- keyed by the event id so a redelivered event is written once. Existing installations fill it with one replay of
-- the finance projection (docs/operations.md, "Replays"); until then it holds the prices set since this migration.
create table price_change (
    event_id         text        not null,
    queue            text        not null,
    price_per_minute bigint      not null,
    effective_from   timestamptz not null,
    set_by           text        not null,
    seq              bigint      not null,
    constraint price_change_pkey primary key (event_id)
);
-- A queue's history, newest first; the price in force now is its first row.
create index price_change_queue_effective_from_seq_idx on price_change (queue, effective_from, seq);
