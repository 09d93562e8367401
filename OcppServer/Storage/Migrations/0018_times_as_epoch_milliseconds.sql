-- migration: foreign_keys off
-- Every time is stored as an integer: Unix epoch milliseconds, UTC (INTEGER here, bigint in PostgreSQL). Until this
-- migration times were ISO 8601 UTC text ("yyyy-MM-ddTHH:mm:ss.fffZ") compared as strings. Each existing value is
-- converted exactly: julianday() reads the text to the millisecond and round() takes away the floating point error
-- (well under a millisecond for any year 0000-9999).
--
-- SQLite cannot change the declared type of a column, and a TEXT column would store an integer as text (type
-- affinity), so every table with a time column is rebuilt as https://www.sqlite.org/lang_altertable.html
-- ("Making Other Kinds Of Table Schema Changes") describes: create the new table, copy the rows converting their times,
-- drop the old table, rename the new one, create its indexes again. Every row, column (in the same order, those added
-- by later ALTER TABLEs included), constraint, default, foreign key, index (partial ones with the same WHERE) and the
-- AUTOINCREMENT sequence of transactions is kept. The first line above makes MigrationRunner run this file with foreign
-- key enforcement off (dropping a parent table would otherwise delete or fail on its children) and PRAGMA
-- foreign_key_check before COMMIT: one violation and nothing of this migration is committed.

-- A time that julianday() cannot read would become NULL (or fail a NOT NULL constraint): the migration fails instead,
-- before anything is changed, naming the constraint below.
CREATE TEMP TABLE epoch_unreadable_times (
    n INTEGER NOT NULL,
    CONSTRAINT every_stored_time_is_readable_iso_8601 CHECK (n = 0)
);
INSERT INTO epoch_unreadable_times (n) SELECT
      (SELECT COUNT(*) FROM charge_points WHERE (last_boot_at IS NOT NULL AND julianday(last_boot_at) IS NULL)
          OR (last_heartbeat_at IS NOT NULL AND julianday(last_heartbeat_at) IS NULL)
          OR (firmware_status_at IS NOT NULL AND julianday(firmware_status_at) IS NULL)
          OR (diagnostics_status_at IS NOT NULL AND julianday(diagnostics_status_at) IS NULL)
          OR julianday(created_at) IS NULL)
    + (SELECT COUNT(*) FROM connectors WHERE (status_timestamp IS NOT NULL AND julianday(status_timestamp) IS NULL)
          OR julianday(updated_at) IS NULL
          OR (session_started_at IS NOT NULL AND julianday(session_started_at) IS NULL))
    + (SELECT COUNT(*) FROM status_history WHERE (status_timestamp IS NOT NULL AND julianday(status_timestamp) IS NULL)
          OR julianday(received_at) IS NULL)
    + (SELECT COUNT(*) FROM boot_history WHERE julianday(received_at) IS NULL)
    + (SELECT COUNT(*) FROM id_tags WHERE (expiry_date IS NOT NULL AND julianday(expiry_date) IS NULL)
          OR julianday(created_at) IS NULL OR julianday(updated_at) IS NULL)
    + (SELECT COUNT(*) FROM transactions WHERE julianday(start_timestamp) IS NULL
          OR (stop_timestamp IS NOT NULL AND julianday(stop_timestamp) IS NULL)
          OR julianday(created_at) IS NULL
          OR (stopped_at IS NOT NULL AND julianday(stopped_at) IS NULL))
    + (SELECT COUNT(*) FROM unmatched_stop_transactions WHERE julianday(stop_timestamp) IS NULL OR julianday(received_at) IS NULL)
    + (SELECT COUNT(*) FROM meter_values WHERE julianday(timestamp) IS NULL OR julianday(received_at) IS NULL)
    + (SELECT COUNT(*) FROM data_transfers WHERE julianday(received_at) IS NULL)
    + (SELECT COUNT(*) FROM firmware_diagnostics_history WHERE julianday(received_at) IS NULL)
    + (SELECT COUNT(*) FROM commands WHERE julianday(sent_at) IS NULL OR julianday(completed_at) IS NULL)
    + (SELECT COUNT(*) FROM message_log WHERE julianday(logged_at) IS NULL)
    + (SELECT COUNT(*) FROM stations WHERE julianday(created_at) IS NULL)
    + (SELECT COUNT(*) FROM drivers WHERE julianday(created_at) IS NULL)
    + (SELECT COUNT(*) FROM biometric_templates WHERE julianday(created_at) IS NULL)
    + (SELECT COUNT(*) FROM vehicles WHERE julianday(created_at) IS NULL)
    + (SELECT COUNT(*) FROM biometric_readers WHERE julianday(updated_at) IS NULL)
    + (SELECT COUNT(*) FROM cameras WHERE (last_capture_at IS NOT NULL AND julianday(last_capture_at) IS NULL)
          OR julianday(created_at) IS NULL)
    + (SELECT COUNT(*) FROM pre_verifications WHERE julianday(captured_at) IS NULL OR julianday(created_at) IS NULL
          OR julianday(expires_at) IS NULL OR (consumed_at IS NOT NULL AND julianday(consumed_at) IS NULL))
    + (SELECT COUNT(*) FROM vin_reports WHERE julianday(received_at) IS NULL
          OR (discarded_at IS NOT NULL AND julianday(discarded_at) IS NULL))
    + (SELECT COUNT(*) FROM biometric_tokens WHERE (issued_at IS NOT NULL AND julianday(issued_at) IS NULL)
          OR (expires_at IS NOT NULL AND julianday(expires_at) IS NULL)
          OR julianday(received_at) IS NULL
          OR (discarded_at IS NOT NULL AND julianday(discarded_at) IS NULL))
    + (SELECT COUNT(*) FROM token_replay WHERE julianday(expires_at) IS NULL)
    + (SELECT COUNT(*) FROM authorization_decisions WHERE julianday(decided_at) IS NULL)
    + (SELECT COUNT(*) FROM charge_point_hardening WHERE julianday(answered_at) IS NULL)
    -- applied_at may already be epoch milliseconds: those written by MigrationRunner since this version
    + (SELECT COUNT(*) FROM schema_migrations WHERE typeof(applied_at) <> 'integer'
          AND NOT (applied_at GLOB '[0-9]*' AND applied_at NOT GLOB '*[^0-9]*') AND julianday(applied_at) IS NULL);
