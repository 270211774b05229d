-- The parked stops are counted on every metrics scrape and readiness check, and the finished ones are deleted after
-- playbill.cloud.stopper.retention (StopRecords.forgetFinishedBefore). cloud_stop keeps a row for every session
-- end: without indexes of their own, both read the whole table.
create index cloud_stop_parked on cloud_stop (id) where result = 'parked';
create index cloud_stop_finished on cloud_stop (stopped_at) where result not in ('pending', 'parked');
