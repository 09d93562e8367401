-- Dashboard operator accounts and the audit log (OcppServer/Operators).
-- operator_accounts: one row per person who signs in to the dashboard. normalized_user_name is the user name trimmed and
-- upper-cased (OperatorAccount.Normalize), unique: names are unique without regard to case. role is stored by name, lower
-- case. failed_sign_ins counts failures since the last success or lockout; locked_out_until refuses sign-in until then.
-- security_stamp changes with the password, role or disabled flag (a session with an older stamp ends).
-- first_account is 1 on the account that IOperatorAccountStore.InsertIfNoAccountsAsync added and NULL on every other: its
-- unique constraint lets only one such insert commit when several nodes find the table empty at once (NULLs are distinct).
-- audit_log: append-only, read newest first by id (the primary key serves the paging), or by actor or target.
-- Times are INTEGER epoch milliseconds (the Dapper type handler).
CREATE TABLE operator_accounts (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    normalized_user_name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    locked_out_until INTEGER NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    security_stamp TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    first_account INTEGER NULL UNIQUE CHECK (first_account = 1)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NULL,
    outcome TEXT NOT NULL,
    remote_address TEXT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_target ON audit_log (target, id);
