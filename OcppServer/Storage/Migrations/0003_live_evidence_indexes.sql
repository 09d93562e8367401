-- Evidence and open transactions are found among the live rows only. The indexes of 0001/0002 cover every row a
-- connector ever had, so these lookups walked the whole history of the connector (one VIN report and one token per
-- session, kept for the record) and slowed down as it grew.
CREATE INDEX ix_vin_reports_live ON vin_reports (charge_point_id, connector_id, id) WHERE discarded_at IS NULL;
CREATE INDEX ix_biometric_tokens_live ON biometric_tokens (charge_point_id, connector_id, id) WHERE discarded_at IS NULL;
CREATE INDEX ix_transactions_open_connector ON transactions (charge_point_id, connector_id) WHERE stop_timestamp IS NULL;
