-- Households, members, norm tables and saved budgets.
-- Money is whole öre (BIGINT). Ids are UUID text; dates are 'YYYY-MM-DD';
-- instants are fixed-width UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (sortable).
-- Flags are BIGINT 0/1 (as on SQLite, so one set of queries serves both).

CREATE TABLE households (
    id TEXT PRIMARY KEY NOT NULL,
    case_reference TEXT NOT NULL,
    revision BIGINT NOT NULL CHECK (revision >= 1),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE household_members (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    position BIGINT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('applicant', 'partner', 'child', 'other_adult')),
    birth_date TEXT NOT NULL,
    personal_identity_number TEXT UNIQUE,
    residence_days BIGINT NOT NULL CHECK (residence_days >= 0),
    residence_period_days BIGINT NOT NULL CHECK (residence_period_days >= 0),
    lunch_at_school BIGINT NOT NULL CHECK (lunch_at_school IN (0, 1))
);
CREATE INDEX household_members_household ON household_members (household_id, position);

CREATE TABLE norm_tables (
    id TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('riksnorm', 'normalbelopp', 'referensranta', 'reference_costs')),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('official', 'provisional')),
    source TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (id, version),
    CHECK (valid_from <= valid_to)
);
CREATE INDEX norm_tables_kind ON norm_tables (kind, valid_from);

-- value_hundredths: öre for amounts, hundredths of a percent for rates.
CREATE TABLE norm_table_rows (
    table_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    key TEXT NOT NULL,
    value_hundredths BIGINT NOT NULL,
    PRIMARY KEY (table_id, version, key),
    FOREIGN KEY (table_id, version) REFERENCES norm_tables (id, version)
);

CREATE TABLE budgets (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    -- The household's revision whose members the budget counted.
    household_revision BIGINT NOT NULL,
    month TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    total_income_ore BIGINT NOT NULL,
    total_expenses_ore BIGINT NOT NULL,
    surplus_ore BIGINT NOT NULL,
    -- JSON arrays: warnings (strings) and the tables read ({id, version, status, source}).
    warnings_json TEXT NOT NULL,
    tables_json TEXT NOT NULL
);
CREATE INDEX budgets_household ON budgets (household_id, id);

CREATE TABLE budget_lines (
    budget_id TEXT NOT NULL REFERENCES budgets (id),
    direction TEXT NOT NULL CHECK (direction IN ('income', 'expense')),
    position BIGINT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_ore BIGINT NOT NULL CHECK (amount_ore >= 0),
    frequency TEXT NOT NULL,
    monthly_ore BIGINT NOT NULL,
    basis_rule TEXT NOT NULL,
    basis_arithmetic TEXT NOT NULL,
    PRIMARY KEY (budget_id, direction, position)
);

CREATE TABLE budget_comparisons (
    budget_id TEXT NOT NULL REFERENCES budgets (id),
    category TEXT NOT NULL,
    actual_ore BIGINT NOT NULL,
    reference_ore BIGINT NOT NULL,
    basis_rule TEXT NOT NULL,
    basis_source TEXT NOT NULL,
    basis_arithmetic TEXT NOT NULL,
    PRIMARY KEY (budget_id, category)
);