DROP TABLE epoch_unreadable_times;

-- schema_migrations (created by MigrationRunner before any migration). Its applied_at may hold epoch milliseconds
-- already: an integer, or digits as text when this version applied an earlier migration to the TEXT column of a
-- database created before it.
CREATE TABLE schema_migrations_new (
    version             TEXT PRIMARY KEY,
    applied_at          INTEGER NOT NULL
);
INSERT INTO schema_migrations_new (version, applied_at)
SELECT version,
    CASE
        WHEN typeof(applied_at) = 'integer' THEN applied_at
        WHEN applied_at GLOB '[0-9]*' AND applied_at NOT GLOB '*[^0-9]*' THEN CAST(applied_at AS INTEGER)
        ELSE CAST(round((julianday(applied_at) - 2440587.5) * 86400000) AS INTEGER)
    END
FROM schema_migrations;
DROP TABLE schema_migrations;
ALTER TABLE schema_migrations_new RENAME TO schema_migrations;

-- 0001: OCPP 1.6 core.

CREATE TABLE charge_points_new (
    id                      TEXT PRIMARY KEY,
    station_id              TEXT NULL,
    registration_status     TEXT NOT NULL,          -- Accepted | Pending | Rejected
    password_hash           TEXT NULL,              -- PBKDF2; NULL = no Basic auth required
    vendor                  TEXT NULL,
    model                   TEXT NULL,
    charge_point_serial     TEXT NULL,
    charge_box_serial       TEXT NULL,
    firmware_version        TEXT NULL,
    iccid                   TEXT NULL,
    imsi                    TEXT NULL,
    meter_type              TEXT NULL,
    meter_serial            TEXT NULL,
    last_boot_at            INTEGER NULL,
    last_heartbeat_at       INTEGER NULL,
    firmware_status         TEXT NULL,
    firmware_status_at      INTEGER NULL,
    diagnostics_status      TEXT NULL,
    diagnostics_status_at   INTEGER NULL,
    created_at              INTEGER NOT NULL,
    allow_unauthenticated   INTEGER NOT NULL DEFAULT 0,
    authorization_mode      TEXT NOT NULL DEFAULT 'Layered'  -- Layered | IdTagOnly
);
INSERT INTO charge_points_new (id, station_id, registration_status, password_hash, vendor, model, charge_point_serial,
    charge_box_serial, firmware_version, iccid, imsi, meter_type, meter_serial, last_boot_at, last_heartbeat_at,
    firmware_status, firmware_status_at, diagnostics_status, diagnostics_status_at, created_at, allow_unauthenticated,
    authorization_mode)
