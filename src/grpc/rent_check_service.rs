//! `RentCheckService`: was last month's rent paid?
//!
//! One item or a stream of them go through the same batch path: parse each
//! item (a bad one gets its own error), resolve the subjects and read the
//! facts of the whole batch set-based while recording one audit row per
//! subject asked (`Store::rent_check_facts`: one statement per thousand or
//! so subjects), compute each answer, then answer in the order asked.
//!
//! The stream is a reader and a writer task. The reader takes chunks of
//! up to [`CHUNK`] items, parses each and starts its lookup; it runs at
//! most [`IN_FLIGHT`] chunks ahead of the writer, which sends each chunk's
//! answers in the order asked into a queue of one chunk. When the client
//! stops reading, the queue fills, the writer waits, the reader waits, and
//! HTTP/2 flow control then holds the client: memory stays flat whatever
//! the batch's size. A cancelled stream drops the queue, which stops both.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::{Code, Request, Response, Status, Streaming};
use uuid::Uuid;

use super::audit::AuditCall;
use super::auth::Caller;
use super::convert::checks::{
    Answer, ParsedItem, Subject, item_error, paid_status_to_pb, parse_chunk, parse_query,
};
use super::convert::plans::{plan_instalment_check_to_pb, plan_status};
use super::convert::{day, finish, money_to_pb};
use super::limits::{PerCaller, exhausted, quarter};
use crate::app::App;
use crate::domain::audit::AuditEntry;
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::money::Money;
use crate::domain::rent_check::check_rent;
use crate::domain::rent_check::{LeaseRents, LedgerAmount, RentFacts};
use crate::domain::rent_plan::RentPlan;
use crate::domain::unit::Units;
use crate::pb;
use crate::store::{CheckSubjects, Store};

/// The most items looked up together, in one store call: one statement
/// for a chunk of personnummer (see `store::checks`).
pub const CHUNK: usize = 1000;
/// How long a chunk waits for more items after its first, when the client
/// sends slower than the server answers.
const GATHER: Duration = Duration::from_millis(5);
/// Chunks looked up ahead of the one being sent: while one chunk's answers
/// go out, the next ones are read from the database on other connections.
const IN_FLIGHT: usize = 2;

pub struct RentCheckApi {
    app: Arc<App>,
    streams: Arc<Semaphore>,
    per_caller: Arc<PerCaller>,
    limits: StreamLimits,
}

/// What bounds the streams a server runs. Each holds a few chunks in
/// memory while it runs, and a client that stops reading holds its stream
/// (and its queued answers) for as long as it keeps its connection: the
/// slots bound that memory, the stall limit stops the work.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    /// Streams at once; more are refused with RESOURCE_EXHAUSTED.
    pub max_streams: usize,
    /// Streams at once of any one caller, so that one batch job's streams
    /// (read or not) leave room for the others'.
    pub per_caller: usize,
    /// How long answers may wait for a client that does not read before
    /// the stream stops reading and looking up (its queued answers then
    /// end with DEADLINE_EXCEEDED, should the client read again).
    pub stall: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_streams: 16,
            per_caller: quarter(16),
            stall: Duration::from_secs(60),
        }
    }
}

impl RentCheckApi {
    pub fn new(app: Arc<App>, limits: StreamLimits) -> Self {
        RentCheckApi {
            app,
            streams: Arc::new(Semaphore::new(limits.max_streams)),
            per_caller: PerCaller::new(limits.per_caller),
            limits,
        }
    }
}

/// A batch's facts, looked up by household, lease and month: each answer
/// then costs a few hash lookups, not a pass over the whole batch.
struct FactsIndex<'a> {
    leases: HashMap<Uuid, Vec<&'a LeaseRents>>,
    payouts: HashMap<(Uuid, YearMonth), Vec<&'a LedgerAmount>>,
    receipts: HashMap<(Uuid, YearMonth), Vec<&'a LedgerAmount>>,
    failed_payouts: HashMap<(Uuid, YearMonth), Vec<&'a LedgerAmount>>,
    /// Newest first.
    plans: HashMap<Uuid, Vec<&'a RentPlan>>,
}

