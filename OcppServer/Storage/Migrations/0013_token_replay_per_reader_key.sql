-- A token's jti is unique only among the tokens of the reader that signed it: keyed by (key_id, jti), one reader can no
-- longer make another reader's token look replayed by using the same jti first. Remembered jtis are carried over with the
-- key of the token that brought them.
CREATE TABLE token_replay_by_key (
    key_id          TEXT NOT NULL,
    jti             TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    PRIMARY KEY (key_id, jti)
);
INSERT INTO token_replay_by_key (key_id, jti, expires_at)
SELECT DISTINCT b.key_id, r.jti, r.expires_at
FROM token_replay r JOIN biometric_tokens b ON b.jti = r.jti AND b.key_id IS NOT NULL
WHERE true
ON CONFLICT (key_id, jti) DO NOTHING;
DROP TABLE token_replay;
ALTER TABLE token_replay_by_key RENAME TO token_replay;
