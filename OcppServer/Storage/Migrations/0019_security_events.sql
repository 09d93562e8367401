-- Security events (OCPP 1.6 security whitepaper, edition 3): what charge points report in SecurityEventNotification
-- (source 'ChargePoint') and what this server notices itself (source 'CentralSystem': refused handshakes, downgrade
-- attempts, refused certificates, replaced sockets, refused offline hardening). Bounded: the oldest rows beyond
-- Security:Events:MaxRows are deleted as new ones arrive. Times are INTEGER columns, written and read as DateTimeOffset
-- through the Dapper type handler (epoch milliseconds once that handler writes them so).
CREATE TABLE security_events (
    id INTEGER PRIMARY KEY,
    charge_point_id TEXT NULL,
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    tech_info TEXT NULL,
    remote_address TEXT NULL,
    occurred_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX security_events_by_charge_point ON security_events (charge_point_id, id);
