-- Every charge point authenticates unless an operator explicitly allows it not to (allowUnauthenticated at registration,
-- or Ocpp:UnknownChargePoints = Accept | Pending for identities registered on first contact). Charge points registered
-- without a password before this version are NOT allowed: they are refused until a password is set (fail closed).
ALTER TABLE charge_points ADD COLUMN allow_unauthenticated INTEGER NOT NULL DEFAULT 0;