SELECT id, station_id, registration_status, password_hash, vendor, model, charge_point_serial,
    charge_box_serial, firmware_version, iccid, imsi, meter_type, meter_serial,
    CAST(round((julianday(last_boot_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(last_heartbeat_at) - 2440587.5) * 86400000) AS INTEGER),
    firmware_status,
    CAST(round((julianday(firmware_status_at) - 2440587.5) * 86400000) AS INTEGER),
    diagnostics_status,
    CAST(round((julianday(diagnostics_status_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER),
    allow_unauthenticated, authorization_mode
FROM charge_points;
DROP TABLE charge_points;
ALTER TABLE charge_points_new RENAME TO charge_points;

CREATE TABLE connectors_new (
    charge_point_id     TEXT NOT NULL REFERENCES charge_points(id),
    connector_id        INTEGER NOT NULL,
    status              TEXT NOT NULL,
    error_code          TEXT NOT NULL,
    info                TEXT NULL,
    vendor_id           TEXT NULL,
    vendor_error_code   TEXT NULL,
    status_timestamp    INTEGER NULL,
    updated_at          INTEGER NOT NULL,
    session_started_at  INTEGER NULL,
    PRIMARY KEY (charge_point_id, connector_id)
);
INSERT INTO connectors_new (charge_point_id, connector_id, status, error_code, info, vendor_id, vendor_error_code,
    status_timestamp, updated_at, session_started_at)
SELECT charge_point_id, connector_id, status, error_code, info, vendor_id, vendor_error_code,
    CAST(round((julianday(status_timestamp) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(session_started_at) - 2440587.5) * 86400000) AS INTEGER)
FROM connectors;
DROP TABLE connectors;
ALTER TABLE connectors_new RENAME TO connectors;

CREATE TABLE status_history_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    status              TEXT NOT NULL,
    error_code          TEXT NOT NULL,
    info                TEXT NULL,
    vendor_id           TEXT NULL,
    vendor_error_code   TEXT NULL,
    status_timestamp    INTEGER NULL,
    received_at         INTEGER NOT NULL
);
INSERT INTO status_history_new (id, charge_point_id, connector_id, status, error_code, info, vendor_id, vendor_error_code,
    status_timestamp, received_at)
SELECT id, charge_point_id, connector_id, status, error_code, info, vendor_id, vendor_error_code,
    CAST(round((julianday(status_timestamp) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
FROM status_history;
DROP TABLE status_history;
ALTER TABLE status_history_new RENAME TO status_history;

CREATE TABLE boot_history_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    vendor              TEXT NOT NULL,
    model               TEXT NOT NULL,
    charge_point_serial TEXT NULL,
    charge_box_serial   TEXT NULL,
    firmware_version    TEXT NULL,
    iccid               TEXT NULL,
    imsi                TEXT NULL,
    meter_type          TEXT NULL,
    meter_serial        TEXT NULL,
    result              TEXT NOT NULL,
    received_at         INTEGER NOT NULL
);
INSERT INTO boot_history_new (id, charge_point_id, vendor, model, charge_point_serial, charge_box_serial, firmware_version,
    iccid, imsi, meter_type, meter_serial, result, received_at)
SELECT id, charge_point_id, vendor, model, charge_point_serial, charge_box_serial, firmware_version,
    iccid, imsi, meter_type, meter_serial, result,
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
FROM boot_history;
DROP TABLE boot_history;
ALTER TABLE boot_history_new RENAME TO boot_history;
CREATE INDEX ix_boot_history_cp ON boot_history (charge_point_id, id);

CREATE TABLE id_tags_new (
    id_tag          TEXT PRIMARY KEY,
    status          TEXT NOT NULL,                  -- Accepted | Blocked | Expired | Invalid
    expiry_date     INTEGER NULL,
    parent_id_tag   TEXT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
INSERT INTO id_tags_new (id_tag, status, expiry_date, parent_id_tag, created_at, updated_at)
SELECT id_tag, status,
    CAST(round((julianday(expiry_date) - 2440587.5) * 86400000) AS INTEGER),
    parent_id_tag,
    CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER)
FROM id_tags;
DROP TABLE id_tags;
ALTER TABLE id_tags_new RENAME TO id_tags;

CREATE TABLE transactions_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    id_tag              TEXT NOT NULL,
    meter_start         INTEGER NOT NULL,
    start_timestamp     INTEGER NOT NULL,
    reservation_id      INTEGER NULL,
    start_status        TEXT NOT NULL,              -- idTagInfo.status we answered
    meter_stop          INTEGER NULL,
    stop_timestamp      INTEGER NULL,
    stop_reason         TEXT NULL,
    stop_id_tag         TEXT NULL,
    created_at          INTEGER NOT NULL,
    stopped_at          INTEGER NULL,
    decision_id         INTEGER NULL,
    pre_verification_id TEXT NULL,
    vin_report_id       INTEGER NULL,
    biometric_token_id  INTEGER NULL,
    driver_id           TEXT NULL,
    vehicle_id          TEXT NULL
);
INSERT INTO transactions_new (id, charge_point_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id,
    start_status, meter_stop, stop_timestamp, stop_reason, stop_id_tag, created_at, stopped_at, decision_id,
    pre_verification_id, vin_report_id, biometric_token_id, driver_id, vehicle_id)
SELECT id, charge_point_id, connector_id, id_tag, meter_start,
    CAST(round((julianday(start_timestamp) - 2440587.5) * 86400000) AS INTEGER),
    reservation_id, start_status, meter_stop,
    CAST(round((julianday(stop_timestamp) - 2440587.5) * 86400000) AS INTEGER),
    stop_reason, stop_id_tag,
    CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(stopped_at) - 2440587.5) * 86400000) AS INTEGER),
    decision_id, pre_verification_id, vin_report_id, biometric_token_id, driver_id, vehicle_id
FROM transactions;
-- The sequence carries on from the old table's (higher than the largest id left when the last rows were deleted):
-- a transaction id is never given out twice.
DELETE FROM sqlite_sequence WHERE name = 'transactions_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'transactions_new', seq FROM sqlite_sequence WHERE name = 'transactions';
DROP TABLE transactions;
ALTER TABLE transactions_new RENAME TO transactions;
CREATE INDEX ix_transactions_cp ON transactions (charge_point_id, id);
CREATE INDEX ix_transactions_open_tag ON transactions (id_tag) WHERE stop_timestamp IS NULL;
CREATE INDEX ix_transactions_open_connector ON transactions (charge_point_id, connector_id) WHERE stop_timestamp IS NULL;
CREATE UNIQUE INDEX ux_transactions_open_content ON transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp)
    WHERE stop_timestamp IS NULL;
