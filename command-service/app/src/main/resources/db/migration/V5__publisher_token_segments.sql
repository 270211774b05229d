-- The Kafka publisher's token segments, made here once instead of by the first ledger instance to start.
-- Axon's pooled streaming processor creates its segments only when it finds none; two instances starting together on
-- a fresh database both inserted them, and the one that lost the primary key exited (docs/operations.md, "Scaling
-- out"). Flyway migrates under a database lock, so exactly one instance inserts these.
-- 16 segments is the processor's own default (EventPublishingConfiguration states it); a null token reads from the
-- start of the event store, which is the processor's own initial token. An upgraded ledger already has its
-- segments and keeps them as they are.
insert into token_entry (processor_name, segment, owner, timestamp, token, token_type)
select '__axon-kafka-event-publishing-group', segment, null,
       to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), null, null
from generate_series(0, 15) as segment
where not exists (select 1 from token_entry where processor_name = '__axon-kafka-event-publishing-group');
