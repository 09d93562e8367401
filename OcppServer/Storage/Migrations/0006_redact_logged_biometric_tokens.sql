-- Until this migration a BiometricToken DataTransfer was logged as received, and its token carries the captured
-- biometric template: templates must never be stored in clear. The data_transfers row keeps its other fields with the
-- token replaced (nothing when the data is not a JSON object); a raw message_log frame that carried one is withheld.
UPDATE data_transfers
SET data = CASE
        WHEN NOT json_valid(data) THEN NULL
        WHEN json_type(data) = 'object' THEN json_replace(data, '$.token', '[redacted]')
        ELSE NULL
    END
WHERE vendor_id = 'org.ocppauth' AND message_id = 'BiometricToken' AND data IS NOT NULL;

UPDATE message_log
SET frame = '[frame withheld: it may carry a biometric template logged before redaction]'
WHERE frame LIKE '%BiometricToken%';