CREATE INDEX ix_transactions_content ON transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp);

CREATE TABLE unmatched_stop_transactions_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    transaction_id      INTEGER NOT NULL,
    id_tag              TEXT NULL,
    meter_stop          INTEGER NOT NULL,
    stop_timestamp      INTEGER NOT NULL,
    stop_reason         TEXT NULL,
    received_at         INTEGER NOT NULL
);
INSERT INTO unmatched_stop_transactions_new (id, charge_point_id, transaction_id, id_tag, meter_stop, stop_timestamp,
    stop_reason, received_at)
SELECT id, charge_point_id, transaction_id, id_tag, meter_stop,
    CAST(round((julianday(stop_timestamp) - 2440587.5) * 86400000) AS INTEGER),
    stop_reason,
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
FROM unmatched_stop_transactions;
DROP TABLE unmatched_stop_transactions;
ALTER TABLE unmatched_stop_transactions_new RENAME TO unmatched_stop_transactions;

CREATE TABLE meter_values_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    transaction_id      INTEGER NULL,
    source              TEXT NOT NULL,              -- MeterValues | StopTransaction
    timestamp           INTEGER NOT NULL,
    value               TEXT NOT NULL,
    context             TEXT NULL,
    format              TEXT NULL,
    measurand           TEXT NULL,
    phase               TEXT NULL,
    location            TEXT NULL,
    unit                TEXT NULL,
    received_at         INTEGER NOT NULL
);
INSERT INTO meter_values_new (id, charge_point_id, connector_id, transaction_id, source, timestamp, value, context, format,
    measurand, phase, location, unit, received_at)