impl<'a> FactsIndex<'a> {
    fn new(facts: &'a RentFacts) -> Self {
        let mut leases: HashMap<Uuid, Vec<&LeaseRents>> = HashMap::new();
        for lease in &facts.leases {
            leases.entry(lease.household_id).or_default().push(lease);
        }
        let by_month = |list: &'a [LedgerAmount]| {
            let mut map: HashMap<(Uuid, YearMonth), Vec<&LedgerAmount>> = HashMap::new();
            for entry in list {
                map.entry((entry.lease_id, entry.month))
                    .or_default()
                    .push(entry);
            }
            map
        };
        let mut plans: HashMap<Uuid, Vec<&RentPlan>> = HashMap::new();
        for plan in &facts.plans {
            plans.entry(plan.draft.lease_id).or_default().push(plan);
        }
        for list in plans.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.id));
        }
        FactsIndex {
            leases,
            payouts: by_month(&facts.payouts),
            receipts: by_month(&facts.receipts),
            failed_payouts: by_month(&facts.failed_payouts),
            plans,
        }
    }
}

/// Answers one household's check from the batch's facts.
fn answer(
    facts: &FactsIndex<'_>,
    household: Uuid,
    month: YearMonth,
    as_of: NaiveDate,
) -> Result<pb::RentCheckResult, Status> {
    let mut result = pb::RentCheckResult {
        household_id: household.to_string(),
        rent_month: month.to_string(),
        check_date: day(as_of),
        ..Default::default()
    };
    // The newest lease begun by the month (by start, then id) and not
    // ended before it: after its last month a lease has no rent due.
    let lease = facts
        .leases
        .get(&household)
        .into_iter()
        .flatten()
        .filter(|l| l.end_month.is_none_or(|end| month <= end))
        .filter_map(|l| l.rents.first().map(|(start, _)| (*start, *l)))
        .filter(|(start, _)| *start <= month)
        .max_by_key(|(start, l)| (*start, l.lease_id))
        .map(|(_, l)| l);
    let Some(lease) = lease else {
        result.status = pb::RentCheckStatus::NoLease as i32;
        return Ok(result);
    };
    let rent_due = lease
        .rents
        .iter()
        .rev()
        .find(|(from, _)| *from <= month)
        .map_or(Money::ZERO, |(_, rent)| *rent);
    let of_month = |map: &HashMap<(Uuid, YearMonth), Vec<&LedgerAmount>>| {
        let entries = map
            .get(&(lease.lease_id, month))
            .map_or(&[][..], Vec::as_slice);
        let sum = entries.iter().fold(Money::ZERO, |s, e| s + e.amount);
        (sum, entries.iter().map(|e| e.id.to_string()).collect())
    };
    let (by_payouts, payout_ids) = of_month(&facts.payouts);
    let (by_receipts, receipt_ids) = of_month(&facts.receipts);
    let check = check_rent(month, rent_due, by_payouts, by_receipts, as_of);
    result.status = paid_status_to_pb(check.status) as i32;
    result.lease_id = lease.lease_id.to_string();
    result.rent_due = money_to_pb(check.rent_due);
    result.paid_by_payouts = money_to_pb(check.paid_by_payouts);
    result.paid_by_receipts = money_to_pb(check.paid_by_receipts);
    result.outstanding = money_to_pb(check.outstanding);
    result.overpaid = money_to_pb(check.overpaid);
    result.due_date = check.due_date.to_string();
    result.days_overdue = check
        .days_overdue
        .map_or(0, |days| i32::try_from(days).unwrap_or(i32::MAX));
    result.not_yet_due = check.not_yet_due();
    result.payout_ids = payout_ids;
    result.receipt_ids = receipt_ids;
    result.failed_payout_ids = of_month(&facts.failed_payouts).1;
    // The newest plan on the lease with an instalment in the month.
    for plan in facts.plans.get(&lease.lease_id).into_iter().flatten() {
        let (sched, status) = plan_status(plan, &lease.rents, as_of)?;
        let found = sched
            .instalments
            .iter()
            .zip(&status.instalments)
            .find(|(i, _)| i.month == month);
        if let Some((instalment, state)) = found {
            result.plan_instalment = Some(plan_instalment_check_to_pb(
                plan.id,
                status.state,
                instalment,
                state,
            ));
            break;
        }
    }
    Ok(result)
}

