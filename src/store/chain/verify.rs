//! Recomputing every chain, streaming (memory stays flat however long the
//! ledger): the lease chains' order (each link's position and predecessor),
//! each ledger entry against its link, the entries in no chain, then the
//! audit chain.

use tokio_stream::StreamExt;

use super::*;

/// Every link in chain order.
const LINKS: &str = "SELECT lease_id, seq, entry_kind, entry_id, prev_hash, hash FROM ledger_chain \
                     ORDER BY lease_id, seq";

/// The links of one kind with their entries (NULL columns when gone), for
/// `concat!`.
macro_rules! links_of {
    ($text:expr, $table:literal, $kind:literal) => {
        concat!(
            "SELECT c.lease_id AS link_lease, c.seq AS link_seq, c.entry_id AS link_entry, \
             c.prev_hash AS link_prev, c.hash AS link_hash, ",
            $text,
            " FROM ledger_chain c LEFT JOIN ",
            $table,
            " x ON x.id = c.entry_id WHERE c.entry_kind = '",
            $kind,
            "' ORDER BY c.lease_id, c.seq"
        )
    };
}

const PAYOUT_LINKS: &str = links_of!(payout_text!(), "rent_payouts", "payout");
const REVERSAL_LINKS: &str = links_of!(reversal_text!(), "rent_payout_reversals", "reversal");
const RECEIPT_LINKS: &str = links_of!(receipt_text!(), "rent_receipts", "receipt");

/// Ledger entries that are no link of their lease's chain.
const UNCHAINED: &str = "SELECT kind, id, lease_id FROM ( \
    SELECT 'payout' AS kind, p.id, p.lease_id FROM rent_payouts p WHERE NOT EXISTS \
      (SELECT 1 FROM ledger_chain c WHERE c.lease_id = p.lease_id AND c.entry_id = p.id) \
    UNION ALL SELECT 'reversal' AS kind, r.id, p.lease_id FROM rent_payout_reversals r \
      JOIN rent_payouts p ON p.id = r.payout_id WHERE NOT EXISTS \
      (SELECT 1 FROM ledger_chain c WHERE c.lease_id = p.lease_id AND c.entry_id = r.id) \
    UNION ALL SELECT 'receipt' AS kind, t.id, t.lease_id FROM rent_receipts t WHERE NOT EXISTS \
      (SELECT 1 FROM ledger_chain c WHERE c.lease_id = t.lease_id AND c.entry_id = t.id) \
    ) u ORDER BY lease_id, id";

/// The audit chain's links with their rows.
const AUDIT_LINKS: &str = concat!(
    "SELECT CAST(c.sequence AS BIGINT) AS link_sequence, c.hash AS link_hash, ",
    audit_text!(),
    " FROM audit_chain c LEFT JOIN audit_events x ON x.sequence = c.sequence ORDER BY c.sequence"
);

/// Audit rows inside the sealed range that are no link, and the rows after
/// it.
const AUDIT_GAPS: &str = "SELECT \
    (SELECT CAST(MIN(x.sequence) AS BIGINT) FROM audit_events x \
     WHERE x.sequence <= (SELECT COALESCE(MAX(sequence), 0) FROM audit_chain) \
     AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.sequence = x.sequence)) AS unchained, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events x \
     WHERE x.sequence > (SELECT COALESCE(MAX(sequence), 0) FROM audit_chain)) AS unsealed";