SELECT id, charge_point_id, connector_id, transaction_id, source,
    CAST(round((julianday(timestamp) - 2440587.5) * 86400000) AS INTEGER),
    value, context, format, measurand, phase, location, unit,
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
FROM meter_values;
DROP TABLE meter_values;
ALTER TABLE meter_values_new RENAME TO meter_values;
CREATE INDEX ix_meter_values_tx ON meter_values (transaction_id);

CREATE TABLE data_transfers_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    vendor_id           TEXT NOT NULL,
    message_id          TEXT NULL,
    data                TEXT NULL,
    status              TEXT NOT NULL,
    received_at         INTEGER NOT NULL
);
INSERT INTO data_transfers_new (id, charge_point_id, vendor_id, message_id, data, status, received_at)
SELECT id, charge_point_id, vendor_id, message_id, data, status,
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
FROM data_transfers;
DROP TABLE data_transfers;
ALTER TABLE data_transfers_new RENAME TO data_transfers;

CREATE TABLE firmware_diagnostics_history_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    kind                TEXT NOT NULL,              -- Firmware | Diagnostics
    status              TEXT NOT NULL,
    received_at         INTEGER NOT NULL
);
INSERT INTO firmware_diagnostics_history_new (id, charge_point_id, kind, status, received_at)
SELECT id, charge_point_id, kind, status,
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)
FROM firmware_diagnostics_history;
DROP TABLE firmware_diagnostics_history;
ALTER TABLE firmware_diagnostics_history_new RENAME TO firmware_diagnostics_history;

CREATE TABLE commands_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    action              TEXT NOT NULL,
    request             TEXT NOT NULL,
    response            TEXT NULL,
    outcome             TEXT NOT NULL,              -- Completed | CallError | Timeout | Disconnected
    error_code          TEXT NULL,
    error_description   TEXT NULL,
    sent_at             INTEGER NOT NULL,
    completed_at        INTEGER NOT NULL
);
INSERT INTO commands_new (id, charge_point_id, action, request, response, outcome, error_code, error_description, sent_at,
    completed_at)
