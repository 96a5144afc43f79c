-- A batch's payouts are BATCHED by being in it (issue 21): the batch's row
-- (its creator and time, its file's message id) says so for all of them,
-- where creating a batch wrote a state row per payout (100 000 rows, each
-- checked against two foreign keys, for a batch of 100 000). A payout's
-- path at the bank is its recorded states, the BATCHED its batch implies
-- and the SENT its batch's export implies; a state recorded as a row before
-- this migration is the same row, so UNION keeps it once.
CREATE OR REPLACE VIEW payout_bank_path AS
    SELECT payout_id, batch_id, state, reason_code, message_id, recorded_by, recorded_at
    FROM payout_bank_states
    UNION
    SELECT i.payout_id, i.batch_id, 'batched', NULL, b.message_id, b.created_by, b.created_at
    FROM payment_batch_payouts i
    JOIN payment_batches b ON b.id = i.batch_id
    UNION
    SELECT i.payout_id, i.batch_id, 'sent', NULL, b.message_id, e.recorded_by, e.recorded_at
    FROM payment_batch_payouts i
    JOIN payment_batch_events e ON e.batch_id = i.batch_id AND e.event = 'exported'
    JOIN payment_batches b ON b.id = i.batch_id;