pub(super) async fn verify(store: &SqlStore) -> Result<Verification, StoreError> {
    let mut found: Option<(Position, FirstMismatch)> = None;
    let mut result = Verification::default();

    // The chains' order, and their heads.
    let mut heads: Vec<(String, String)> = Vec::new();
    let mut links = sqlx::query(LINKS).fetch(store.pool());
    let mut current: Option<(String, i64, String)> = None;
    while let Some(row) = links.next().await.transpose()? {
        let lease = get_str(&row, "lease_id")?;
        let seq = get_i64(&row, "seq")?;
        let hash = get_str(&row, "hash")?;
        let (expected_seq, expected_prev) = match &current {
            Some((l, s, h)) if *l == lease => (s + 1, h.clone()),
            _ => {
                if let Some((l, _, h)) = current.take() {
                    heads.push((l, h));
                }
                (1, GENESIS.to_owned())
            }
        };
        if seq != expected_seq || get_str(&row, "prev_hash")? != expected_prev {
            let kind = ChainedKind::from_str_opt(&get_str(&row, "entry_kind")?)
                .unwrap_or(ChainedKind::Payout);
            earliest(
                &mut found,
                (0, lease.clone(), seq),
                kind,
                get_str(&row, "entry_id")?,
                Mismatch::ChainBroken,
            );
        }
        result.ledger_entries_checked += 1;
        current = Some((lease, seq, hash));
    }
    drop(links);
    if let Some((l, _, h)) = current.take() {
        heads.push((l, h));
    }
    result.ledger_chains_checked = heads.len() as u64;
    result.ledger_root = root(&heads);

    // Each entry against its link.
    for (sql, kind) in [
        (PAYOUT_LINKS, ChainedKind::Payout),
        (REVERSAL_LINKS, ChainedKind::Reversal),
        (RECEIPT_LINKS, ChainedKind::Receipt),
    ] {
        let mut rows = sqlx::query(sql).fetch(store.pool());
        while let Some(row) = rows.next().await.transpose()? {
            let at = (0, get_str(&row, "link_lease")?, get_i64(&row, "link_seq")?);
            let entry = get_str(&row, "link_entry")?;
            let present: Option<String> = row.try_get("id")?;
            let mismatch = if present.is_none() {
                Some(Mismatch::RecordMissing)
            } else {
                let recomputed = link_hash(&get_str(&row, "link_prev")?, &canonical(kind, &row)?);
                (recomputed != get_str(&row, "link_hash")?).then_some(Mismatch::HashMismatch)
            };
            if let Some(mismatch) = mismatch {
                earliest(&mut found, at, kind, entry, mismatch);
            }
        }
    }
    let mut unchained = sqlx::query(UNCHAINED).fetch(store.pool());
    if let Some(row) = unchained.next().await.transpose()? {
        let kind = ChainedKind::from_str_opt(&get_str(&row, "kind")?)
            .ok_or_else(|| super::super::sql::corrupt("kind"))?;
        earliest(
            &mut found,
            (0, get_str(&row, "lease_id")?, i64::MAX),
            kind,
            get_str(&row, "id")?,
            Mismatch::RecordUnchained,
        );
    }
    drop(unchained);

    // The audit chain.
    let mut previous = GENESIS.to_owned();
    let mut rows = sqlx::query(AUDIT_LINKS).fetch(store.pool());
    while let Some(row) = rows.next().await.transpose()? {
        let sequence = get_i64(&row, "link_sequence")?;
        let stored = get_str(&row, "link_hash")?;
        let present: Option<String> = row.try_get("sequence")?;
        let mismatch = if present.is_none() {
            Some(Mismatch::RecordMissing)
        } else {
            let recomputed = link_hash(&previous, &canonical(ChainedKind::AuditEvent, &row)?);
            (recomputed != stored).then_some(Mismatch::HashMismatch)
        };
        if let Some(mismatch) = mismatch {
            earliest(
                &mut found,
                (1, String::new(), sequence),
                ChainedKind::AuditEvent,
                sequence.to_string(),
                mismatch,
            );
        }
        result.audit_events_checked += 1;
        previous = stored;
    }
    drop(rows);
    result.audit_head = previous;
    let gaps = sqlx::query(AUDIT_GAPS).fetch_one(store.pool()).await?;
    let unchained: Option<i64> = gaps.try_get("unchained")?;
    if let Some(sequence) = unchained {
        earliest(
            &mut found,
            (1, String::new(), sequence),
            ChainedKind::AuditEvent,
            sequence.to_string(),
            Mismatch::RecordUnchained,
        );
    }
    result.audit_events_unsealed = u64::try_from(get_i64(&gaps, "unsealed")?).unwrap_or(0);
    result.first_mismatch = found.map(|(_, first)| first);
    Ok(result)
}