SELECT id, charge_point_id, action, request, response, outcome, error_code, error_description,
    CAST(round((julianday(sent_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(completed_at) - 2440587.5) * 86400000) AS INTEGER)
FROM commands;
DROP TABLE commands;
ALTER TABLE commands_new RENAME TO commands;
CREATE INDEX ix_commands_cp ON commands (charge_point_id, id);

CREATE TABLE message_log_new (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    direction           TEXT NOT NULL,              -- In | Out
    frame               TEXT NOT NULL,
    logged_at           INTEGER NOT NULL
);
INSERT INTO message_log_new (id, charge_point_id, direction, frame, logged_at)
SELECT id, charge_point_id, direction, frame,
    CAST(round((julianday(logged_at) - 2440587.5) * 86400000) AS INTEGER)
FROM message_log;
DROP TABLE message_log;
ALTER TABLE message_log_new RENAME TO message_log;

-- 0002: layered authorization. driver_id_tags, vehicle_drivers (0002) and captured_images (0012) have no time column
-- and are not rebuilt; their foreign keys name the rebuilt tables, which keep their names.

CREATE TABLE stations_new (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    policy          TEXT NULL,                      -- JSON overrides of the configured default policy
    created_at      INTEGER NOT NULL
);
INSERT INTO stations_new (id, name, policy, created_at)
SELECT id, name, policy, CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER)
FROM stations;
DROP TABLE stations;
ALTER TABLE stations_new RENAME TO stations;

CREATE TABLE drivers_new (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    blocked         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
INSERT INTO drivers_new (id, name, blocked, created_at)
SELECT id, name, blocked, CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER)
FROM drivers;
DROP TABLE drivers;
ALTER TABLE drivers_new RENAME TO drivers;

-- Templates are AES-256-GCM encrypted; the row id and driver id are bound in as associated data.
CREATE TABLE biometric_templates_new (
    id              TEXT PRIMARY KEY,
    driver_id       TEXT NOT NULL REFERENCES drivers(id),
    modality        TEXT NOT NULL,
    dimension       INTEGER NOT NULL,
    nonce           BLOB NOT NULL,
    ciphertext      BLOB NOT NULL,
    tag             BLOB NOT NULL,
    created_at      INTEGER NOT NULL
);
INSERT INTO biometric_templates_new (id, driver_id, modality, dimension, nonce, ciphertext, tag, created_at)
SELECT id, driver_id, modality, dimension, nonce, ciphertext, tag,
    CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER)
FROM biometric_templates;
DROP TABLE biometric_templates;
ALTER TABLE biometric_templates_new RENAME TO biometric_templates;
CREATE INDEX ix_biometric_templates_driver ON biometric_templates (driver_id);

CREATE TABLE vehicles_new (
    id              TEXT PRIMARY KEY,
    vin             TEXT NOT NULL UNIQUE,
    plate           TEXT NOT NULL UNIQUE,           -- normalised: upper case, no spaces, dashes or dots
    owner_driver_id TEXT NOT NULL REFERENCES drivers(id),
    blocked         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
INSERT INTO vehicles_new (id, vin, plate, owner_driver_id, blocked, created_at)
SELECT id, vin, plate, owner_driver_id, blocked, CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER)
FROM vehicles;
DROP TABLE vehicles;
ALTER TABLE vehicles_new RENAME TO vehicles;

CREATE TABLE biometric_readers_new (
    charge_point_id TEXT PRIMARY KEY REFERENCES charge_points(id),
    key_id          TEXT NOT NULL UNIQUE,
    public_key_pem  TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
);
INSERT INTO biometric_readers_new (charge_point_id, key_id, public_key_pem, updated_at)
SELECT charge_point_id, key_id, public_key_pem, CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER)
FROM biometric_readers;
DROP TABLE biometric_readers;
ALTER TABLE biometric_readers_new RENAME TO biometric_readers;

