-- The read models of issue 5. Every projection table belongs to exactly one projection (see Projection.java),
-- which writes it from one streaming processor whose token commits in the same transaction.
--
-- Names matter for replays: a replay builds "<table>_replay" with LIKE ... INCLUDING ALL (PostgreSQL names the
-- copied indexes after the columns) and swaps it in by renaming "<table>_replay*" back to "<table>*". Every
-- constraint and index below therefore carries the name PostgreSQL itself would generate, so a table keeps the
-- same index names after any number of replays.

-- The spine's account table is replaced; its processor starts again from the beginning of the topic.
drop table account;
delete from token_entry where processor_name = 'accounts';
-- From now on one processor, 'projections', keeps every read model up to date (see Projection.java).

-- accounts ----------------------------------------------------------------------------------------------------
create table account (
    user_id          text        not null,
    balance          bigint      not null,
    playtime_seconds bigint      not null,
    active_sessions  integer     not null,
    opened_at        timestamptz,
    last_sequence    bigint      not null,
    constraint account_pkey primary key (user_id)
);

create table account_queue (
    user_id          text   not null,
    queue            text   not null,
    playtime_seconds bigint not null,
    constraint account_queue_pkey primary key (user_id, queue)
);

-- sessions ----------------------------------------------------------------------------------------------------
create table game_session (
    user_id          text        not null,
    session_id       text        not null,
    queue            text        not null,
    status           text        not null,
    billing_mode     text,
    authorized_at    timestamptz not null,
    started_at       timestamptz,
    first_renew_at   timestamptz,
    ended_at         timestamptz,
    end_reason       text,
    billed_seconds   bigint      not null,
    charged_amount   bigint      not null,
    deadline_seconds bigint      not null,
    price_per_minute bigint      not null,
    last_sequence    bigint      not null,
    constraint game_session_pkey primary key (user_id, session_id)
);
-- A player's history, newest first.
create index game_session_user_id_authorized_at_idx on game_session (user_id, authorized_at);
-- Active sessions now: only the rows that are not over are in this index.
create index game_session_authorized_at_user_id_session_id_idx on game_session (authorized_at, user_id, session_id)
    where status <> 'ended';

-- statement ---------------------------------------------------------------------------------------------------
create table statement_line (
    event_id       text        not null,
    user_id        text        not null,
    seq            bigint      not null,
    occurred_at    timestamptz not null,
    kind           text        not null,
    amount         bigint      not null,
    balance_after  bigint      not null,
    balance_change bigint      not null,
    reference      text,
    reason         text,
    session_id     text,
    queue          text,
    seconds        bigint,
    constraint statement_line_pkey primary key (event_id)
);
-- A user's statement over a range, in order; also a user's balance as of an instant (the last line before it).
create index statement_line_user_id_occurred_at_seq_idx on statement_line (user_id, occurred_at, seq);
-- Liability as of an instant reads at most the last minute of lines through this index.
create index statement_line_occurred_at_idx on statement_line (occurred_at);

-- Per user: the last event applied and the running balance the next line's balance_change starts from.
create table statement_account (
    user_id       text   not null,
    balance       bigint not null,
    last_sequence bigint not null,
    constraint statement_account_pkey primary key (user_id)
);

-- Σ balance_change per minute and per day (UTC): the liability as of T is the days before T's day, the minutes
-- of T's day before T's minute, and the lines of T's minute up to T.
create table liability_minute (
    minute         timestamptz not null,
    balance_change bigint      not null,
    constraint liability_minute_pkey primary key (minute)
);

create table liability_day (
    day            date   not null,
    balance_change bigint not null,
    constraint liability_day_pkey primary key (day)
);

-- finance -----------------------------------------------------------------------------------------------------
create table queue_hour (
    hour             timestamptz not null,
    queue            text        not null,
    revenue          bigint      not null,
    playtime_seconds bigint      not null,
    sessions         bigint      not null,
    constraint queue_hour_pkey primary key (hour, queue)
);

create table queue_day (
    day              date   not null,
    queue            text   not null,
    revenue          bigint not null,
    playtime_seconds bigint not null,
    sessions         bigint not null,
    constraint queue_day_pkey primary key (day, queue)
);

create table money_day (
    day               date   not null,
    deposits          bigint not null,
    deposit_amount    bigint not null,
    refunds           bigint not null,
    refund_amount     bigint not null,
    adjustments       bigint not null,
    adjustment_amount bigint not null,
    constraint money_day_pkey primary key (day)
);

-- The rollups add amounts up, so redelivered events are recognised by each user's last applied sequence.
create table finance_position (
    user_id       text   not null,
    last_sequence bigint not null,
    constraint finance_position_pkey primary key (user_id)
);

-- replays -----------------------------------------------------------------------------------------------------
-- One row per projection that was ever replayed. The rebuild's position (next offset per partition) commits with
-- the shadow rows it covers; the instance that rebuilds holds a claim it renews with every batch.
create table projection_replay (
    projection        text             not null,
    status            text             not null,
    started_at        timestamptz      not null,
    finished_at       timestamptz,
    events_total      bigint           not null,
    events_done       bigint           not null,
    events_per_second double precision not null,
    start_offsets     text             not null,
    target_offsets    text             not null,
    positions         text             not null,
    owner             text,
    claimed_until     timestamptz,
    error             text,
    updated_at        timestamptz      not null,
    constraint projection_replay_pkey primary key (projection)
);

-- audits ------------------------------------------------------------------------------------------------------
-- One row per audit, so any instance answers its progress and result.
create table audit_run (
    id          text        not null,
    status      text        not null,
    account     text,
    as_of       timestamptz,
    started_at  timestamptz not null,
    finished_at timestamptz,
    report      text,
    error       text,
    constraint audit_run_pkey primary key (id)
);
