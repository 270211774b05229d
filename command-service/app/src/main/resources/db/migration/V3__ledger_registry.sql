-- The ledger's facts that span accounts (see LedgerRegistry, decision 015). Written by a subscribing event processor
-- inside the transaction that stores the events they mirror, so they never disagree with the event store.

-- One session id belongs to one user, for good: the SDK's start and renew tokens carry no user.
create table session_owner (
    session_id           varchar(64)  primary key,
    user_id              varchar(255) not null,
    authorized_at_millis bigint       not null
);

-- One money reference names one deposit, refund or adjustment across all accounts. Retries are recognised here for
-- good, so accounts need not keep their references in memory.
create table money_reference (
    reference          varchar(255) primary key,
    user_id            varchar(255) not null,
    kind               varchar(16)  not null check (kind in ('deposit', 'refund', 'adjustment')),
    amount             bigint       not null,
    reason             varchar(255),
    balance_after      bigint       not null,
    recorded_at_millis bigint       not null
);

-- Events stored before this migration: the first claim (by global order) wins, as the ledger would have decided.
-- jsonb refuses the escape of U+0000, which an old reason may hold: it is read as U+FFFD.
insert into session_owner (session_id, user_id, authorized_at_millis)
select e.payload ->> 'session', e.aggregate_identifier, (e.payload ->> 'receivedAtMillis')::bigint
from (select aggregate_identifier, global_index, replace(convert_from(payload, 'UTF8'), '\u0000', '\ufffd')::jsonb as payload
      from domain_event_entry
      where payload_type = 'io.playbill.ledger.api.events.SessionAuthorized') e
order by e.global_index
on conflict (session_id) do nothing;

insert into money_reference (reference, user_id, kind, amount, reason, balance_after, recorded_at_millis)
select e.payload ->> 'reference', e.aggregate_identifier,
       case e.payload_type
           when 'io.playbill.ledger.api.events.FundsDeposited' then 'deposit'
           when 'io.playbill.ledger.api.events.FundsRefunded' then 'refund'
           else 'adjustment' end,
       (e.payload ->> 'amount')::bigint, e.payload ->> 'reason', (e.payload ->> 'balanceAfter')::bigint,
       (e.payload ->> 'receivedAtMillis')::bigint
from (select aggregate_identifier, global_index, payload_type, replace(convert_from(payload, 'UTF8'), '\u0000', '\ufffd')::jsonb as payload
      from domain_event_entry
      where payload_type in ('io.playbill.ledger.api.events.FundsDeposited',
                             'io.playbill.ledger.api.events.FundsRefunded',
                             'io.playbill.ledger.api.events.BalanceAdjusted')) e
order by e.global_index
on conflict (reference) do nothing;
