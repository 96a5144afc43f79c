//! A payout's states at the bank: the bank's status files imported (each
//! once), and a payout's states read back in the order of the path.

use std::collections::HashMap;

use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use uuid::Uuid;

use super::{ImportedStatus, StatusOutcome};
use crate::domain::audit::AuditEntry;
use crate::domain::payment::bank_status::StatusFile;
use crate::domain::payment::{BankState, BankStateEntry, payout_of_end_to_end_id};
use crate::store::sql::{
    LIST_PARAMS, corrupt, get_str, get_time, get_uuid, placeholders, timestamp, unique_refusal,
};
use crate::store::{Backend, SqlStore, Store, StoreError};

fn state_of(text: &str) -> Result<BankState, StoreError> {
    BankState::from_str_opt(text).ok_or_else(|| corrupt("state"))
}

/// The newest of a payout's states in one batch: the furthest along.
fn newest(states: &[BankState]) -> Option<BankState> {
    states
        .iter()
        .copied()
        .max_by_key(|s| BankState::ALL.iter().position(|a| a == s))
}

/// Records what the bank's file says, once per file (kind and message id):
/// each payout named moves to its new state when its newest state leads
/// there; a rejection or return undoes the payout in the same transaction.
/// The payouts and their states are read, and the states that free nothing
/// written, a list of payouts to a statement; each rejection or return is
/// written with what it undoes, in the file's order.
pub(super) async fn import(
    store: &SqlStore,
    file: &StatusFile,
    file_sha256: &str,
    audit: &AuditEntry,
) -> Result<ImportedStatus, StoreError> {
    let mut tx = store.begin_write().await?;
    if store.backend() == Backend::Postgres {
        // Imports one at a time: two files cannot move one payout apart.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('payment_status_files'))")
            .execute(&mut *tx)
            .await?;
    }
    let inserted = sqlx::query(
        "INSERT INTO payment_status_files (kind, message_id, file_sha256, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(file.kind.as_str())
    .bind(file.message_id.clone())
    .bind(file_sha256.to_owned())
    .bind(audit.caller.clone())
    .bind(timestamp(audit.at))
    .execute(&mut *tx)
    .await;
    if unique_refusal(inserted)?.is_err() {
        return Ok(ImportedStatus {
            already_imported: true,
            outcomes: Vec::new(),
        });
    }
    // What the file names, then (pain.002) the original batch's other
    // payouts under the group status.
    let mut wanted: Vec<(String, BankState, Option<String>)> = file
        .items
        .iter()
        .map(|i| (i.end_to_end_id.clone(), i.state, i.reason_code.clone()))
        .collect();
    if let (Some(original), Some(state)) = (&file.original_message_id, file.group_state) {
        let named: std::collections::HashSet<Option<Uuid>> = file
            .items
            .iter()
            .map(|i| payout_of_end_to_end_id(&i.end_to_end_id))
            .collect();
        let rows = sqlx::query(
            "SELECT i.payout_id FROM payment_batch_payouts i \
             JOIN payment_batches b ON b.id = i.batch_id WHERE b.message_id = $1 ORDER BY i.position",
        )
        .bind(original.clone())
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let payout = get_uuid(row, "payout_id")?;
            if !named.contains(&Some(payout)) {
                wanted.push((
                    crate::domain::payment::end_to_end_id(payout),
                    state,
                    file.group_reason.clone(),
                ));
            }
        }
    }
    // What the ledger knows of each payout named: the exported batch it
    // is in, its household, and its states in that batch; a list of ids
    // to a statement.
    let ids: Vec<Uuid> = wanted
        .iter()
        .filter_map(|(e2e, _, _)| payout_of_end_to_end_id(e2e))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut known: HashMap<Uuid, Sent> = HashMap::with_capacity(ids.len());
    for part in ids.chunks(LIST_PARAMS) {
        let list = placeholders(1, part.len());
        let lookup = format!(
            "SELECT i.payout_id, i.batch_id, p.household_id FROM payment_batch_payouts i \
             JOIN payment_batch_events e ON e.batch_id = i.batch_id AND e.event = 'exported' \
             JOIN rent_payouts p ON p.id = i.payout_id WHERE i.payout_id IN ({list})"
        );
        let mut query = sqlx::query(AssertSqlSafe(lookup));
        for id in part {
            query = query.bind(id.to_string());
        }
        for row in query.fetch_all(&mut *tx).await? {
            known.insert(
                get_uuid(&row, "payout_id")?,
                Sent {
                    batch: get_uuid(&row, "batch_id")?,
                    household: get_uuid(&row, "household_id")?,
                    states: Vec::new(),
                },
            );
        }
        let states = format!(
            "SELECT payout_id, batch_id, state FROM payout_bank_path WHERE payout_id IN ({list})"
        );
        let mut query = sqlx::query(AssertSqlSafe(states));
        for id in part {
            query = query.bind(id.to_string());
        }
        for row in query.fetch_all(&mut *tx).await? {
            if let Some(sent) = known.get_mut(&get_uuid(&row, "payout_id")?)
                && sent.batch == get_uuid(&row, "batch_id")?
            {
                sent.states.push(state_of(&get_str(&row, "state")?)?);
            }
        }
    }
    // Each naming decided in the file's order: a payout named twice sees
    // what its first naming recorded.
    let mut outcomes = Vec::with_capacity(wanted.len());
    let mut recorded: Vec<(Uuid, Uuid, BankState, Option<String>)> = Vec::new();
    let mut voided: Vec<(usize, usize)> = Vec::new();
    for (end_to_end_id, state, reason_code) in wanted {
        let mut outcome = StatusOutcome {
            end_to_end_id,
            payout_id: None,
            household_id: None,
            recorded: None,
            reason_code,
            not_recorded: None,
            wrote: Vec::new(),
        };
        let found = payout_of_end_to_end_id(&outcome.end_to_end_id)
            .and_then(|payout| known.get_mut(&payout).map(|sent| (payout, sent)));
        let Some((payout, sent)) = found else {
            outcome.not_recorded = Some("UNKNOWN_PAYOUT");
            outcomes.push(outcome);
            continue;
        };
        outcome.payout_id = Some(payout);
        outcome.household_id = Some(sent.household);
        if sent.states.contains(&state) {
            outcome.not_recorded = Some("ALREADY_RECORDED");
        } else if !newest(&sent.states).is_some_and(|n| n.leads_to(state)) {
            outcome.not_recorded = Some("STATE_NOT_ALLOWED");
        } else {
            sent.states.push(state);
            outcome.recorded = Some(state);
            if state.frees_amount() {
                voided.push((outcomes.len(), recorded.len()));
            }
            recorded.push((payout, sent.batch, state, outcome.reason_code.clone()));
        }
        outcomes.push(outcome);
    }
    // The states that free nothing, a few rows to a statement; then each
    // rejection or return (the last state of its payout), in the file's
    // order, with what it undoes.
    let plain: Vec<_> = recorded
        .iter()
        .filter(|(_, _, state, _)| !state.frees_amount())
        .collect();
    for part in plain.chunks(LIST_PARAMS / STATE_COLUMNS) {
        insert_states(&mut tx, part, &file.message_id, audit).await?;
    }
    for (outcome, at) in voided {
        let row = &recorded[at];
        insert_states(&mut tx, &[row], &file.message_id, audit).await?;
        outcomes[outcome].wrote = super::super::alerts::voided_by_bank(
            &mut tx,
            store.backend(),
            row.0,
            row.2.as_str(),
            audit,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ImportedStatus {
        already_imported: false,
        outcomes,
    })
}

/// A payout in an exported batch, as an import finds it.
struct Sent {
    batch: Uuid,
    household: Uuid,
    /// Its states in that batch, with those this import records.
    states: Vec<BankState>,
}

/// The values a state row binds.
const STATE_COLUMNS: usize = 7;

/// Records `rows` (payout, batch, state, reason) in one statement, named
/// by the bank's file `message_id`.
async fn insert_states(
    tx: &mut Transaction<'static, Any>,
    rows: &[&(Uuid, Uuid, BankState, Option<String>)],
    message_id: &str,
    audit: &AuditEntry,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..rows.len())
        .map(|i| format!("({})", placeholders(i * STATE_COLUMNS + 1, STATE_COLUMNS)))
        .collect();
    let sql = format!(
        "INSERT INTO payout_bank_states (payout_id, batch_id, state, reason_code, message_id, recorded_by, recorded_at) \
         VALUES {}",
        values.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for (payout, batch, state, reason) in rows {
        query = query
            .bind(payout.to_string())
            .bind(batch.to_string())
            .bind(state.as_str())
            .bind(reason.clone())
            .bind(message_id.to_owned())
            .bind(audit.caller.clone())
            .bind(timestamp(audit.at));
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// A payout's states at the bank, in the order recorded.
pub(super) async fn states(
    store: &SqlStore,
    payout_id: Uuid,
) -> Result<Vec<BankStateEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT batch_id, state, reason_code, message_id, recorded_at FROM payout_bank_path \
         WHERE payout_id = $1 ORDER BY recorded_at, batch_id",
    )
    .bind(payout_id.to_string())
    .fetch_all(store.pool())
    .await?;
    let mut states = rows
        .iter()
        .map(|row| {
            Ok(BankStateEntry {
                state: state_of(&get_str(row, "state")?)?,
                batch_id: get_uuid(row, "batch_id")?,
                reason_code: row.try_get("reason_code")?,
                message_id: get_str(row, "message_id")?,
                recorded_at: get_time(row, "recorded_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Within one time and batch, in the order of the path.
    let order: HashMap<BankState, usize> = BankState::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i))
        .collect();
    states.sort_by_key(|s| (s.recorded_at, s.batch_id, order[&s.state]));
    Ok(states)
}
