-- OCPP 1.6 core: charge points, connectors, id tags, transactions, meter values and histories.

CREATE TABLE charge_points (
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
    last_boot_at            TEXT NULL,
    last_heartbeat_at       TEXT NULL,
    firmware_status         TEXT NULL,
    firmware_status_at      TEXT NULL,
    diagnostics_status      TEXT NULL,
    diagnostics_status_at   TEXT NULL,
    created_at              TEXT NOT NULL
);

CREATE TABLE connectors (
    charge_point_id     TEXT NOT NULL REFERENCES charge_points(id),
    connector_id        INTEGER NOT NULL,
    status              TEXT NOT NULL,
    error_code          TEXT NOT NULL,
    info                TEXT NULL,
    vendor_id           TEXT NULL,
    vendor_error_code   TEXT NULL,
    status_timestamp    TEXT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (charge_point_id, connector_id)
);

CREATE TABLE status_history (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    status              TEXT NOT NULL,
    error_code          TEXT NOT NULL,
    info                TEXT NULL,
    vendor_id           TEXT NULL,
    vendor_error_code   TEXT NULL,
    status_timestamp    TEXT NULL,
    received_at         TEXT NOT NULL
);
CREATE INDEX ix_status_history_cp ON status_history (charge_point_id, id);

CREATE TABLE boot_history (
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
    received_at         TEXT NOT NULL
);
CREATE INDEX ix_boot_history_cp ON boot_history (charge_point_id, id);

CREATE TABLE id_tags (
    id_tag          TEXT PRIMARY KEY,
    status          TEXT NOT NULL,                  -- Accepted | Blocked | Expired | Invalid
    expiry_date     TEXT NULL,
    parent_id_tag   TEXT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE transactions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    id_tag              TEXT NOT NULL,
    meter_start         INTEGER NOT NULL,
    start_timestamp     TEXT NOT NULL,
    reservation_id      INTEGER NULL,
    start_status        TEXT NOT NULL,              -- idTagInfo.status we answered
    meter_stop          INTEGER NULL,
    stop_timestamp      TEXT NULL,
    stop_reason         TEXT NULL,
    stop_id_tag         TEXT NULL,
    created_at          TEXT NOT NULL,
    stopped_at          TEXT NULL
);
-- Chargers resend StartTransaction with a new message id: the content identifies it.
CREATE UNIQUE INDEX ux_transactions_content ON transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp);
CREATE INDEX ix_transactions_cp ON transactions (charge_point_id, id);
CREATE INDEX ix_transactions_open_tag ON transactions (id_tag) WHERE stop_timestamp IS NULL;

-- StopTransaction for a transaction we do not know: answered normally, kept here.
CREATE TABLE unmatched_stop_transactions (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    transaction_id      INTEGER NOT NULL,
    id_tag              TEXT NULL,
    meter_stop          INTEGER NOT NULL,
    stop_timestamp      TEXT NOT NULL,
    stop_reason         TEXT NULL,
    received_at         TEXT NOT NULL
);

CREATE TABLE meter_values (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    transaction_id      INTEGER NULL,
    source              TEXT NOT NULL,              -- MeterValues | StopTransaction
    timestamp           TEXT NOT NULL,
    value               TEXT NOT NULL,
    context             TEXT NULL,
    format              TEXT NULL,
    measurand           TEXT NULL,
    phase               TEXT NULL,
    location            TEXT NULL,
    unit                TEXT NULL,
    received_at         TEXT NOT NULL
);
CREATE INDEX ix_meter_values_tx ON meter_values (transaction_id);
CREATE INDEX ix_meter_values_cp ON meter_values (charge_point_id, id);

CREATE TABLE data_transfers (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    vendor_id           TEXT NOT NULL,
    message_id          TEXT NULL,
    data                TEXT NULL,
    status              TEXT NOT NULL,
    received_at         TEXT NOT NULL
);

CREATE TABLE firmware_diagnostics_history (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    kind                TEXT NOT NULL,              -- Firmware | Diagnostics
    status              TEXT NOT NULL,
    received_at         TEXT NOT NULL
);

-- Server -> charger calls and their outcome.
CREATE TABLE commands (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    action              TEXT NOT NULL,
    request             TEXT NOT NULL,
    response            TEXT NULL,
    outcome             TEXT NOT NULL,              -- Completed | CallError | Timeout | Disconnected
    error_code          TEXT NULL,
    error_description   TEXT NULL,
    sent_at             TEXT NOT NULL,
    completed_at        TEXT NOT NULL
);
CREATE INDEX ix_commands_cp ON commands (charge_point_id, id);

-- Raw frames, only when Ocpp:MessageLog:Enabled; pruned to Ocpp:MessageLog:MaxRows.
CREATE TABLE message_log (
    id                  INTEGER PRIMARY KEY,
    charge_point_id     TEXT NOT NULL,
    direction           TEXT NOT NULL,              -- In | Out
    frame               TEXT NOT NULL,
    logged_at           TEXT NOT NULL
);
