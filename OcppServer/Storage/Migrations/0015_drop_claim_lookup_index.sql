-- A biometric token is no longer matched 1:1 against the driver an earlier Authorize named (identification over the
-- whole gallery decides, always), so nothing looks claims up any more.
DROP INDEX ix_authorization_decisions_claims;
