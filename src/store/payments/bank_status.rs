//! A payout's states at the bank: the bank's status files imported (each
//! once), and a payout's states read back in the order of the path.

use std::collections::HashMap;

use sqlx::Row;
use uuid::Uuid;

use super::{ImportedStatus, StatusOutcome};
use crate::domain::audit::AuditEntry;
use crate::domain::payment::bank_status::StatusFile;
use crate::domain::payment::{BankState, BankStateEntry, payout_of_end_to_end_id};
use crate::store::sql::{corrupt, get_str, get_time, get_uuid, timestamp, unique_refusal};
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
    let mut outcomes = Vec::with_capacity(wanted.len());
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
        let found = match payout_of_end_to_end_id(&outcome.end_to_end_id) {
            None => None,
            Some(payout) => sqlx::query(
                "SELECT i.batch_id, p.household_id FROM payment_batch_payouts i \
                 JOIN payment_batch_events e ON e.batch_id = i.batch_id AND e.event = 'exported' \
                 JOIN rent_payouts p ON p.id = i.payout_id WHERE i.payout_id = $1",
            )
            .bind(payout.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| {
                Ok::<_, StoreError>((
                    payout,
                    get_uuid(&row, "batch_id")?,
                    get_uuid(&row, "household_id")?,
                ))
            })
            .transpose()?,
        };
        let Some((payout, batch, household)) = found else {
            outcome.not_recorded = Some("UNKNOWN_PAYOUT");
            outcomes.push(outcome);
            continue;
        };
        outcome.payout_id = Some(payout);
        outcome.household_id = Some(household);
        let states = sqlx::query(
            "SELECT state FROM payout_bank_path WHERE payout_id = $1 AND batch_id = $2",
        )
        .bind(payout.to_string())
        .bind(batch.to_string())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| state_of(&get_str(row, "state")?))
        .collect::<Result<Vec<_>, _>>()?;
        if states.contains(&state) {
            outcome.not_recorded = Some("ALREADY_RECORDED");
        } else if !newest(&states).is_some_and(|n| n.leads_to(state)) {
            outcome.not_recorded = Some("STATE_NOT_ALLOWED");
        } else {
            sqlx::query(
                "INSERT INTO payout_bank_states (payout_id, batch_id, state, reason_code, message_id, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(payout.to_string())
            .bind(batch.to_string())
            .bind(state.as_str())
            .bind(outcome.reason_code.clone())
            .bind(file.message_id.clone())
            .bind(audit.caller.clone())
            .bind(timestamp(audit.at))
            .execute(&mut *tx)
            .await?;
            outcome.recorded = Some(state);
            if matches!(state, BankState::Rejected | BankState::Returned) {
                outcome.wrote = super::super::alerts::voided_by_bank(
                    &mut tx,
                    store.backend(),
                    payout,
                    state.as_str(),
                    audit,
                )
                .await?;
            }
        }
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(ImportedStatus {
        already_imported: false,
        outcomes,
    })
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
