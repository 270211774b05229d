-- Whether the ledger session that pays for a running game has started billing (the client's session started, or the
-- gateway's first renew answered). A game marked running without it had its start's instance die in between:
-- nothing renews its session, which would play unpaid until its authorization timed out. Every instance looks for
-- such games (BillingCatchUp) and starts their billing, or stops them when the ledger refuses.
alter table cloud_session add column billing_started boolean not null default false;

-- Rows from before this migration: a gateway-renewed game with a first renew has started billing; a client's game is
-- taken as started (its SDK starts its session; asking again would be harmless, but it is not needed).
update cloud_session set billing_started = true
    where state = 'running' and (billing = 'client' or first_renew_at is not null);

create index cloud_session_unbilled on cloud_session (started_at)
    where state = 'running' and billing <> 'none' and not billing_started;
