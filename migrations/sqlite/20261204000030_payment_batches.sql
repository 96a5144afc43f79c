-- Payment batches: payouts of the rent ledger to the bank and back (issue 21).
-- Every table here is append-only (triggers below): a batch's life is a
-- series of events, a payout's path at the bank a series of states.

-- A batch of payouts, as gathered. Its status follows from its events.
CREATE TABLE payment_batches (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    -- The pain.001 file's GrpHdr/MsgId.
    message_id TEXT NOT NULL UNIQUE,
    from_date TEXT,
    to_date TEXT,
    kind TEXT CHECK (kind IN ('rent', 'arrears')),
    payout_count BIGINT NOT NULL CHECK (payout_count > 0),
    total_ore BIGINT NOT NULL CHECK (total_ore > 0),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The payouts of a batch, in the file's order. A payout is in a batch that
-- is not cancelled at most once: `round` counts its earlier batches, and
-- the trigger below refuses a payout reversed or in a live batch.
CREATE TABLE payment_batch_payouts (
    batch_id TEXT NOT NULL REFERENCES payment_batches (id),
    position BIGINT NOT NULL,
    payout_id TEXT NOT NULL REFERENCES rent_payouts (id),
    round BIGINT NOT NULL,
    PRIMARY KEY (batch_id, position),
    UNIQUE (payout_id, round)
);

-- approved, exported, cancelled: each at most once per batch.
CREATE TABLE payment_batch_events (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES payment_batches (id),
    event TEXT NOT NULL CHECK (event IN ('approved', 'exported', 'cancelled')),
    reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (batch_id, event)
);

-- A payout's states at the bank, in the batch that sent it.
CREATE TABLE payout_bank_states (
    payout_id TEXT NOT NULL REFERENCES rent_payouts (id),
    batch_id TEXT NOT NULL REFERENCES payment_batches (id),
    state TEXT NOT NULL CHECK (state IN ('batched', 'sent', 'accepted', 'rejected', 'booked', 'returned')),
    reason_code TEXT,
    -- The message that said so: the batch's file, or the bank's answer.
    message_id TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (payout_id, batch_id, state)
);
CREATE INDEX payout_bank_states_batch ON payout_bank_states (batch_id, payout_id);

-- The bank's files imported, once each by message id.
CREATE TABLE payment_status_files (
    kind TEXT NOT NULL CHECK (kind IN ('pain.002', 'camt.054')),
    message_id TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (kind, message_id)
);

-- The payouts that count for nothing: reversed, or rejected or returned by
-- the bank. Every bound and sum of the ledger leaves these out.
CREATE VIEW voided_payouts AS
    SELECT payout_id FROM rent_payout_reversals
    UNION ALL
    SELECT payout_id FROM payout_bank_states WHERE state IN ('rejected', 'returned');

CREATE TRIGGER payment_batches_no_update BEFORE UPDATE ON payment_batches
BEGIN SELECT RAISE(ABORT, 'payment_batches is append-only'); END;
CREATE TRIGGER payment_batches_no_delete BEFORE DELETE ON payment_batches
BEGIN SELECT RAISE(ABORT, 'payment_batches is append-only'); END;
CREATE TRIGGER payment_batch_payouts_no_update BEFORE UPDATE ON payment_batch_payouts
BEGIN SELECT RAISE(ABORT, 'payment_batch_payouts is append-only'); END;
CREATE TRIGGER payment_batch_payouts_no_delete BEFORE DELETE ON payment_batch_payouts
BEGIN SELECT RAISE(ABORT, 'payment_batch_payouts is append-only'); END;
CREATE TRIGGER payment_batch_events_no_update BEFORE UPDATE ON payment_batch_events
BEGIN SELECT RAISE(ABORT, 'payment_batch_events is append-only'); END;
CREATE TRIGGER payment_batch_events_no_delete BEFORE DELETE ON payment_batch_events
BEGIN SELECT RAISE(ABORT, 'payment_batch_events is append-only'); END;
CREATE TRIGGER payout_bank_states_no_update BEFORE UPDATE ON payout_bank_states
BEGIN SELECT RAISE(ABORT, 'payout_bank_states is append-only'); END;
CREATE TRIGGER payout_bank_states_no_delete BEFORE DELETE ON payout_bank_states
BEGIN SELECT RAISE(ABORT, 'payout_bank_states is append-only'); END;
CREATE TRIGGER payment_status_files_no_update BEFORE UPDATE ON payment_status_files
BEGIN SELECT RAISE(ABORT, 'payment_status_files is append-only'); END;
CREATE TRIGGER payment_status_files_no_delete BEFORE DELETE ON payment_status_files
BEGIN SELECT RAISE(ABORT, 'payment_status_files is append-only'); END;

-- The database refuses what the API refuses: a payout reversed or in a
-- live batch is not batched; a payout in a live batch is not reversed; an
-- attester is not the batch's creator; a cancelled batch is not approved
-- or exported, an exported one not cancelled, an unapproved one not exported.
CREATE TRIGGER payment_batch_payouts_live BEFORE INSERT ON payment_batch_payouts
WHEN EXISTS (SELECT 1 FROM rent_payout_reversals r WHERE r.payout_id = NEW.payout_id)
  OR EXISTS (SELECT 1 FROM payment_batch_payouts i WHERE i.payout_id = NEW.payout_id
     AND NOT EXISTS (SELECT 1 FROM payment_batch_events e
                     WHERE e.batch_id = i.batch_id AND e.event = 'cancelled'))
BEGIN SELECT RAISE(ABORT, 'PAYOUT_IN_BATCH: the payout is reversed or in a live batch'); END;

CREATE TRIGGER rent_payout_reversals_not_in_batch BEFORE INSERT ON rent_payout_reversals
WHEN EXISTS (SELECT 1 FROM payment_batch_payouts i WHERE i.payout_id = NEW.payout_id
     AND NOT EXISTS (SELECT 1 FROM payment_batch_events e
                     WHERE e.batch_id = i.batch_id AND e.event = 'cancelled'))
BEGIN SELECT RAISE(ABORT, 'PAYOUT_IN_BATCH: the payout is in a live batch'); END;

CREATE TRIGGER payment_batch_events_order BEFORE INSERT ON payment_batch_events
WHEN (NEW.event = 'approved' AND (
        EXISTS (SELECT 1 FROM payment_batches b WHERE b.id = NEW.batch_id AND b.created_by = NEW.recorded_by)
        OR EXISTS (SELECT 1 FROM payment_batch_events e WHERE e.batch_id = NEW.batch_id AND e.event = 'cancelled')))
  OR (NEW.event = 'exported' AND (
        NOT EXISTS (SELECT 1 FROM payment_batch_events e WHERE e.batch_id = NEW.batch_id AND e.event = 'approved')
        OR EXISTS (SELECT 1 FROM payment_batch_events e WHERE e.batch_id = NEW.batch_id AND e.event = 'cancelled')))
  OR (NEW.event = 'cancelled' AND
        EXISTS (SELECT 1 FROM payment_batch_events e WHERE e.batch_id = NEW.batch_id AND e.event = 'exported'))
BEGIN SELECT RAISE(ABORT, 'payment_batch_events: the event does not follow'); END;
