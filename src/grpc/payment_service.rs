//! `PaymentService`: payouts of the rent ledger to the bank and back.
//! Batches are gathered by the payout system, attested by a second caller
//! (role attester), exported as a pain.001 file in chunks, and the bank's
//! pain.002 and camt.054 files imported. The rules live in
//! `domain::payment`, kept by the store inside each writing transaction;
//! the bank profile, the debtor account and the batch size come from
//! [`App::payments`].
//!
//! Which households a call reaches is decided in one place,
//! [`reach_households`]: every batch call reaches the households whose
//! payouts the batch holds (the audit trail names each). The export learns
//! them, by the same rule, from the store's check against the ledger (one
//! read of the batch, under its lock), and refuses through the same gate
//! ([`refusal_about`]). A caller of some
//! units gathers only their payouts into a batch, and a batch holding
//! another unit's payout is `payment batch not found` to it (audited
//! `OTHER_UNIT`). A bank status file covers every unit's payouts, so only a
//! caller who sees every household's unit imports one (UNIT_NOT_PERMITTED):
//! a caller of all units, or of the one unit every household is in.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use super::audit::AuditCall;
use super::convert::payments::{
    MAX_LISTED_PAYOUTS, approval, batch_filter, batch_page, batch_to_pb, cancel_reason,
    file_kind_to_pb, outcome_to_pb,
};
use super::convert::{self, finish};
use crate::app::App;
use crate::domain::chain::sha256_hex;
use crate::domain::error::{DomainError, Violations};
use crate::domain::payment::bank_status::read_status_file;
use crate::domain::payment::pain001::{FileHeader, Pain001Writer};
use crate::domain::unit::Units;
use crate::pb;
use crate::store::{Store, StoreError};

/// Transfers handed from the statement to the file's writer at a time.
const SLICE: usize = 256;
/// Slices read ahead of the writer.
const SLICES_AHEAD: usize = 4;
/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 256 * 1024;
/// Room for the transfer that takes a chunk past [`CHUNK_BYTES`].
const CHUNK_SLACK: usize = 4 * 1024;
/// Chunks that may wait for the client before the writer waits.
const CHUNKS_AHEAD: usize = 4;
/// How long a chunk may wait for a client that does not read before the
/// export stops reading (its statement ended, its connection free) and
/// ends with DEADLINE_EXCEEDED, should the client read again.
const EXPORT_STALL: Duration = Duration::from_secs(60);

pub struct PaymentApi {
    app: Arc<App>,
}

impl PaymentApi {
    pub fn new(app: Arc<App>) -> Self {
        PaymentApi { app }
    }
}

/// The one place where a payment call reaches households: the households
/// whose payouts batch `id` holds, each named on the audit trail; to a
/// caller of some units, a batch with another unit's payout is NOT_FOUND.
async fn reach_households(app: &App, audit: &AuditCall, batch: Uuid) -> Result<(), Status> {
    let households = app.store.payment_batch_households(batch).await?;
    let all_units = matches!(audit.units(), Units::All);
    for household in households {
        if all_units {
            audit.listed(household);
        } else {
            audit.visible(household, "payment batch").await?;
        }
    }
    Ok(())
}

/// PERMISSION_DENIED, reason UNIT_NOT_PERMITTED: a bank status file names
/// payouts of every unit, so a caller who does not see every unit that
/// has households may not import it.
fn import_needs_all_units() -> Status {
    super::status::auth_refusal(
        tonic::Code::PermissionDenied,
        "UNIT_NOT_PERMITTED",
        "a bank status file covers the payouts of every unit: importing it needs a caller who sees every unit that has households",
        vec![("field".to_owned(), "file".to_owned())],
    )
}

fn bank_not_configured() -> Status {
    DomainError::refused(
        "BANK_NOT_CONFIGURED",
        "the server has no debtor account: start it with --debtor-name, --debtor-iban and --debtor-bic",
        "batch_id",
    )
    .into()
}

/// The store's refusal of a batch that holds a payout of a household the
/// caller does not see ([`StoreError::About`] that household): passed
/// through the one gate, [`AuditCall::visible`], so the household is
/// touched for the trail and the answer is NOT_FOUND, audited OTHER_UNIT,
/// as [`reach_households`] answers.
async fn refusal_about(audit: &AuditCall, error: StoreError) -> Status {
    match error {
        StoreError::About { household, error } => {
            match audit.visible(household, "payment batch").await {
                Err(status) => status,
                // Moved into the caller's units since: refused all the same.
                Ok(()) => (*error).into(),
            }
        }
        error => error.into(),
    }
}

