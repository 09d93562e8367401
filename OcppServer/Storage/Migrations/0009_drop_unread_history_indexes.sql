-- No query reads the status history or meter values by charge point (meter values are read by transaction, through
-- ix_meter_values_tx): these two indexes were only written to, one page more in every StatusNotification's and
-- MeterValues' commit (four StatusNotifications and a MeterValues per charging session). An API that lists either by
-- charge point brings its index back with it.
DROP INDEX ix_status_history_cp;
DROP INDEX ix_meter_values_cp;
