-- A connector session: from the status that shows a vehicle at the connector (Preparing, Charging, SuspendedEV,
-- SuspendedEVSE) until it ends in any way (Available, Faulted, Unavailable, Reserved, Finishing, a stop, a reboot, a
-- reconnect). Evidence (VIN report, biometric token) counts only when received during the connector's current session.
ALTER TABLE connectors ADD COLUMN session_started_at TEXT NULL;
UPDATE connectors SET session_started_at = updated_at WHERE status IN ('Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE');
