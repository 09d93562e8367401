-- Client certificates revoked through the API (POST /api/certificates/revoked), besides Security:ChargePointCrl.
-- serial_number: upper-case hex without leading zero bytes; issuer: the issuer's distinguished name as .NET formats it,
-- '' for any issuer. revoked_at is an INTEGER column, written and read as DateTimeOffset through the Dapper type handler.
CREATE TABLE revoked_certificates (
    serial_number TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    reason TEXT NULL,
    revoked_at INTEGER NOT NULL,
    PRIMARY KEY (serial_number, issuer)
);
