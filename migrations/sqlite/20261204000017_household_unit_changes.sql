-- A household moved to another unit by an admin: who, when, from and to.
-- The audit row of the change names this row. Append-only: the triggers
-- refuse every UPDATE and DELETE.
CREATE TABLE household_unit_changes (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    old_unit TEXT NOT NULL,
    new_unit TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);

CREATE INDEX household_unit_changes_household ON household_unit_changes (household_id, id);

CREATE TRIGGER household_unit_changes_no_update BEFORE UPDATE ON household_unit_changes
BEGIN
    SELECT RAISE(ABORT, 'household_unit_changes is append-only');
END;

CREATE TRIGGER household_unit_changes_no_delete BEFORE DELETE ON household_unit_changes
BEGIN
    SELECT RAISE(ABORT, 'household_unit_changes is append-only');
END;