/// Writes the batch's file into `tx`: the store reads the transfers with
/// one statement, a slice at a time, while the file is written; a chunk
/// goes out every [`CHUNK_BYTES`].
async fn write_file(
    store: Arc<dyn Store>,
    app: Arc<App>,
    batch: crate::domain::payment::PaymentBatch,
    tx: mpsc::Sender<Result<pb::ExportPaymentBatchResponse, Status>>,
) {
    let (slices, mut transfers) = mpsc::channel(SLICES_AHEAD);
    let today = app.clock.today();
    let id = batch.id;
    let reading = tokio::spawn(async move {
        if let Err(e) = store
            .send_payment_batch_transfers(id, today, SLICE, &slices)
            .await
        {
            let _ = slices.send(Err(e)).await;
        }
    });
    let result = async {
        let debtor = app
            .payments
            .debtor
            .clone()
            .ok_or_else(bank_not_configured)?;
        let header = FileHeader {
            message_id: batch.message_id.clone(),
            created_at: app.clock.now(),
            count: batch.payout_count,
            control_sum: batch.total,
        };
        let internal = |e: crate::domain::payment::pain001::Pain001Error| {
            tracing::error!(error = %e, "writing a payment file failed");
            Status::internal("the payment file could not be written")
        };
        let mut writer = Pain001Writer::start(
            Vec::with_capacity(CHUNK_BYTES + CHUNK_SLACK),
            app.payments.version,
            debtor,
            header,
        )
        .map_err(internal)?;
        while let Some(slice) = transfers.recv().await {
            for transfer in &slice? {
                writer.push(transfer).map_err(internal)?;
            }
            if writer.get_mut().len() >= CHUNK_BYTES {
                let chunk = std::mem::replace(
                    writer.get_mut(),
                    Vec::with_capacity(CHUNK_BYTES + CHUNK_SLACK),
                );
                match tokio::time::timeout(
                    EXPORT_STALL,
                    tx.send(Ok(pb::ExportPaymentBatchResponse { chunk })),
                )
                .await
                {
                    Ok(Ok(())) => {}
                    // The client is gone.
                    Ok(Err(_)) => return Ok(()),
                    Err(_) => {
                        return Err(Status::deadline_exceeded(
                            "the client did not read the file: the export stopped",
                        ));
                    }
                }
            }
        }
        // `finish` checks what was written against the header: a statement
        // cut short ends in an error, never in a short file.
        let rest = writer.finish().map_err(internal)?;
        let _ = tx
            .send(Ok(pb::ExportPaymentBatchResponse { chunk: rest }))
            .await;
        Ok::<(), Status>(())
    }
    .await;
    // The statement ends (its connection free again) before an error
    // waits for a client that may not read.
    drop(transfers);
    reading.abort();
    let _ = reading.await;
    if let Err(status) = result {
        let _ = tx.send(Err(status)).await;
    }
}

