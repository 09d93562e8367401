-- The OCPP 1.6 security whitepaper's security profile of each charge point: 0 none (only with allow_unauthenticated),
-- 1 HTTP Basic, 2 TLS + HTTP Basic, 3 TLS with a client certificate. A connection that offers less is refused at the
-- handshake. Charge points of earlier versions are profile 1 (they authenticate with Basic), or 0 when they were allowed
-- to connect without credentials.
ALTER TABLE charge_points ADD COLUMN security_profile INTEGER NOT NULL DEFAULT 1;
UPDATE charge_points SET security_profile = 0 WHERE allow_unauthenticated = 1 AND password_hash IS NULL;
