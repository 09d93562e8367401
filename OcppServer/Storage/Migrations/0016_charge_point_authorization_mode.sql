-- How a charge point's Authorize and StartTransaction are decided: 'Layered' (its station's layered policy; a charge
-- point without a station is refused with NoLayeredPolicy) or 'IdTagOnly' (plain OCPP: the id tag alone), an explicit
-- choice of the operator. Charge points of earlier versions without a station were decided on their id tag alone by
-- default; they are now refused until an operator sets IdTagOnly (fail closed).
ALTER TABLE charge_points ADD COLUMN authorization_mode TEXT NOT NULL DEFAULT 'Layered';
