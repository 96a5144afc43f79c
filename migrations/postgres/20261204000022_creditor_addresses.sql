-- Where letters to a debt's creditor go (issue 20); the creditor's own
-- reference is creditor_reference already. '' is "not given".
ALTER TABLE debts ADD COLUMN creditor_care_of TEXT NOT NULL DEFAULT '' CHECK (length(creditor_care_of) <= 70);
ALTER TABLE debts ADD COLUMN creditor_street_address TEXT NOT NULL DEFAULT '' CHECK (length(creditor_street_address) <= 70);
ALTER TABLE debts ADD COLUMN creditor_postal_code TEXT NOT NULL DEFAULT '' CHECK (creditor_postal_code = '' OR length(creditor_postal_code) = 6);
ALTER TABLE debts ADD COLUMN creditor_town TEXT NOT NULL DEFAULT '' CHECK (length(creditor_town) <= 35);
