//! The hash chains in SQL (`domain::chain` holds the rule): one chain per
//! lease over its ledger entries, linked in the transaction that writes the
//! entry (under the lease's lock, which serialises a lease's writes but no
//! others), and one chain over the audit trail, which a periodic seal
//! extends, so audit writes wait for nobody.
//!
//! On PostgreSQL a link is computed in SQL (`sha256`), so that the rent
//! payout, written with its audit row in one statement, is linked in that
//! statement too; on SQLite the store computes it. Both build the same
//! canonical text: verifying recomputes every link in Rust, so a store whose
//! SQL drifted from `domain::chain` fails its own verification (the tests
//! run it after writes on both backends).

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

use super::sql::{get_i64, get_str};
use super::{Backend, SqlStore, Store, StoreError};
use crate::domain::chain::{
    Canonical, ChainedKind, FirstMismatch, GENESIS, Mismatch, Verification, link_hash, sha256_hex,
};

mod verify;

/// The canonical text of the row `x` in PostgreSQL SQL: the kind, then each
/// column as `<octets>:<value>` or `~`, each with a line feed.
macro_rules! canon_pg {
    ($kind:literal; $($col:literal),+) => {
        concat!(
            "('", $kind, "' || chr(10)",
            $(" || COALESCE(octet_length(CAST(x.", $col, " AS TEXT))::text || ':' || CAST(x.", $col, " AS TEXT), '~') || chr(10)"),+,
            ")"
        )
    };
}

pub(super) use canon_pg;

/// A payout's canonical text over the row `x`, for `concat!`.
macro_rules! payout_canon_pg {
    () => {
        $crate::store::chain::canon_pg!("payout"; "id", "request_id", "request_hash", "household_id", "lease_id",
            "rent_month", "kind", "amount_ore", "decision_reference", "payee_bankgiro",
            "payee_plusgiro", "ocr_reference", "payout_date", "plan_id", "recorded_by",
            "recorded_at")
    };
}
pub(super) use payout_canon_pg;

/// The columns of each kind, in canonical order (as in the macros above and
/// below, which are literals for sqlx).
const PAYOUT_FIELDS: [&str; 16] = [
    "id",
    "request_id",
    "request_hash",
    "household_id",
    "lease_id",
    "rent_month",
    "kind",
    "amount_ore",
    "decision_reference",
    "payee_bankgiro",
    "payee_plusgiro",
    "ocr_reference",
    "payout_date",
    "plan_id",
    "recorded_by",
    "recorded_at",
];
const REVERSAL_FIELDS: [&str; 7] = [
    "id",
    "request_id",
    "request_hash",
    "payout_id",
    "reason",
    "recorded_by",
    "recorded_at",
];
const RECEIPT_FIELDS: [&str; 13] = [
    "id",
    "request_id",
    "request_hash",
    "household_id",
    "lease_id",
    "rent_month",
    "kind",
    "amount_ore",
    "paid_date",
    "source",
    "plan_id",
    "recorded_by",
    "recorded_at",
];
const AUDIT_FIELDS: [&str; 9] = [
    "sequence",
    "occurred_at",
    "caller",
    "role",
    "method",
    "household_id",
    "outcome",
    "replay",
    "records",
];

/// Each kind's columns as text, from the row `x`, for `concat!`.
macro_rules! payout_text {
    () => {
        "x.id, x.request_id, x.request_hash, x.household_id, x.lease_id, x.rent_month, x.kind, \
         CAST(x.amount_ore AS TEXT) AS amount_ore, x.decision_reference, x.payee_bankgiro, \
         x.payee_plusgiro, x.ocr_reference, x.payout_date, x.plan_id, x.recorded_by, x.recorded_at"
    };
}
macro_rules! reversal_text {
    () => {
        "x.id, x.request_id, x.request_hash, x.payout_id, x.reason, x.recorded_by, x.recorded_at"
    };
}
macro_rules! receipt_text {
    () => {
        "x.id, x.request_id, x.request_hash, x.household_id, x.lease_id, x.rent_month, x.kind, \
         CAST(x.amount_ore AS TEXT) AS amount_ore, x.paid_date, x.source, x.plan_id, \
         x.recorded_by, x.recorded_at"
    };
}
macro_rules! audit_text {
    () => {
        "CAST(x.sequence AS TEXT) AS sequence, x.occurred_at, x.caller, x.role, x.method, \
         x.household_id, x.outcome, CAST(x.replay AS TEXT) AS replay, x.records"
    };
}
use {audit_text, payout_text, receipt_text, reversal_text};

