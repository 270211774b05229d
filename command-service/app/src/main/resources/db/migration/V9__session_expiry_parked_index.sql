-- The parked expiries are counted on every health probe and metrics scrape (ParkedHealth): a partial index of the few
-- parked rows, so that the count does not read all of session_expiry, which the renews rewrite all the time.
-- A plain CREATE INDEX: CONCURRENTLY hangs under Flyway's transactional advisory lock (flyway/flyway#3497), and with
-- a session lock instead it deadlocks with a second instance waiting for that lock. It blocks writes to
-- session_expiry for one scan of the table, a short row per open session: well under a second, once.
create index session_expiry_parked on session_expiry (user_id, session_id) where parked_at_millis is not null;
