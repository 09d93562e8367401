-- A StartTransaction identical to an earlier one (charge point, connector, idTag, meterStart, timestamp) is a resend only
-- while that transaction is open. Once it has stopped, the same content is decided anew (its evidence is consumed, so a
-- layered station refuses it) and stored as a new transaction: the uniqueness holds among open transactions only.
DROP INDEX ux_transactions_content;
CREATE UNIQUE INDEX ux_transactions_open_content ON transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp)
    WHERE stop_timestamp IS NULL;
CREATE INDEX ix_transactions_content ON transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp);
