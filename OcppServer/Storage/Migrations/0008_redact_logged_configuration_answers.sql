-- A charger that does not keep AuthorizationKey write-only (as OCPP 1.6 asks) reports its password in GetConfiguration
-- answers, which were recorded in commands.response until this migration: such answers are withheld.
UPDATE commands
SET response = '{"withheld":"it named AuthorizationKey and was recorded before redaction"}'
WHERE response LIKE '%AuthorizationKey%';
