-- Dashboard decision log (area dpages): filtered by driver or by reason, newest first, one page of 50 at a time. Without
-- these, a driver's or a rare reason's page would scan the whole decision log by id; with them it reads its own rows.
CREATE INDEX authorization_decisions_by_driver ON authorization_decisions (driver_id, id);
CREATE INDEX authorization_decisions_by_reason ON authorization_decisions (reason, id);
