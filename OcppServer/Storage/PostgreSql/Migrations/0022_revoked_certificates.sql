-- Client certificates revoked through the API, besides Security:ChargePointCrl ('' issuer: any issuer).
CREATE TABLE revoked_certificates (
    serial_number text NOT NULL,
    issuer text NOT NULL DEFAULT '',
    reason text NULL,
    revoked_at bigint NOT NULL,
    PRIMARY KEY (serial_number, issuer)
);
