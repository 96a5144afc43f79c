-- Early warnings (issue 22): one row per alert, keyed by kind, record and
-- period, so a rerun of what raised it adds nothing. `sequence` orders every
-- change of every alert (raised, acknowledged, closed): it is assigned under
-- one lock (the write transaction on SQLite, a transaction advisory lock on
-- PostgreSQL) held to the commit, so sequences commit in order and a watch
-- polling "after N" from any server misses none. No personal data: ids only.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    sequence BIGINT NOT NULL UNIQUE CHECK (sequence > 0),
    kind TEXT NOT NULL CHECK (kind IN ('notice_deadline', 'instalment_missed', 'plan_broken',
        'rent_unpaid', 'second_unpaid_month', 'payout_rejected', 'norm_table_missing')),
    alert_key TEXT NOT NULL UNIQUE,
    household_id TEXT REFERENCES households (id),
    records TEXT NOT NULL,
    period TEXT NOT NULL,
    due_date TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT,
    -- Only a norm table's alert is about no household.
    CHECK ((household_id IS NULL) = (kind = 'norm_table_missing'))
);

CREATE INDEX alerts_by_household ON alerts (household_id, sequence);
CREATE INDEX alerts_by_state ON alerts (state, kind, sequence);
