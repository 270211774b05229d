-- The parked stops are counted on every metrics scrape and readiness check: without an index of their own that
-- count read the whole table, which keeps a row for every session end (old finished rows are deleted after
-- playbill.cloud.stopper.retention, StopRecords.forgetFinishedBefore).
create index cloud_stop_parked on cloud_stop (id) where result = 'parked';