/// The lease chain's last link as `head` ($1 the lease), for `concat!`.
macro_rules! chain_head {
    () => {
        "head AS (SELECT seq, hash FROM ledger_chain WHERE lease_id = $1 ORDER BY seq DESC LIMIT 1)"
    };
}
pub(super) use chain_head;

/// The columns of a new link after `head` of the row `x` with canonical
/// text `$canon` ($1 the lease), for `concat!`.
macro_rules! link_values {
    ($kind:literal, $canon:expr) => {
        concat!(
            "SELECT $1, COALESCE((SELECT seq FROM head), 0) + 1, '",
            $kind,
            "', x.id, COALESCE((SELECT hash FROM head), repeat('0', 64)), \
             encode(sha256(convert_to(COALESCE((SELECT hash FROM head), repeat('0', 64)) || chr(10) || ",
            $canon,
            ", 'UTF8')), 'hex')"
        )
    };
}
pub(super) use link_values;

/// The insert of a link, for `concat!`.
macro_rules! link_insert {
    () => {
        "INSERT INTO ledger_chain (lease_id, seq, entry_kind, entry_id, prev_hash, hash) "
    };
}
pub(super) use link_insert;

/// Links the entry `$2` of kind into lease `$1`'s chain, on PostgreSQL.
const PG_LINK_PAYOUT: &str = concat!(
    "WITH ",
    chain_head!(),
    " ",
    link_insert!(),
    link_values!("payout", payout_canon_pg!()),
    " FROM rent_payouts x WHERE x.id = $2"
);
const PG_LINK_REVERSAL: &str = concat!(
    "WITH ",
    chain_head!(),
    " ",
    link_insert!(),
    link_values!(
        "reversal",
        canon_pg!("reversal"; "id", "request_id", "request_hash", "payout_id", "reason",
            "recorded_by", "recorded_at")
    ),
    " FROM rent_payout_reversals x WHERE x.id = $2"
);
const PG_LINK_RECEIPT: &str = concat!(
    "WITH ",
    chain_head!(),
    " ",
    link_insert!(),
    link_values!(
        "receipt",
        canon_pg!("receipt"; "id", "request_id", "request_hash", "household_id", "lease_id",
            "rent_month", "kind", "amount_ore", "paid_date", "source", "plan_id",
            "recorded_by", "recorded_at")
    ),
    " FROM rent_receipts x WHERE x.id = $2"
);

/// A ledger entry's canonical text from a row of its `*_text!` columns.
fn canonical(kind: ChainedKind, row: &AnyRow) -> Result<Canonical, StoreError> {
    let fields: &[&str] = match kind {
        ChainedKind::Payout => &PAYOUT_FIELDS,
        ChainedKind::Reversal => &REVERSAL_FIELDS,
        ChainedKind::Receipt => &RECEIPT_FIELDS,
        ChainedKind::AuditEvent => &AUDIT_FIELDS,
    };
    fields.iter().try_fold(Canonical::new(kind), |text, field| {
        let value: Option<String> = row.try_get(*field)?;
        Ok(text.field(value.as_deref()))
    })
}

