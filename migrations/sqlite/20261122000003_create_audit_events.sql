-- The audit trail (DESIGN §6): one row per access to one household's data.
-- Append-only: the triggers refuse every UPDATE and DELETE, so not even the
-- service's own database user can rewrite history through SQL.
CREATE TABLE audit_events (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    caller TEXT NOT NULL,
    role TEXT NOT NULL,
    method TEXT NOT NULL,
    household_id TEXT,
    outcome TEXT NOT NULL
);

CREATE INDEX audit_events_household ON audit_events (household_id, sequence);
CREATE INDEX audit_events_caller ON audit_events (caller, sequence);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
