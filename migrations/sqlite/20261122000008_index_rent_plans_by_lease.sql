-- A payout, a receipt and a plan's creation each look up the lease's
-- newest plan (`WHERE lease_id = $1 ORDER BY id DESC LIMIT 1`): without
-- this index every one of them read the whole table.
CREATE INDEX rent_plans_lease ON rent_plans (lease_id, id);