/// Links a ledger entry, just written in `tx` under its lease's lock, into
/// the lease's chain.
pub(super) async fn link_entry(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    lease_id: Uuid,
    kind: ChainedKind,
    entry_id: Uuid,
) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        let sql = match kind {
            ChainedKind::Payout => PG_LINK_PAYOUT,
            ChainedKind::Reversal => PG_LINK_REVERSAL,
            ChainedKind::Receipt => PG_LINK_RECEIPT,
            ChainedKind::AuditEvent => {
                return Err(StoreError::Other(anyhow::anyhow!(
                    "an audit row is not a ledger entry"
                )));
            }
        };
        let linked = sqlx::query(sql)
            .bind(lease_id.to_string())
            .bind(entry_id.to_string())
            .execute(&mut **tx)
            .await?;
        return match linked.rows_affected() {
            1 => Ok(()),
            _ => Err(StoreError::Other(anyhow::anyhow!(
                "a ledger entry to link was not found"
            ))),
        };
    }
    let select = match kind {
        ChainedKind::Payout => concat!(
            "SELECT ",
            payout_text!(),
            " FROM rent_payouts x WHERE x.id = $1"
        ),
        ChainedKind::Reversal => concat!(
            "SELECT ",
            reversal_text!(),
            " FROM rent_payout_reversals x WHERE x.id = $1"
        ),
        ChainedKind::Receipt => concat!(
            "SELECT ",
            receipt_text!(),
            " FROM rent_receipts x WHERE x.id = $1"
        ),
        ChainedKind::AuditEvent => {
            return Err(StoreError::Other(anyhow::anyhow!(
                "an audit row is not a ledger entry"
            )));
        }
    };
    let entry = sqlx::query(select)
        .bind(entry_id.to_string())
        .fetch_one(&mut **tx)
        .await?;
    let head = sqlx::query(
        "SELECT seq, hash FROM ledger_chain WHERE lease_id = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(lease_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    let (seq, previous) = match head {
        Some(head) => (get_i64(&head, "seq")?, get_str(&head, "hash")?),
        None => (0, GENESIS.to_owned()),
    };
    let hash = link_hash(&previous, &canonical(kind, &entry)?);
    sqlx::query(
        "INSERT INTO ledger_chain (lease_id, seq, entry_kind, entry_id, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(lease_id.to_string())
    .bind(seq + 1)
    .bind(kind.as_str())
    .bind(entry_id.to_string())
    .bind(previous)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A PostgreSQL advisory lock key (transaction-scoped, so safe behind a
/// pooler) that one sealer at a time holds: "auditsea" in ASCII.
const SEALER_KEY: i64 = 0x6175_6469_7473_6561;

/// Audit rows sealed per transaction.
const SEAL_CHUNK: i64 = 2000;

#[async_trait]
pub trait ChainStore: Send + Sync {
    /// Links the ledger entries written before the chains existed (listed
    /// by their migration) into their leases' chains, in the order
    /// recorded; the number linked. Run at start, before serving.
    async fn link_backlog(&self) -> Result<u64, StoreError>;
    /// Extends the audit chain over every audit row committed so far; the
    /// number of rows sealed. Safe to run from several servers at once.
    async fn seal_audit(&self) -> Result<u64, StoreError>;
    /// Seals, then recomputes every ledger chain and the audit chain.
    async fn verify_chains(&self) -> Result<Verification, StoreError>;
}

#[async_trait]
impl ChainStore for SqlStore {
    async fn link_backlog(&self) -> Result<u64, StoreError> {
        let backlog = sqlx::query(
            "SELECT b.entry_kind, b.entry_id, b.lease_id FROM ledger_chain_backlog b \
             WHERE NOT EXISTS (SELECT 1 FROM ledger_chain c WHERE c.lease_id = b.lease_id \
             AND c.entry_id = b.entry_id) ORDER BY b.lease_id, b.recorded_at, b.entry_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut linked = 0;
        let mut tx: Option<(Uuid, Transaction<'static, Any>)> = None;
        for row in &backlog {
            let lease: Uuid = super::sql::get_uuid(row, "lease_id")?;
            let entry: Uuid = super::sql::get_uuid(row, "entry_id")?;
            let kind = ChainedKind::from_str_opt(&get_str(row, "entry_kind")?)
                .ok_or_else(|| super::sql::corrupt("entry_kind"))?;
            // One transaction per lease, under its lock; another server
            // starting at the same time finds the entries linked.
            if tx.as_ref().is_none_or(|(l, _)| *l != lease) {
                if let Some((_, done)) = tx.take() {
                    done.commit().await?;
                }
                let mut next = self.begin_write().await?;
                super::ledger::lock_lease(&mut next, self.backend(), lease).await?;
                tx = Some((lease, next));
            }
            let Some((_, open)) = tx.as_mut() else {
                continue;
            };
            let already = sqlx::query(
                "SELECT 1 AS linked FROM ledger_chain WHERE lease_id = $1 AND entry_id = $2",
            )
            .bind(lease.to_string())
            .bind(entry.to_string())
            .fetch_optional(&mut **open)
            .await?;
            if already.is_none() {
                link_entry(open, self.backend(), lease, kind, entry).await?;
                linked += 1;
            }
        }
        if let Some((_, done)) = tx {
            done.commit().await?;
        }
        Ok(linked)
    }

    async fn seal_audit(&self) -> Result<u64, StoreError> {
        // Up to which sequence every audit row has committed: on SQLite the
        // write transaction below excludes every other writer; on
        // PostgreSQL the barrier waits out the transactions in flight.
        let barrier = match self.backend() {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let mut tx = self.pool().begin().await?;
                let row = sqlx::query("SELECT audit_seal_barrier() AS upto")
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Some(get_i64(&row, "upto")?)
            }
        };
        let mut sealed = 0u64;
        loop {
            let mut tx = self.begin_write().await?;
            let upto = match barrier {
                Some(upto) => {
                    let row = sqlx::query("SELECT pg_try_advisory_xact_lock($1) AS got")
                        .bind(SEALER_KEY)
                        .fetch_one(&mut *tx)
                        .await?;
                    let got: bool = row.try_get("got")?;
                    if !got {
                        // Another server is sealing.
                        return Ok(sealed);
                    }
                    upto
                }
                None => {
                    let row = sqlx::query(
                        "SELECT CAST(COALESCE(MAX(sequence), 0) AS BIGINT) AS upto FROM audit_events",
                    )
                    .fetch_one(&mut *tx)
                    .await?;
                    get_i64(&row, "upto")?
                }
            };
            let tail = sqlx::query(
                "SELECT sequence, hash FROM audit_chain ORDER BY sequence DESC LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await?;
            let (after, mut previous) = match tail {
                Some(t) => (get_i64(&t, "sequence")?, get_str(&t, "hash")?),
                None => (0, GENESIS.to_owned()),
            };
            let rows = sqlx::query(concat!(
                "SELECT ",
                audit_text!(),
                " FROM audit_events x WHERE x.sequence > $1 AND x.sequence <= $2 \
                 ORDER BY x.sequence LIMIT $3"
            ))
            .bind(after)
            .bind(upto)
            .bind(SEAL_CHUNK)
            .fetch_all(&mut *tx)
            .await?;
            if rows.is_empty() {
                return Ok(sealed);
            }
            let mut links = Vec::with_capacity(rows.len());
            for row in &rows {
                let sequence: i64 = get_str(row, "sequence")?
                    .parse()
                    .map_err(|_| super::sql::corrupt("sequence"))?;
                previous = link_hash(&previous, &canonical(ChainedKind::AuditEvent, row)?);
                links.push(serde_json::json!({ "s": sequence, "h": previous }));
            }
            let links = serde_json::Value::Array(links).to_string();
            let insert = match self.backend() {
                Backend::Postgres => {
                    "INSERT INTO audit_chain (sequence, hash) \
                     SELECT (l->>'s')::bigint, l->>'h' FROM json_array_elements($1::json) l"
                }
                Backend::Sqlite => {
                    "INSERT INTO audit_chain (sequence, hash) \
                     SELECT json_extract(value, '$.s'), json_extract(value, '$.h') FROM json_each($1)"
                }
            };
            sqlx::query(insert).bind(links).execute(&mut *tx).await?;
            tx.commit().await?;
            sealed += rows.len() as u64;
            if (rows.len() as i64) < SEAL_CHUNK {
                return Ok(sealed);
            }
        }
    }

    async fn verify_chains(&self) -> Result<Verification, StoreError> {
        self.seal_audit().await?;
        verify::verify(self).await
    }
}

/// Where a mismatch was found, to keep the first: ledger links by lease and
/// position, before every audit row by sequence.
type Position = (u8, String, i64);

fn earliest(
    found: &mut Option<(Position, FirstMismatch)>,
    at: Position,
    kind: ChainedKind,
    record_id: String,
    mismatch: Mismatch,
) {
    if found.as_ref().is_none_or(|(first, _)| at < *first) {
        *found = Some((
            at,
            FirstMismatch {
                kind,
                record_id,
                mismatch,
            },
        ));
    }
}

/// The digest over each lease chain's last link, in lease order.
fn root(heads: &[(String, String)]) -> String {
    let mut text = String::with_capacity(heads.len() * 102);
    for (lease, hash) in heads {
        text.push_str(lease);
        text.push(':');
        text.push_str(hash);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}