CREATE TABLE cameras_new (
    id              TEXT PRIMARY KEY,
    station_id      TEXT NOT NULL REFERENCES stations(id),
    key_hash        TEXT NOT NULL,
    last_capture_at INTEGER NULL,
    created_at      INTEGER NOT NULL
);
INSERT INTO cameras_new (id, station_id, key_hash, last_capture_at, created_at)
SELECT id, station_id, key_hash,
    CAST(round((julianday(last_capture_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER)
FROM cameras;
DROP TABLE cameras;
ALTER TABLE cameras_new RENAME TO cameras;
CREATE INDEX ix_cameras_station ON cameras (station_id);

CREATE TABLE pre_verifications_new (
    id                          TEXT PRIMARY KEY,
    station_id                  TEXT NOT NULL,
    camera_id                   TEXT NULL,
    source                      TEXT NOT NULL,          -- Camera | Attendant
    plate                       TEXT NULL,
    verdict                     TEXT NOT NULL,          -- Passed | UnknownVehicle | BlockedVehicle | Unreadable | LowConfidence
    confidence                  REAL NOT NULL,
    vehicle_id                  TEXT NULL,
    reasons                     TEXT NOT NULL,          -- JSON array of reason codes
    plate_hint                  TEXT NULL,
    image_sha256                TEXT NULL,
    image_path                  TEXT NULL,
    captured_at                 INTEGER NOT NULL,
    created_at                  INTEGER NOT NULL,
    expires_at                  INTEGER NOT NULL,
    consumed_by_transaction_id  INTEGER NULL,
    consumed_at                 INTEGER NULL
);
INSERT INTO pre_verifications_new (id, station_id, camera_id, source, plate, verdict, confidence, vehicle_id, reasons,
    plate_hint, image_sha256, image_path, captured_at, created_at, expires_at, consumed_by_transaction_id, consumed_at)
SELECT id, station_id, camera_id, source, plate, verdict, confidence, vehicle_id, reasons,
    plate_hint, image_sha256, image_path,
    CAST(round((julianday(captured_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(expires_at) - 2440587.5) * 86400000) AS INTEGER),
    consumed_by_transaction_id,
    CAST(round((julianday(consumed_at) - 2440587.5) * 86400000) AS INTEGER)
FROM pre_verifications;
DROP TABLE pre_verifications;
ALTER TABLE pre_verifications_new RENAME TO pre_verifications;
CREATE INDEX ix_pre_verifications_vehicle ON pre_verifications (vehicle_id, created_at);
CREATE INDEX ix_pre_verifications_station ON pre_verifications (station_id, created_at);
CREATE INDEX ix_pre_verifications_open ON pre_verifications (station_id, vehicle_id, created_at)
    WHERE verdict = 'Passed' AND consumed_by_transaction_id IS NULL;
CREATE INDEX ix_pre_verifications_open_station ON pre_verifications (station_id, created_at)
    WHERE verdict = 'Passed' AND consumed_by_transaction_id IS NULL;
CREATE INDEX ix_pre_verifications_created ON pre_verifications (created_at);
CREATE INDEX ix_pre_verifications_images ON pre_verifications (created_at) WHERE image_path IS NOT NULL;

CREATE TABLE vin_reports_new (
    id              INTEGER PRIMARY KEY,
    charge_point_id TEXT NOT NULL,
    connector_id    INTEGER NOT NULL,
    vin             TEXT NOT NULL,
    evcc_id         TEXT NULL,
    protocol        TEXT NULL,
    valid           INTEGER NOT NULL,
    reason          TEXT NULL,
    received_at     INTEGER NOT NULL,
    discarded_at    INTEGER NULL
);
INSERT INTO vin_reports_new (id, charge_point_id, connector_id, vin, evcc_id, protocol, valid, reason, received_at,
    discarded_at)
SELECT id, charge_point_id, connector_id, vin, evcc_id, protocol, valid, reason,
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(discarded_at) - 2440587.5) * 86400000) AS INTEGER)
FROM vin_reports;
DROP TABLE vin_reports;
ALTER TABLE vin_reports_new RENAME TO vin_reports;
CREATE INDEX ix_vin_reports_live ON vin_reports (charge_point_id, connector_id, id) WHERE discarded_at IS NULL;

CREATE TABLE biometric_tokens_new (
    id                          INTEGER PRIMARY KEY,
    charge_point_id             TEXT NOT NULL,
    connector_id                INTEGER NOT NULL,
    jti                         TEXT NULL,
    key_id                      TEXT NULL,
    verified                    INTEGER NOT NULL,       -- signature and claims valid
    matched_driver_id           TEXT NULL,
    similarity                  REAL NULL,
    runner_up_similarity        REAL NULL,
    liveness                    REAL NULL,
    reason                      TEXT NOT NULL,          -- Matched or why not
    issued_at                   INTEGER NULL,
    expires_at                  INTEGER NULL,
    received_at                 INTEGER NOT NULL,
    discarded_at                INTEGER NULL,
    consumed_by_transaction_id  INTEGER NULL
);
INSERT INTO biometric_tokens_new (id, charge_point_id, connector_id, jti, key_id, verified, matched_driver_id, similarity,
    runner_up_similarity, liveness, reason, issued_at, expires_at, received_at, discarded_at, consumed_by_transaction_id)
SELECT id, charge_point_id, connector_id, jti, key_id, verified, matched_driver_id, similarity,
    runner_up_similarity, liveness, reason,
    CAST(round((julianday(issued_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(expires_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER),
    CAST(round((julianday(discarded_at) - 2440587.5) * 86400000) AS INTEGER),
    consumed_by_transaction_id
FROM biometric_tokens;
DROP TABLE biometric_tokens;
ALTER TABLE biometric_tokens_new RENAME TO biometric_tokens;
CREATE INDEX ix_biometric_tokens_live ON biometric_tokens (charge_point_id, connector_id, id) WHERE discarded_at IS NULL;

-- Every jti accepted for verification (keyed by the reader's key since 0013), kept for the token's lifetime.
CREATE TABLE token_replay_new (
    key_id          TEXT NOT NULL,
    jti             TEXT NOT NULL,
    expires_at      INTEGER NOT NULL,
    PRIMARY KEY (key_id, jti)
);
INSERT INTO token_replay_new (key_id, jti, expires_at)
SELECT key_id, jti, CAST(round((julianday(expires_at) - 2440587.5) * 86400000) AS INTEGER)
FROM token_replay;
DROP TABLE token_replay;
ALTER TABLE token_replay_new RENAME TO token_replay;

CREATE TABLE authorization_decisions_new (
    id                  INTEGER PRIMARY KEY,
    decided_at          INTEGER NOT NULL,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NULL,
    id_tag              TEXT NOT NULL,
    phase               TEXT NOT NULL,              -- Authorize | StartTransaction | RemoteStart
    result              TEXT NOT NULL,              -- the idTagInfo.status answered
    driver_id           TEXT NULL,
    vehicle_id          TEXT NULL,
    transaction_id      INTEGER NULL,
    reason              TEXT NOT NULL,              -- first failing factor's reason, or Accepted
    factors             TEXT NOT NULL               -- JSON: per factor ok, reason, evidence id
);
INSERT INTO authorization_decisions_new (id, decided_at, charge_point_id, connector_id, id_tag, phase, result, driver_id,
    vehicle_id, transaction_id, reason, factors)
SELECT id, CAST(round((julianday(decided_at) - 2440587.5) * 86400000) AS INTEGER),
    charge_point_id, connector_id, id_tag, phase, result, driver_id, vehicle_id, transaction_id, reason, factors
FROM authorization_decisions;
DROP TABLE authorization_decisions;
ALTER TABLE authorization_decisions_new RENAME TO authorization_decisions;
CREATE INDEX ix_authorization_decisions_cp ON authorization_decisions (charge_point_id, id);

-- What each charger answered to the offline-bypass hardening pushed after boot.
CREATE TABLE charge_point_hardening_new (
    charge_point_id TEXT NOT NULL,
    setting         TEXT NOT NULL,                  -- configuration key, or ClearCache
    value           TEXT NULL,
    status          TEXT NOT NULL,                  -- Accepted | Rejected | RebootRequired | NotSupported | CallError | Timeout | ...
    answered_at     INTEGER NOT NULL,
    PRIMARY KEY (charge_point_id, setting)
);
INSERT INTO charge_point_hardening_new (charge_point_id, setting, value, status, answered_at)
SELECT charge_point_id, setting, value, status, CAST(round((julianday(answered_at) - 2440587.5) * 86400000) AS INTEGER)
FROM charge_point_hardening;
DROP TABLE charge_point_hardening;
ALTER TABLE charge_point_hardening_new RENAME TO charge_point_hardening;
