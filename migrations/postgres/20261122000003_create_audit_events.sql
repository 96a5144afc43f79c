-- The audit trail (DESIGN §6): one row per access to one household's data.
-- Append-only: the triggers refuse every UPDATE, DELETE and TRUNCATE, so not
-- even the service's own database user can rewrite history through SQL.
CREATE TABLE audit_events (
    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    caller TEXT NOT NULL,
    role TEXT NOT NULL,
    method TEXT NOT NULL,
    household_id TEXT,
    outcome TEXT NOT NULL
);

CREATE INDEX audit_events_household ON audit_events (household_id, sequence);
CREATE INDEX audit_events_caller ON audit_events (caller, sequence);

CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
