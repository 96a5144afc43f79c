-- Landlords, leases with their rent history, and eviction-risk notices
-- (DESIGN §3.5).
CREATE TABLE landlords (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    organisation_number TEXT NOT NULL,
    -- Exactly one of bankgiro and plusgiro.
    bankgiro TEXT,
    plusgiro TEXT,
    requires_ocr INTEGER NOT NULL CHECK (requires_ocr IN (0, 1)),
    created_at TEXT NOT NULL,
    CHECK ((bankgiro IS NULL) <> (plusgiro IS NULL))
);

CREATE INDEX landlords_name ON landlords (name, id);

CREATE TABLE leases (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    object_reference TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX leases_household ON leases (household_id, id);

-- The monthly rent from a month on; the earliest row is the lease's start.
CREATE TABLE lease_rents (
    lease_id TEXT NOT NULL REFERENCES leases (id),
    from_month TEXT NOT NULL,
    rent_ore BIGINT NOT NULL CHECK (rent_ore >= 0),
    PRIMARY KEY (lease_id, from_month)
);

CREATE TABLE eviction_notices (
    id TEXT PRIMARY KEY,
    lease_id TEXT NOT NULL REFERENCES leases (id),
    household_id TEXT NOT NULL REFERENCES households (id),
    served_on TEXT NOT NULL,
    amount_owed_ore BIGINT NOT NULL CHECK (amount_owed_ore > 0),
    deadline TEXT NOT NULL,
    resolution TEXT,
    resolved_on TEXT,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE INDEX eviction_notices_open ON eviction_notices (resolution, deadline, id);
CREATE INDEX eviction_notices_household ON eviction_notices (household_id, deadline, id);
