-- Read models the ledger's own decisions depend on. Both are written by subscribing event processors inside the
-- transaction that stores the events they mirror, so they never disagree with the event store.

-- The price book: every queue's price history (PriceSet events). The price in force at a time is the row of the
-- queue with the latest effective_from_millis not after it.
create table queue_price (
    queue                 varchar(255) not null,
    effective_from_millis bigint       not null,
    price_per_minute      bigint       not null,
    set_by                varchar(255),
    primary key (queue, effective_from_millis)
);

-- One row per active session: when it times out unless a request moves it on. The expiry scanner claims due rows
-- (claimed_until_millis) with FOR UPDATE SKIP LOCKED, so several command-service instances share the work.
create table session_expiry (
    user_id              varchar(255) not null,
    session_id           varchar(64)  not null,
    expires_at_millis    bigint       not null,
    claimed_until_millis bigint       not null default 0,
    primary key (user_id, session_id)
);
create index session_expiry_due on session_expiry (expires_at_millis);
