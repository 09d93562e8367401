-- The security profile of each charge point (0 none, only with allow_unauthenticated; 1 Basic; 2 TLS + Basic; 3 TLS
-- with a client certificate): a connection that offers less is refused at the handshake.
ALTER TABLE charge_points ADD COLUMN security_profile integer NOT NULL DEFAULT 1;
UPDATE charge_points SET security_profile = 0 WHERE allow_unauthenticated AND password_hash IS NULL;
