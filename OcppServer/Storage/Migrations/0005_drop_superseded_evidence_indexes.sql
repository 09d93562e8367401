-- Every lookup of VIN reports and biometric tokens is by id or among the live rows (discarded_at IS NULL), which the
-- partial indexes of 0003 serve. The full-history indexes of 0002 were only written to: two index pages fewer per journey.
DROP INDEX ix_vin_reports_connector;
DROP INDEX ix_biometric_tokens_connector;
