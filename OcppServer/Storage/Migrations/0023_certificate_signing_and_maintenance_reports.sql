-- OCPP 1.6 security whitepaper (edition 3), its messages beyond the transport.
-- certificate_signing_requests: the chargers' SignCertificate requests the server accepted (the CSR is public), how they
-- were signed (signer 'ChargePointCa': Security:ChargePointCaKey; 'Operator': an operator-approved signer through the API)
-- and what became of the certificate sent (status: Pending, Sent, Installed, RejectedByChargePoint, Undelivered, Superseded).
-- maintenance_reports: SignedFirmwareStatusNotification (kind 'SignedFirmware') and LogStatusNotification (kind 'Log') per
-- charge point, with the request id of the job. Times are INTEGER epoch milliseconds (the Dapper type handler).
CREATE TABLE certificate_signing_requests (
    id INTEGER PRIMARY KEY,
    charge_point_id TEXT NOT NULL,
    csr TEXT NOT NULL,
    status TEXT NOT NULL,
    signer TEXT NOT NULL,
    certificate_serial_number TEXT NULL,
    detail TEXT NULL,
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX certificate_signing_requests_by_charge_point ON certificate_signing_requests (charge_point_id, id);

CREATE TABLE maintenance_reports (
    id INTEGER PRIMARY KEY,
    charge_point_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request_id INTEGER NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX maintenance_reports_by_charge_point ON maintenance_reports (charge_point_id, kind, id);
