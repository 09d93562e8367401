-- The vehicle's EVCC ID (ISO 15118 / DIN 70121: the EV communication controller's id, usually its MAC address), as
-- registered by the operator: shown next to what the charger reports with the VIN.
ALTER TABLE vehicles ADD COLUMN evcc_id TEXT NULL;