/// Answers a batch in order. The store records one audit row per subject
/// asked (with its household, or without one for an unknown subject) as it
/// reads, before any answer leaves.
async fn check_batch(
    store: &Arc<dyn Store>,
    units: &Units,
    entry: &AuditEntry,
    items: Vec<ParsedItem>,
) -> Result<Vec<Answer>, Status> {
    let mut asked = CheckSubjects::default();
    for query in items.iter().flatten() {
        match &query.subject {
            Subject::Person(pin) => asked.people.push(pin.clone()),
            Subject::Household(id) => asked.households.push(*id),
        }
        asked.months.push(query.rent_month);
    }
    asked.months.sort_unstable();
    asked.months.dedup();
    let found = store.rent_check_facts(&asked, units, entry).await?;
    let facts = FactsIndex::new(&found.rent);

    let mut answers = Vec::with_capacity(items.len());
    // Answers computed per household, month and check date once, for repeats.
    let mut done: HashMap<(Uuid, YearMonth, NaiveDate), pb::RentCheckResult> = HashMap::new();
    for item in items {
        let query = match item {
            Ok(query) => query,
            Err((status, violations)) => {
                answers.push(Answer::Error(item_error(&status, Some(&violations))));
                continue;
            }
        };
        let household = match &query.subject {
            Subject::Household(id) => found.households.contains(id).then_some(*id),
            Subject::Person(pin) => found.people.get(pin.as_str()).copied(),
        };
        let Some(household) = household else {
            answers.push(Answer::Result(Box::new(pb::RentCheckResult {
                status: pb::RentCheckStatus::UnknownSubject as i32,
                rent_month: query.rent_month.to_string(),
                check_date: day(query.as_of),
                ..Default::default()
            })));
            continue;
        };
        let key = (household, query.rent_month, query.as_of);
        let result = match done.get(&key) {
            Some(r) => Ok(r.clone()),
            None => answer(&facts, household, query.rent_month, query.as_of),
        };
        match result {
            Ok(r) => {
                done.insert(key, r.clone());
                answers.push(Answer::Result(Box::new(r)));
            }
            Err(status) => answers.push(Answer::Error(item_error(&status, None))),
        }
    }
    Ok(answers)
}

/// Reads the next chunk of the stream: waits for one item, then takes what
/// arrives within [`GATHER`], up to [`CHUNK`]. `None` at the end of the
/// stream.
async fn next_chunk(
    input: &mut Streaming<pb::CheckRentPaidStreamRequest>,
) -> Result<Option<Vec<pb::CheckRentPaidStreamRequest>>, Status> {
    let Some(first) = input.message().await? else {
        return Ok(None);
    };
    let mut chunk = Vec::with_capacity(CHUNK);
    chunk.push(first);
    let deadline = tokio::time::Instant::now() + GATHER;
    while chunk.len() < CHUNK {
        match tokio::time::timeout_at(deadline, input.message()).await {
            Ok(Ok(Some(item))) => chunk.push(item),
            Ok(Ok(None)) | Err(_) => break,
            Ok(Err(status)) => return Err(status),
        }
    }
    Ok(Some(chunk))
}

/// A chunk on its way from the reader to the writer: its correlation ids
/// and its lookup, or the error that ended the input.
enum Work {
    Chunk(Vec<String>, JoinHandle<Result<Vec<Answer>, Status>>),
    Failed(Status),
}