#[tonic::async_trait]
impl pb::payment_service_server::PaymentService for PaymentApi {
    async fn create_payment_batch(
        &self,
        request: Request<pb::CreatePaymentBatchRequest>,
    ) -> Result<Response<pb::CreatePaymentBatchResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let idempotency = convert::idempotency(&message, |m| &mut m.request_id, &mut v);
            let filter = batch_filter(&message, &mut v);
            let (idempotency, filter) = finish(v, (idempotency, filter))?;
            let created = self
                .app
                .store
                .create_payment_batch(
                    &filter,
                    audit.units(),
                    self.app.payments.batch_max,
                    &idempotency,
                    audit.entry(),
                )
                .await?;
            reach_households(&self.app, audit, created.batch.id).await?;
            Ok(Response::new(pb::CreatePaymentBatchResponse {
                batch: Some(batch_to_pb(&created.batch)),
                left_without_address: i32::try_from(created.left_without_address)
                    .unwrap_or(i32::MAX),
            }))
        })
        .await
    }

    async fn approve_payment_batch(
        &self,
        request: Request<pb::ApprovePaymentBatchRequest>,
    ) -> Result<Response<pb::ApprovePaymentBatchResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (id, count, total) = approval(&message)?;
            reach_households(&self.app, audit, id).await?;
            let batch = self
                .app
                .store
                .approve_payment_batch(id, count, total, audit.entry())
                .await?;
            Ok(Response::new(pb::ApprovePaymentBatchResponse {
                batch: Some(batch_to_pb(&batch)),
            }))
        })
        .await
    }

    async fn get_payment_batch(
        &self,
        request: Request<pb::GetPaymentBatchRequest>,
    ) -> Result<Response<pb::GetPaymentBatchResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let id = convert::id("id", &message.id)?;
            let batch = self.app.store.get_payment_batch(id).await?;
            reach_households(&self.app, audit, id).await?;
            let payouts = self
                .app
                .store
                .payment_batch_payouts(id, MAX_LISTED_PAYOUTS)
                .await?;
            Ok(Response::new(pb::GetPaymentBatchResponse {
                batch: Some(batch_to_pb(&batch)),
                payout_ids: payouts.iter().map(Uuid::to_string).collect(),
            }))
        })
        .await
    }

    async fn list_payment_batches(
        &self,
        request: Request<pb::ListPaymentBatchesRequest>,
    ) -> Result<Response<pb::ListPaymentBatchesResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let (size, after) = batch_page(&message)?;
            // A batch's figures name no household: the list reads no
            // household's data, and its row names none.
            audit.whole_register();
            let page = self.app.store.list_payment_batches(after, size).await?;
            Ok(Response::new(pb::ListPaymentBatchesResponse {
                batches: page.items.iter().map(batch_to_pb).collect(),
                next_page_token: page.next.unwrap_or_default(),
            }))
        })
        .await
    }

    async fn cancel_payment_batch(
        &self,
        request: Request<pb::CancelPaymentBatchRequest>,
    ) -> Result<Response<pb::CancelPaymentBatchResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            let mut v = Violations::new();
            let id = convert::uuid("batch_id", &message.batch_id, &mut v);
            let reason = cancel_reason(&message.reason, &mut v);
            let id = finish(v, (id, Some(())))?.0;
            reach_households(&self.app, audit, id).await?;
            let batch = self
                .app
                .store
                .cancel_payment_batch(id, &reason, audit.entry())
                .await?;
            Ok(Response::new(pb::CancelPaymentBatchResponse {
                batch: Some(batch_to_pb(&batch)),
            }))
        })
        .await
    }

    type ExportPaymentBatchStream = ReceiverStream<Result<pb::ExportPaymentBatchResponse, Status>>;

    async fn export_payment_batch(
        &self,
        request: Request<pb::ExportPaymentBatchRequest>,
    ) -> Result<Response<Self::ExportPaymentBatchStream>, Status> {
        let batch = AuditCall::run(&self.app, request, async |audit, message| {
            let id = convert::id("batch_id", &message.batch_id)?;
            if self.app.payments.debtor.is_none() {
                return Err(bank_not_configured());
            }
            // The check against the ledger reads the households the batch
            // reaches in the same pass (`reach_households`' answer).
            let exported = match self
                .app
                .store
                .export_payment_batch(id, audit.units(), audit.entry())
                .await
            {
                Ok(exported) => exported,
                Err(e) => return Err(refusal_about(audit, e).await),
            };
            for household in exported.households {
                audit.listed(household);
            }
            Ok(exported.batch)
        })
        .await?;
        // The file is read once the call's audit row is written.
        let (tx, rx) = mpsc::channel(CHUNKS_AHEAD);
        tokio::spawn(write_file(
            self.app.store.clone(),
            self.app.clone(),
            batch,
            tx,
        ));
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn import_payment_status(
        &self,
        request: Request<pb::ImportPaymentStatusRequest>,
    ) -> Result<Response<pb::ImportPaymentStatusResponse>, Status> {
        AuditCall::run(&self.app, request, async |audit, message| {
            if !self.app.store.sees_every_household(audit.units()).await? {
                return Err(import_needs_all_units());
            }
            let file = read_status_file(&message.file).map_err(|e| {
                Status::from(StoreError::from(DomainError::invalid(
                    "file",
                    "FILE_INVALID",
                    e.to_string(),
                )))
            })?;
            let imported = self
                .app
                .store
                .import_payment_status(&file, &sha256_hex(&message.file), audit.entry())
                .await?;
            for outcome in &imported.outcomes {
                if let Some(household) = outcome.household_id {
                    audit.listed(household);
                }
                for wrote in &outcome.wrote {
                    audit.record(wrote.kind, wrote.id);
                }
            }
            if imported.outcomes.iter().all(|o| o.household_id.is_none()) {
                audit.whole_register();
            }
            Ok(Response::new(pb::ImportPaymentStatusResponse {
                kind: file_kind_to_pb(file.kind) as i32,
                message_id: file.message_id.clone(),
                already_imported: imported.already_imported,
                outcomes: imported.outcomes.iter().map(outcome_to_pb).collect(),
            }))
        })
        .await
    }
}
