-- An AuthorizationKey being rotated: the new key's hash, kept while the charger is asked (both keys admit it meanwhile).
ALTER TABLE charge_points ADD COLUMN pending_password_hash text NULL;
