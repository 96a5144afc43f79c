-- A member's given and family name for the letters (issue 20). Personal
-- data on the member's own row; '' is "not given".
ALTER TABLE household_members ADD COLUMN given_name TEXT NOT NULL DEFAULT '' CHECK (length(given_name) <= 100);
ALTER TABLE household_members ADD COLUMN family_name TEXT NOT NULL DEFAULT '' CHECK (length(family_name) <= 100);
