-- Layered authorization: stations and their policy, drivers, vehicles, biometrics, evidence and decisions.

CREATE TABLE stations (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    policy          TEXT NULL,                      -- JSON overrides of the configured default policy
    created_at      TEXT NOT NULL
);

CREATE TABLE drivers (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    blocked         INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE driver_id_tags (
    id_tag          TEXT PRIMARY KEY REFERENCES id_tags(id_tag),
    driver_id       TEXT NOT NULL REFERENCES drivers(id)
);
CREATE INDEX ix_driver_id_tags_driver ON driver_id_tags (driver_id);

-- Templates are AES-256-GCM encrypted; the row id and driver id are bound in as associated data.
CREATE TABLE biometric_templates (
    id              TEXT PRIMARY KEY,
    driver_id       TEXT NOT NULL REFERENCES drivers(id),
    modality        TEXT NOT NULL,
    dimension       INTEGER NOT NULL,
    nonce           BLOB NOT NULL,
    ciphertext      BLOB NOT NULL,
    tag             BLOB NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_biometric_templates_driver ON biometric_templates (driver_id);

CREATE TABLE vehicles (
    id              TEXT PRIMARY KEY,
    vin             TEXT NOT NULL UNIQUE,
    plate           TEXT NOT NULL UNIQUE,           -- normalised: upper case, no spaces, dashes or dots
    owner_driver_id TEXT NOT NULL REFERENCES drivers(id),
    blocked         INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE vehicle_drivers (
    vehicle_id      TEXT NOT NULL REFERENCES vehicles(id),
    driver_id       TEXT NOT NULL REFERENCES drivers(id),
    PRIMARY KEY (vehicle_id, driver_id)
);

CREATE TABLE biometric_readers (
    charge_point_id TEXT PRIMARY KEY REFERENCES charge_points(id),
    key_id          TEXT NOT NULL UNIQUE,
    public_key_pem  TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE cameras (
    id              TEXT PRIMARY KEY,
    station_id      TEXT NOT NULL REFERENCES stations(id),
    key_hash        TEXT NOT NULL,
    last_capture_at TEXT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_cameras_station ON cameras (station_id);

CREATE TABLE pre_verifications (
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
    captured_at                 TEXT NOT NULL,
    created_at                  TEXT NOT NULL,
    expires_at                  TEXT NOT NULL,
    consumed_by_transaction_id  INTEGER NULL,
    consumed_at                 TEXT NULL
);
CREATE INDEX ix_pre_verifications_vehicle ON pre_verifications (vehicle_id, created_at);
CREATE INDEX ix_pre_verifications_station ON pre_verifications (station_id, created_at);

CREATE TABLE vin_reports (
    id              INTEGER PRIMARY KEY,
    charge_point_id TEXT NOT NULL,
    connector_id    INTEGER NOT NULL,
    vin             TEXT NOT NULL,
    evcc_id         TEXT NULL,
    protocol        TEXT NULL,
    valid           INTEGER NOT NULL,
    reason          TEXT NULL,
    received_at     TEXT NOT NULL,
    discarded_at    TEXT NULL
);
CREATE INDEX ix_vin_reports_connector ON vin_reports (charge_point_id, connector_id, id);

CREATE TABLE biometric_tokens (
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
    issued_at                   TEXT NULL,
    expires_at                  TEXT NULL,
    received_at                 TEXT NOT NULL,
    discarded_at                TEXT NULL,
    consumed_by_transaction_id  INTEGER NULL
);
CREATE INDEX ix_biometric_tokens_connector ON biometric_tokens (charge_point_id, connector_id, id);

-- Every jti accepted for verification, kept for the token's lifetime so replays are refused across restarts.
CREATE TABLE token_replay (
    jti             TEXT PRIMARY KEY,
    expires_at      TEXT NOT NULL
);

CREATE TABLE authorization_decisions (
    id                  INTEGER PRIMARY KEY,
    decided_at          TEXT NOT NULL,
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
CREATE INDEX ix_authorization_decisions_cp ON authorization_decisions (charge_point_id, id);

-- What each charger answered to the offline-bypass hardening pushed after boot.
CREATE TABLE charge_point_hardening (
    charge_point_id TEXT NOT NULL,
    setting         TEXT NOT NULL,                  -- configuration key, or ClearCache
    value           TEXT NULL,
    status          TEXT NOT NULL,                  -- Accepted | Rejected | RebootRequired | NotSupported | CallError | Timeout | ...
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (charge_point_id, setting)
);

ALTER TABLE transactions ADD COLUMN decision_id INTEGER NULL;
ALTER TABLE transactions ADD COLUMN pre_verification_id TEXT NULL;
ALTER TABLE transactions ADD COLUMN vin_report_id INTEGER NULL;
ALTER TABLE transactions ADD COLUMN biometric_token_id INTEGER NULL;
ALTER TABLE transactions ADD COLUMN driver_id TEXT NULL;
ALTER TABLE transactions ADD COLUMN vehicle_id TEXT NULL;
