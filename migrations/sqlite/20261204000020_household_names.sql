-- Names where people need them (issue 20): how letters name a household and
-- where they go. Personal data, kept on the household's own row so it goes
-- with the household. '' is "not given"; the lengths are the API's.
ALTER TABLE households ADD COLUMN display_name TEXT NOT NULL DEFAULT '' CHECK (length(display_name) <= 100);
ALTER TABLE households ADD COLUMN care_of TEXT NOT NULL DEFAULT '' CHECK (length(care_of) <= 70);
ALTER TABLE households ADD COLUMN street_address TEXT NOT NULL DEFAULT '' CHECK (length(street_address) <= 70);
ALTER TABLE households ADD COLUMN postal_code TEXT NOT NULL DEFAULT '' CHECK (postal_code = '' OR length(postal_code) = 6);
ALTER TABLE households ADD COLUMN town TEXT NOT NULL DEFAULT '' CHECK (length(town) <= 35);
