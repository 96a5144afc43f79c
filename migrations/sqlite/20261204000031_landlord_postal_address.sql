-- A landlord's postal address (issue 21): the banks require the payee's
-- town and country on every credit transfer from 2026-11-15. Nullable: a
-- landlord created before has none until given, and is left out of payment
-- batches meanwhile.
ALTER TABLE landlords ADD COLUMN street_name TEXT;
ALTER TABLE landlords ADD COLUMN building_number TEXT;
ALTER TABLE landlords ADD COLUMN postal_code TEXT;
ALTER TABLE landlords ADD COLUMN town_name TEXT;
ALTER TABLE landlords ADD COLUMN country TEXT;