type CheckStream =
    Pin<Box<dyn Stream<Item = Result<pb::CheckRentPaidStreamResponse, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl pb::rent_check_service_server::RentCheckService for RentCheckApi {
    async fn check_rent_paid(
        &self,
        request: Request<pb::CheckRentPaidRequest>,
    ) -> Result<Response<pb::CheckRentPaidResponse>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let pb::CheckRentPaidRequest { query } = request.into_inner();
        let today = self.app.clock.today();
        let mut v = Violations::new();
        let query = parse_query(query, "query.", today, &mut v);
        let query = finish(v, query)?;
        let answers = check_batch(
            &self.app.store,
            audit.units(),
            audit.entry(),
            vec![Ok(query)],
        )
        .await?;
        match answers.into_iter().next() {
            Some(Answer::Result(result)) => Ok(Response::new(pb::CheckRentPaidResponse {
                result: Some(*result),
            })),
            Some(Answer::Error(e)) => Err(Status::new(Code::Internal, e.message)),
            None => Err(Status::internal("internal error")),
        }
    }

    type CheckRentPaidStreamStream = CheckStream;

    async fn check_rent_paid_stream(
        &self,
        request: Request<Streaming<pb::CheckRentPaidStreamRequest>>,
    ) -> Result<Response<Self::CheckRentPaidStreamStream>, Status> {
        let audit = AuditCall::begin(&self.app, &request)?;
        let caller = Caller::of(&request)?;
        let slot = self.per_caller.try_take(&caller.name).ok_or_else(|| {
            exhausted(format!(
                "this caller runs at most {} rent-check streams at once; retry with backoff",
                self.per_caller.limit()
            ))
        })?;
        let permit = self.streams.clone().try_acquire_owned().map_err(|_| {
            exhausted(format!(
                "at most {} rent-check streams run at once; retry with backoff",
                self.limits.max_streams
            ))
        })?;
        let stall = self.limits.stall;
        let entry = audit.entry().clone();
        let units = Arc::new(audit.units().clone());
        let store = self.app.store.clone();
        let clock = self.app.clock.clone();
        let mut input = request.into_inner();
        // One chunk of answers may wait for the client; then the work waits.
        let (tx, rx) = mpsc::channel(CHUNK);
        // The stream's last word when the client stopped reading.
        let (end_tx, end_rx) = mpsc::channel(1);
        let (work_tx, mut work_rx) = mpsc::channel::<Work>(IN_FLIGHT);
        // The reader: parses each chunk and starts its lookup, up to
        // IN_FLIGHT chunks ahead of the writer.
        tokio::spawn(async move {
            loop {
                let chunk = match next_chunk(&mut input).await {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) => return,
                    Err(status) => {
                        let status = crate::grpc::status::caller_error(status);
                        let _ = work_tx.send(Work::Failed(status)).await;
                        return;
                    }
                };
                let today = clock.today();
                let (ids, items) = parse_chunk(chunk, today);
                let store = store.clone();
                let entry = entry.clone();
                let units = units.clone();
                let lookup =
                    tokio::spawn(async move { check_batch(&store, &units, &entry, items).await });
                if work_tx.send(Work::Chunk(ids, lookup)).await.is_err() {
                    // The writer stopped: the client went away.
                    return;
                }
            }
        });
        // The writer: sends each chunk's answers in the order asked.
        tokio::spawn(async move {
            while let Some(work) = work_rx.recv().await {
                let (ids, lookup) = match work {
                    Work::Chunk(ids, lookup) => (ids, lookup),
                    Work::Failed(status) => {
                        let _ = tx.send(Err(status)).await;
                        return;
                    }
                };
                let answers = match lookup.await {
                    Ok(Ok(answers)) => answers,
                    Ok(Err(status)) => {
                        // The store failed: the stream ends with its status.
                        let _ = tx.send(Err(status)).await;
                        return;
                    }
                    Err(join) => {
                        tracing::error!(error = %join, "a rent check lookup failed");
                        let _ = tx.send(Err(Status::internal("internal error"))).await;
                        return;
                    }
                };
                for (correlation_id, answer) in ids.into_iter().zip(answers) {
                    let outcome = match answer {
                        Answer::Result(r) => {
                            pb::check_rent_paid_stream_response::Outcome::Result(r)
                        }
                        Answer::Error(e) => pb::check_rent_paid_stream_response::Outcome::Error(e),
                    };
                    let response = pb::CheckRentPaidStreamResponse {
                        correlation_id,
                        outcome: Some(outcome),
                    };
                    match tokio::time::timeout(stall, tx.send(Ok(response))).await {
                        Ok(Ok(())) => {}
                        // The client went away: stop.
                        Ok(Err(_)) => return,
                        Err(_) => {
                            // The client stopped reading: end the stream
                            // after the answers already queued.
                            let _ = end_tx.try_send(Err(Status::deadline_exceeded(format!(
                                "the client read no answer for {} s; the stream was ended",
                                stall.as_secs()
                            ))));
                            return;
                        }
                    }
                }
            }
        });
        // The response holds the stream's permit: a slot is free again once
        // the transport drops the stream (answered, cancelled, or the
        // client's connection gone), so the slots bound what streams hold.
        let answers = ReceiverStream::new(rx)
            .chain(ReceiverStream::new(end_rx))
            .map(move |answer| {
                let _held = (&permit, &slot);
                answer
            });
        Ok(Response::new(Box::pin(answers)))
    }
}
