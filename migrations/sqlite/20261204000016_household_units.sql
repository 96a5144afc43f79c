-- Units (enheter): every household belongs to the unit that handles its
-- case, and a caller sees only the households of its units. Existing
-- households go to the default unit 'ifo'. A code is 1–32 characters of
-- a–z, 0–9 and '-', starting with a letter or digit, as the API requires.
ALTER TABLE households ADD COLUMN unit TEXT NOT NULL DEFAULT 'ifo'
    CHECK (length(unit) BETWEEN 1 AND 32 AND unit NOT GLOB '*[^a-z0-9-]*'
           AND substr(unit, 1, 1) <> '-');

-- Lists filter by unit and page by id.
CREATE INDEX households_unit ON households (unit, id);
