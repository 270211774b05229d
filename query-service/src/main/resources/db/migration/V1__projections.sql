-- Tracking tokens of the projections' streaming processors. They live in the same database as the
-- projection tables, so a projection row and the token that covers it commit in one transaction.
create table token_entry (
    processor_name varchar(255) not null,
    segment        integer      not null,
    owner          varchar(255),
    timestamp      varchar(255) not null,
    token          bytea,
    token_type     varchar(255),
    primary key (processor_name, segment)
);

create table account (
    user_id       varchar(64) not null primary key,
    balance       bigint      not null,
    opened_at     timestamptz not null,
    last_sequence bigint      not null
);
