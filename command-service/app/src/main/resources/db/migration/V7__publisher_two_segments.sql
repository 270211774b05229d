-- The Kafka publisher reads the event store in 2 segments instead of 16 (decision 032). Its coordinator offers every
-- event to every segment and measures each segment's queue by walking it, so 16 segments cost about a third of the
-- ledger's CPU; and one instance claimed all 16 anyway (Axon does not balance them), so they bought nothing.
--
-- Segments 0 and 1 stay; every other one goes. Both resume where the least advanced of the old segments stood, below
-- its first gap: nothing unpublished is skipped, and events some old segments had published already are published
-- again (at least once, as always: readers skip duplicates). A database with 2 segments or fewer is left alone.
-- Stop every ledger instance of the old version first: one still running loses its claims and re-reads its segments.
do $$
declare
    publisher constant text := '__axon-kafka-event-publishing-group';
    gap_aware constant text := 'org.axonframework.eventhandling.GapAwareTrackingToken';
    resume bigint;
    merged bytea := null;
begin
    if (select count(*) from token_entry where processor_name = publisher) <= 2 then
        return;
    end if;
    if exists (select 1 from token_entry where processor_name = publisher and token is not null
               and token_type is distinct from gap_aware) then
        raise exception 'The publisher''s tokens are not all gap-aware tracking tokens: merge its segments by hand'
            ' (docs/operations.md, "Scaling out")';
    end if;
    if not exists (select 1 from token_entry where processor_name = publisher and token is null) then
        select min(least((t ->> 'index')::bigint,
                         coalesce((select min(gap::bigint) - 1 from jsonb_array_elements_text(t -> 'gaps') gap),
                                  (t ->> 'index')::bigint)))
        into resume
        from (select convert_from(token, 'UTF8')::jsonb t from token_entry where processor_name = publisher) tokens;
        merged := convert_to(json_build_object('index', resume, 'gaps', json_build_array())::text, 'UTF8');
    end if;
    delete from token_entry where processor_name = publisher and segment >= 2;
    update token_entry
    set token = merged, token_type = case when merged is null then null else gap_aware end, owner = null
    where processor_name = publisher;
end $$;
