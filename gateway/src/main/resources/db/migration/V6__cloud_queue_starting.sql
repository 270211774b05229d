-- starting: a ready player's start call is under way (TrylockWorker again, then CreateSession). The place stays in
-- line until the call ends, so that nobody behind it is served in the meantime; ready_until then bounds the call,
-- so that a gateway that dies mid-start does not hold the line for good.
ALTER TABLE cloud_queue DROP CONSTRAINT cloud_queue_status_check;
ALTER TABLE cloud_queue ADD CONSTRAINT cloud_queue_status_check
    CHECK (status IN ('waiting', 'ready', 'starting', 'failed'));
