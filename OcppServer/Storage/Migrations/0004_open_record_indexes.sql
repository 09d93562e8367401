-- Lookups that run on every decision, served from partial indexes over the rows they can return. Without them the
-- open pre-verification of a vehicle was searched among every record of the station in the window (2.2 ms after
-- ~5,000 journeys, growing with traffic) and the latest claimed driver among a charge point's whole decision history.
CREATE INDEX ix_pre_verifications_open ON pre_verifications (station_id, vehicle_id, created_at)
    WHERE verdict = 'Passed' AND consumed_by_transaction_id IS NULL;
CREATE INDEX ix_pre_verifications_open_station ON pre_verifications (station_id, created_at)
    WHERE verdict = 'Passed' AND consumed_by_transaction_id IS NULL;
CREATE INDEX ix_authorization_decisions_claims ON authorization_decisions (charge_point_id, decided_at)
    WHERE phase = 'Authorize' AND driver_id IS NOT NULL;
