-- Until this migration a ChangeConfiguration of AuthorizationKey (a charge point's Basic-auth password) was recorded
-- with its value in the commands table and the raw message log. The command keeps its key with the value replaced;
-- a raw frame naming the key is withheld.
UPDATE commands
SET request = json_replace(request, '$.value', '[redacted]')
WHERE action = 'ChangeConfiguration'
  AND CASE WHEN json_valid(request) THEN lower(json_extract(request, '$.key')) = 'authorizationkey' ELSE 0 END;

UPDATE message_log
SET frame = '[frame withheld: it may carry a charge point password logged before redaction]'
WHERE frame LIKE '%AuthorizationKey%';
