-- Tamper evidence (issue 17, item 2). Every rent-ledger entry is a link in
-- its lease's chain: its hash is SHA-256 over the link before it and the
-- entry's canonical text (src/domain/chain.rs; built in SQL by
-- src/store/chain.rs), written in the transaction that writes the entry,
-- under the lease's lock. Every audit row becomes a link of the audit chain
-- when a periodic seal reaches it, so audit writes are not serialised.
-- `budgetrad-cli admin verify-ledger` recomputes both.
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
    sequence BIGINT PRIMARY KEY,
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

CREATE TRIGGER ledger_chain_no_change BEFORE UPDATE OR DELETE ON ledger_chain
    FOR EACH ROW EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER ledger_chain_no_truncate BEFORE TRUNCATE ON ledger_chain
    FOR EACH STATEMENT EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The seal's barrier: a SHARE lock on audit_events waits for every
-- transaction that has inserted an audit row (each holds ROW EXCLUSIVE until
-- it ends) and keeps new ones out until the caller's transaction ends; the
-- caller commits at once. After it, no audit row at or below the sequence
-- it returns can still appear, so a seal never passes over a row that
-- commits later. The serving role may not LOCK the table itself (that
-- needs UPDATE, DELETE or TRUNCATE), so the function runs as its owner and
-- does only this.
CREATE FUNCTION audit_seal_barrier() RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    LOCK TABLE audit_events IN SHARE MODE;
    RETURN (SELECT COALESCE(MAX(sequence), 0) FROM audit_events);
END;
$$;
