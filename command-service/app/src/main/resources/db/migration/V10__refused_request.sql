-- The refusals of requests whose answer depends on the account's state (deposit, refund, adjustment, authorize,
-- start): a batch is answered before its offsets are committed (decision 048), so it may be delivered again, and
-- decided again after a deposit or a session's end it could be accepted, moving money its requester was told was
-- refused. A request delivered again gets its first refusal from here. Kept for the requests topic's retention (7 days).
create table refused_request (
    request_id   varchar(255) not null,
    -- SHA-256 of the request record's value: the same id with other content is another request, decided as usual.
    request_hash bytea        not null,
    error_code   varchar(64)  not null,
    message      text,
    refused_at   timestamptz  not null,
    primary key (request_id, request_hash)
);

create index refused_request_by_age on refused_request (refused_at);
