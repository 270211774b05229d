-- Events a projection could not apply (docs/operations.md, "Parked items"; decision 020). The first failing event of
-- a user is 'parked' with its error; the user's later events of the same projection are 'waiting' behind it, so a
-- user's read model never applies events out of order. A replay parks into the same table (replay = true) for its
-- shadow tables; the swap makes its rows the live ones.
create table parked_event (
    id              bigserial    primary key,
    projection      varchar(32)  not null,
    replay          boolean      not null default false,
    user_id         varchar(255) not null,
    event_id        varchar(255) not null,
    seq             bigint       not null,
    event_type      varchar(255) not null,
    -- The decoded event as JSON; null when it could not be decoded (a retry reads it from the topic again).
    payload         text,
    occurred_at     timestamptz  not null,
    topic_partition int,
    topic_offset    bigint,
    status          varchar(16)  not null check (status in ('parked', 'waiting')),
    error           text         not null,
    attempts        int          not null,
    parked_at       timestamptz  not null,
    unique (projection, replay, event_id)
);
create index parked_event_user on parked_event (projection, replay, user_id, seq);
