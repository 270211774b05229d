-- Cloud games bound to the ledger sessions that pay for them (docs/cloud-game.md, decision 015).

-- The user's one cloud game (GS's StopGame names only the user), now with the ledger session that pays for it, who
-- renews that session (the client's SDK, the gateway's own heartbeat, or nobody when billing is off), and for the
-- gateway's heartbeat where it stands. Rows from before this migration are games of billing mode none.
alter table cloud_session
    add column session             varchar(64),
    add column billing             varchar(16) not null default 'none'
        check (billing in ('none', 'client', 'server')),
    -- reserved: bound to a session while the user waits in the queue; starting: GS is being asked; running: started
    add column state               varchar(16) not null default 'running'
        check (state in ('reserved', 'starting', 'running')),
    add column first_renew_at      timestamptz,
    add column deadline            bigint,
    add column next_renew_at       timestamptz,
    add column renew_claimed_until timestamptz;

create index cloud_session_by_session on cloud_session (session);
create index cloud_session_heartbeat_due on cloud_session (next_renew_at)
    where billing = 'server' and state = 'running';

-- Every ledger session end the gateway heard of, and what it did about its cloud game. A stop GS did not answer is
-- retried (next_attempt_at) until it succeeds or is parked for an operator.
-- result: pending | stopped | no_game | parked (older rows may say skipped_stale, skipped_newer_game, failed:<code>)
alter table cloud_stop
    add column attempts        int          not null default 0,
    add column next_attempt_at timestamptz,
    add column last_error      varchar(200),
    alter column stopped_at drop not null;

create index cloud_stop_due on cloud_stop (next_attempt_at) where result = 'pending';
