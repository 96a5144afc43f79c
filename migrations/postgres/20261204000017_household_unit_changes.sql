-- A household moved to another unit by an admin: who, when, from and to.
-- The audit row of the change names this row. Append-only: the triggers
-- refuse every UPDATE, DELETE and TRUNCATE.
CREATE TABLE household_unit_changes (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    old_unit TEXT NOT NULL,
    new_unit TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);

CREATE INDEX household_unit_changes_household ON household_unit_changes (household_id, id);

CREATE FUNCTION household_unit_changes_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'household_unit_changes is append-only';
END;
$$;

CREATE TRIGGER household_unit_changes_no_change BEFORE UPDATE OR DELETE ON household_unit_changes
    FOR EACH ROW EXECUTE FUNCTION household_unit_changes_append_only();

CREATE TRIGGER household_unit_changes_no_truncate BEFORE TRUNCATE ON household_unit_changes
    FOR EACH STATEMENT EXECUTE FUNCTION household_unit_changes_append_only();
