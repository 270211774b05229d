-- Each operator's retry or skip of a parked item (docs/operations.md, "Parked items"), by the request that asked. It
-- is carried out before its reply is acknowledged and its offset committed, so it may be delivered again; it then
-- gets the answer it got the first time, instead of "not found" for the item it resolved itself. A different request
-- for the same item is decided as usual.
create table parked_resolution (
    request_id  varchar(255) primary key,
    operator    text         not null,
    consumer    varchar(16)  not null,
    item        text         not null,
    action      varchar(16)  not null,
    accepted    boolean      not null,
    error_code  varchar(64),
    message     text,
    resolved_at timestamptz  not null
);
