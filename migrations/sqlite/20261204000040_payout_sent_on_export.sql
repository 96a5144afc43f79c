-- A batch's payouts are SENT when the batch is exported (issue 21): the
-- batch's `exported` event (append-only, once per batch) says so for all of
-- them at once, where a state row per payout was written on the first
-- export (100 000 rows, each checked against two foreign keys, for a
-- batch of 100 000). A payout's path at the bank is its recorded states
-- and the SENT its batch's export implies; a SENT recorded as a row before
-- this migration is the same row, so UNION keeps it once.
CREATE VIEW payout_bank_path AS
    SELECT payout_id, batch_id, state, reason_code, message_id, recorded_by, recorded_at
    FROM payout_bank_states
    UNION
    SELECT i.payout_id, i.batch_id, 'sent', NULL, b.message_id, e.recorded_by, e.recorded_at
    FROM payment_batch_payouts i
    JOIN payment_batch_events e ON e.batch_id = i.batch_id AND e.event = 'exported'
    JOIN payment_batches b ON b.id = i.batch_id;
