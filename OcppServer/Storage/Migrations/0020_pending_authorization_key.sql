-- An AuthorizationKey being rotated (ChangeConfiguration AuthorizationKey): the new key's hash is kept here while the
-- charger is asked, so that both keys admit it until it answers. Accepted (or RebootRequired) makes it the key; Rejected
-- drops it; no answer (timeout, lost connection) keeps both until the charger connects with the new one, which then
-- becomes the key. Setting a password through the API drops it.
ALTER TABLE charge_points ADD COLUMN pending_password_hash TEXT NULL;
