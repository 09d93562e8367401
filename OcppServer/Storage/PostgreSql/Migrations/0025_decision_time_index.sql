-- The dashboard's overview counts the last hour's decisions by result and reason: an index on the decision time keeps
-- that a range scan of the hour, not a scan of the whole log.
CREATE INDEX authorization_decisions_by_time ON authorization_decisions (decided_at);
