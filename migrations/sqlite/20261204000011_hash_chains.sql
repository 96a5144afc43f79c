-- Tamper evidence (issue 17, item 2). Every rent-ledger entry is a link in
-- its lease's chain: its hash is SHA-256 over the link before it and the
-- entry's canonical text (src/domain/chain.rs), written in the transaction
-- that writes the entry, under the lease's lock. Every audit row becomes a
-- link of the audit chain when a periodic seal reaches it, so audit writes
-- are not serialised. `budgetrad-cli admin verify-ledger` recomputes both.
-- No foreign key to leases: a link is evidence, not a relation, and the
-- key's check would cost every payout a lock on the lease row.
CREATE TABLE ledger_chain (
    lease_id TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq > 0),
    entry_kind TEXT NOT NULL CHECK (entry_kind IN ('payout', 'reversal', 'receipt')),
    entry_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (lease_id, seq)
);

CREATE TABLE audit_chain (
    sequence INTEGER PRIMARY KEY,
    hash TEXT NOT NULL
);

-- The ledger entries written before the chains existed, which the server
-- links into their leases' chains when it starts (in the order recorded).
-- Only these: an entry written later without a link is reported, never
-- adopted.
CREATE TABLE ledger_chain_backlog (
    entry_kind TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    lease_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (entry_kind, entry_id)
);

INSERT INTO ledger_chain_backlog (entry_kind, entry_id, lease_id, recorded_at)
SELECT 'payout', id, lease_id, recorded_at FROM rent_payouts
UNION ALL
SELECT 'reversal', r.id, p.lease_id, r.recorded_at
FROM rent_payout_reversals r JOIN rent_payouts p ON p.id = r.payout_id
UNION ALL
SELECT 'receipt', id, lease_id, recorded_at FROM rent_receipts;

CREATE TRIGGER ledger_chain_no_update BEFORE UPDATE ON ledger_chain
BEGIN
    SELECT RAISE(ABORT, 'ledger_chain is append-only');
END;

CREATE TRIGGER ledger_chain_no_delete BEFORE DELETE ON ledger_chain
BEGIN
    SELECT RAISE(ABORT, 'ledger_chain is append-only');
END;

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain is append-only');
END;

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain is append-only');
END;
