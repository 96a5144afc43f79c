//! Units (enheter): a caller sees only the households of its units. Every
//! RPC is called by a token of every role scoped to unit A, once about
//! unit A's case and once about unit B's, against an expectation table
//! written out here (not derived from the role table it checks); then the
//! lists, the audit of refusals, an admin's move of a household, where a
//! new household goes, and the `units` of token files, the token CLI and
//! the client-certificate map.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use prost::Message;
use tonic::Code;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};

use budgetrad::domain::unit::Units;
use budgetrad::grpc::auth::{
    ClientCertificates, Role, TokenEntry, TokenStore, Tokens, hash_secret,
};
use budgetrad::pb;
use pb::MemberRole::Applicant;

use crate::budgets::sample_budget;
use crate::helpers::*;
use crate::leases::{landlord, months, terms};

const A: &str = "ifo-vuxna";
const B: &str = "ifo-barn";

/// The secret of the token of `role` scoped to unit A.
fn a_secret(role: Role) -> String {
    format!("unit-a-secret-{}", role.as_str())
}

/// The test tokens plus one token per role scoped to unit A.
fn unit_tokens() -> Arc<Tokens> {
    let mut file = test_token_file();
    for role in Role::ALL {
        file.tokens.push(TokenEntry {
            name: format!("unit-a-{}", role.as_str()),
            sha256: hash_secret(&a_secret(*role)),
            roles: vec![*role],
            units: Units::parse(&[A]),
            expires_at: None,
            signature: None,
        });
    }
    // A second person who attests the fixtures' batches of either unit.
    file.tokens.push(TokenEntry {
        name: "all-units-attester".into(),
        sha256: hash_secret(ALL_UNITS_ATTESTER),
        roles: vec![Role::Attester],
        units: Some(Units::All),
        expires_at: None,
        signature: None,
    });
    Tokens::fixed(TokenStore::from_file(file))
}

/// The secret of an attester of all units, for the fixtures' batches.
const ALL_UNITS_ATTESTER: &str = "all-units-attester-secret";

async fn spawn(backend: budgetrad::store::Backend) -> TestApp {
    TestApp::builder(backend)
        .tokens(unit_tokens())
        .payments(crate::payments::bank(
            budgetrad::domain::payment::pain001::Pain001Version::V09,
        ))
        .spawn()
        .await
}

/// Days back from 2026-09-30: each lone payout of a batch fixture has one.
static PAYOUT_DAYS: AtomicU32 = AtomicU32::new(0);

/// The attestation of a batch of one 100 kr payout.
fn lone_approval(batch: &str) -> pb::ApprovePaymentBatchRequest {
    pb::ApprovePaymentBatchRequest {
        batch_id: batch.into(),
        payout_count: 1,
        total: money("100"),
    }
}

/// Personnummer serials: each new household's applicant is a new person.
static SERIAL: AtomicU32 = AtomicU32::new(700);

fn next_serial() -> u32 {
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// One unit's case: a household with a lease, a budget, a debt, a payout,
/// a receipt, an arrears plan and a notice, made by the all-units token.
#[derive(Clone)]
struct Case {
    household: String,
    pin: String,
    member: String,
    lease: String,
    budget: String,
    debt: String,
    payout: String,
    receipt: String,
    plan: String,
}

struct All<'a>(&'a TestApp);

impl All<'_> {
    fn households(&self) -> pb::household_service_client::HouseholdServiceClient<Authed> {
        self.0.households_as(Some(ALL_ROLES_SECRET))
    }
    fn rent(&self) -> pb::rent_plan_service_client::RentPlanServiceClient<Authed> {
        pb::rent_plan_service_client::RentPlanServiceClient::with_interceptor(
            self.0.channel(),
            Bearer::new(ALL_ROLES_SECRET),
        )
    }
    fn debts(&self) -> pb::debt_service_client::DebtServiceClient<Authed> {
        self.0.debts_as(Some(ALL_ROLES_SECRET))
    }
    fn payouts(&self) -> pb::payout_service_client::PayoutServiceClient<Authed> {
        self.0.payouts_as(Some(ALL_ROLES_SECRET))
    }
    fn payments(&self, secret: &str) -> pb::payment_service_client::PaymentServiceClient<Authed> {
        pb::payment_service_client::PaymentServiceClient::with_interceptor(
            self.0.channel(),
            Bearer::new(secret),
        )
    }

    /// A rent payout of 100 kr on a new lease of the case's household with
    /// an addressed landlord, dated a day no other payout of the test has:
    /// that day, for a batch of this payout alone.
    async fn lone_payout(&self, case: &Case) -> String {
        let back = PAYOUT_DAYS.fetch_add(1, Ordering::Relaxed);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).expect("a day")
            - chrono::Days::new(u64::from(back));
        let landlord = crate::payments::landlord(self.0, ("5050-1055", ""), true).await;
        let lease = crate::leases::lease(&mut self.rent(), &case.household, &landlord)
            .await
            .id;
        let mut request = crate::payouts::payout(
            &lease,
            &day.format("%Y-%m").to_string(),
            pb::RentPaymentKind::Rent,
            "100",
        );
        request.payout_date = day.to_string();
        self.payouts()
            .record_rent_payout(request)
            .await
            .expect("a payout");
        day.to_string()
    }

    fn batch_of_day(day: &str) -> pb::CreatePaymentBatchRequest {
        pb::CreatePaymentBatchRequest {
            request_id: rid(),
            from_date: day.into(),
            to_date: day.into(),
            kind: pb::RentPaymentKind::Rent as i32,
        }
    }

    /// A batch of one payout of the case's household, made by a caller of
    /// all units, and attested by another when `approved`: its id.
    async fn lone_batch(&self, case: &Case, approved: bool) -> String {
        let day = self.lone_payout(case).await;
        let batch = self
            .payments(ALL_ROLES_SECRET)
            .create_payment_batch(Self::batch_of_day(&day))
            .await
            .expect("a batch")
            .into_inner()
            .batch
            .expect("a batch");
        assert_eq!(batch.payout_count, 1);
        if approved {
            self.payments(ALL_UNITS_ATTESTER)
                .approve_payment_batch(lone_approval(&batch.id))
                .await
                .expect("attested");
        }
        batch.id
    }
    fn budgets(&self) -> pb::budget_service_client::BudgetServiceClient<Authed> {
        self.0.budgets_as(Some(ALL_ROLES_SECRET))
    }

    async fn household(&self, unit: &str) -> (String, String, String) {
        let serial = next_serial();
        let h = self
            .households()
            .create_household(pb::CreateHouseholdRequest {
                household: Some(pb::Household {
                    case_reference: format!("ENHET-{unit}"),
                    members: vec![adult(Applicant, "19800101", serial)],
                    unit: unit.into(),
                    ..Default::default()
                }),
            })
            .await
            .expect("a household")
            .into_inner()
            .household
            .expect("a household");
        assert_eq!(h.unit, unit);
        let member = h.members[0].clone();
        (h.id, member.personal_identity_number, member.id)
    }

    async fn lease(&self, household: &str) -> String {
        let l = landlord(&mut self.rent()).await;
        crate::leases::lease(&mut self.rent(), household, &l.id)
            .await
            .id
    }

    async fn debt(&self, household: &str, member: &str) -> pb::Debt {
        self.debts()
            .create_debt(pb::CreateDebtRequest {
                request_id: rid(),
                debt: Some(crate::debts::debt(
                    household,
                    member,
                    pb::DebtKind::Rent,
                    "8000",
                )),
                balance_date: "2026-11-01".into(),
            })
            .await
            .expect("a debt")
            .into_inner()
            .debt
            .expect("a debt")
    }

    async fn notice(&self, lease: &str) -> String {
        self.rent()
            .create_eviction_notice(pb::CreateEvictionNoticeRequest {
                notice: Some(notice(lease)),
            })
            .await
            .expect("a notice")
            .into_inner()
            .notice
            .expect("a notice")
            .id
    }

    async fn payout(&self, lease: &str, month: &str) -> String {
        self.payouts()
            .record_rent_payout(crate::payouts::payout(
                lease,
                month,
                pb::RentPaymentKind::Rent,
                "100",
            ))
            .await
            .expect("a payout")
            .into_inner()
            .payout
            .expect("a payout")
            .id
    }

    async fn plan(&self, lease: &str) -> String {
        crate::leases::plan(
            &mut self.rent(),
            lease,
            terms("6000", "2026-12", months(6)),
            0,
        )
        .await
        .id
    }

    /// An alert about the household (its lease's rent unpaid, swept).
    async fn alert(&self, household: &str) -> String {
        use budgetrad::store::AlertStore;
        let store = self.0.store();
        let filter = budgetrad::store::AlertFilter {
            household_id: Some(household.parse().expect("a uuid")),
            ..Default::default()
        };
        store
            .sweep_alerts(test_now().date_naive(), test_now())
            .await
            .expect("a sweep");
        let page = store
            .list_alerts(&Units::All, &filter, None, 1)
            .await
            .expect("the alerts");
        page.items
            .first()
            .expect("an alert about the case")
            .id
            .to_string()
    }

    async fn case(&self, unit: &str) -> Case {
        let (household, pin, member) = self.household(unit).await;
        let lease = self.lease(&household).await;
        let budget = self
            .budgets()
            .create_budget(pb::CreateBudgetRequest {
                household_id: household.clone(),
                month: "2026-03".into(),
                incomes: sample_budget().incomes,
                expenses: sample_budget().expenses,
            })
            .await
            .expect("a budget")
            .into_inner()
            .budget
            .expect("a budget")
            .id;
        let debt = self.debt(&household, &member).await.id;
        let payout = self.payout(&lease, "2026-10").await;
        let receipt = self
            .payouts()
            .record_rent_receipt(crate::payouts::receipt(
                &lease,
                "2026-10",
                pb::RentPaymentKind::Rent,
                "200",
            ))
            .await
            .expect("a receipt")
            .into_inner()
            .receipt
            .expect("a receipt")
            .id;
        let plan = self.plan(&lease).await;
        self.notice(&lease).await;
        Case {
            household,
            pin,
            member,
            lease,
            budget,
            debt,
            payout,
            receipt,
            plan,
        }
    }
}

fn notice(lease: &str) -> pb::EvictionNotice {
    pb::EvictionNotice {
        lease_id: lease.into(),
        served_date: "2026-11-20".into(),
        amount_owed: money("7900"),
        ..Default::default()
    }
}

fn rent_check(subject: &str) -> pb::RentCheckQuery {
    pb::RentCheckQuery {
        subject: Some(pb::rent_check_query::Subject::PersonalIdentityNumber(
            subject.into(),
        )),
        application_month: "2026-12".into(),
        ..Default::default()
    }
}

/// Raw protobuf bytes both ways: one caller for every RPC.
#[derive(Default)]
struct Raw;

impl Codec for Raw {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = Raw;
    type Decoder = Raw;
    fn encoder(&mut self) -> Raw {
        Raw
    }
    fn decoder(&mut self) -> Raw {
        Raw
    }
}

impl Encoder for Raw {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), tonic::Status> {
        use bytes::BufMut;
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for Raw {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, tonic::Status> {
        use bytes::Buf;
        let mut out = vec![0; src.remaining()];
        src.copy_to_slice(&mut out);
        Ok(Some(out))
    }
}

/// The outcome of a unary call as the table names it: "OK", a status code
/// name, or for a rent check answered OK, "UNKNOWN_SUBJECT" when the
/// result says so.
async fn call(app: &TestApp, rpc: &str, body: Vec<u8>, secret: &str) -> String {
    let mut grpc = tonic::client::Grpc::new(app.channel());
    grpc.ready().await.expect("ready");
    let mut request = tonic::Request::new(body);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {secret}").parse().expect("ASCII"),
    );
    let path: tonic::codegen::http::uri::PathAndQuery =
        format!("/budgetrad.v1.{rpc}").parse().expect("a path");
    if rpc == "AlertService/WatchAlerts" {
        // A stream without end: OK once it opens.
        return match grpc.server_streaming(request, path, Raw).await {
            Ok(_) => "OK".to_owned(),
            Err(status) => budgetrad::grpc::audit::code_name(status.code()).to_owned(),
        };
    }
    if rpc == "PaymentService/ExportPaymentBatch" {
        // A server stream: OK when every chunk arrives.
        let mut chunks = match grpc.server_streaming(request, path, Raw).await {
            Ok(response) => response.into_inner(),
            Err(status) => return budgetrad::grpc::audit::code_name(status.code()).to_owned(),
        };
        loop {
            match chunks.message().await {
                Ok(Some(_)) => {}
                Ok(None) => return "OK".to_owned(),
                Err(status) => return budgetrad::grpc::audit::code_name(status.code()).to_owned(),
            }
        }
    }
    match grpc.unary(request, path, Raw).await {
        Ok(response) if rpc == "RentCheckService/CheckRentPaid" => {
            let answer = pb::CheckRentPaidResponse::decode(response.into_inner().as_slice())
                .expect("a rent check");
            rent_status(answer.result.map(|r| r.status))
        }
        Ok(_) => "OK".to_owned(),
        Err(status) => budgetrad::grpc::audit::code_name(status.code()).to_owned(),
    }
}

fn rent_status(status: Option<i32>) -> String {
    if status == Some(pb::RentCheckStatus::UnknownSubject as i32) {
        "UNKNOWN_SUBJECT".to_owned()
    } else {
        "OK".to_owned()
    }
}

/// The stream's outcome for one item about `pin`, as [`call`] names it.
async fn call_stream(app: &TestApp, pin: &str, secret: &str) -> String {
    let mut client = pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
        app.channel(),
        Bearer::new(secret),
    );
    let item = pb::CheckRentPaidStreamRequest {
        correlation_id: "1".into(),
        query: Some(rent_check(pin)),
    };
    let mut stream = match client
        .check_rent_paid_stream(tokio_stream::iter(vec![item]))
        .await
    {
        Ok(stream) => stream.into_inner(),
        Err(status) => return budgetrad::grpc::audit::code_name(status.code()).to_owned(),
    };
    match stream.message().await {
        Ok(Some(answer)) => match answer.outcome {
            Some(pb::check_rent_paid_stream_response::Outcome::Result(r)) => {
                rent_status(Some(r.status))
            }
            other => panic!("an item error: {other:?}"),
        },
        Ok(None) => panic!("no answer"),
        Err(status) => budgetrad::grpc::audit::code_name(status.code()).to_owned(),
    }
}

/// A valid request of `rpc` about `case` (of unit `unit`), made fresh for
/// each call: calls that consume their record (settle, resolve, reverse)
/// get a record of their own.
async fn request(all: &All<'_>, rpc: &str, case: &Case, unit: &str) -> Vec<u8> {
    let h = case.household.clone();
    match rpc {
        "NormService/ListNormTables" => pb::ListNormTablesRequest::default().encode_to_vec(),
        "NormService/GetNormTable" => pb::GetNormTableRequest {
            id: "riksnorm-2026".into(),
            version: 0,
        }
        .encode_to_vec(),
        "NormService/GetNormStatus" => pb::GetNormStatusRequest::default().encode_to_vec(),
        "AdminService/ImportNormTable" => {
            // Each import a year of its own: tables of one kind do not overlap.
            let serial = next_serial();
            let id = format!("riksnorm-test-{serial}");
            pb::ImportNormTableRequest {
                norm_table: Some(crate::norms::test_riksnorm(
                    &id,
                    2100 + serial as i32,
                    pb::TableStatus::Provisional,
                )),
            }
            .encode_to_vec()
        }
        "AdminService/VerifyLedger" => pb::VerifyLedgerRequest {}.encode_to_vec(),
        "HouseholdService/CreateHousehold" => pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                members: vec![adult(Applicant, "19800101", next_serial())],
                unit: unit.into(),
                ..Default::default()
            }),
        }
        .encode_to_vec(),
        "HouseholdService/GetHousehold" => pb::GetHouseholdRequest { id: h }.encode_to_vec(),
        "HouseholdService/ListHouseholds" => pb::ListHouseholdsRequest::default().encode_to_vec(),
        "HouseholdService/UpdateHousehold" => {
            let current = all
                .households()
                .get_household(pb::GetHouseholdRequest { id: h })
                .await
                .expect("the household")
                .into_inner()
                .household;
            pb::UpdateHouseholdRequest { household: current }.encode_to_vec()
        }
        "HouseholdService/LookupHousehold" => pb::LookupHouseholdRequest {
            personal_identity_number: case.pin.clone(),
        }
        .encode_to_vec(),
        "HouseholdService/SetHouseholdUnit" => pb::SetHouseholdUnitRequest {
            household_id: h,
            unit: unit.into(),
        }
        .encode_to_vec(),
        "BudgetService/CalculateBudget" => sample_budget().encode_to_vec(),
        "BudgetService/CreateBudget" => pb::CreateBudgetRequest {
            household_id: h,
            month: "2026-03".into(),
            incomes: sample_budget().incomes,
            expenses: sample_budget().expenses,
        }
        .encode_to_vec(),
        "BudgetService/GetBudget" => pb::GetBudgetRequest {
            id: case.budget.clone(),
        }
        .encode_to_vec(),
        "BudgetService/ListBudgets" => pb::ListBudgetsRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "BudgetService/CalculateSocialAssistance" => pb::CalculateSocialAssistanceRequest {
            month: "2026-03".into(),
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "DebtService/CreateDebt" => pb::CreateDebtRequest {
            request_id: rid(),
            debt: Some(crate::debts::debt(
                &h,
                &case.member,
                pb::DebtKind::Rent,
                "1000",
            )),
            balance_date: "2026-11-01".into(),
        }
        .encode_to_vec(),
        "DebtService/GetDebt" => pb::GetDebtRequest {
            id: case.debt.clone(),
        }
        .encode_to_vec(),
        "DebtService/ListDebts" => pb::ListDebtsRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "DebtService/UpdateDebt" => {
            let current = all
                .debts()
                .get_debt(pb::GetDebtRequest {
                    id: case.debt.clone(),
                })
                .await
                .expect("the debt")
                .into_inner()
                .debt;
            pb::UpdateDebtRequest { debt: current }.encode_to_vec()
        }
        "DebtService/RecordDebtEvent" => pb::RecordDebtEventRequest {
            request_id: rid(),
            debt_id: case.debt.clone(),
            kind: pb::DebtEventKind::Payment as i32,
            date: "2026-11-15".into(),
            amount: money("10"),
            note: String::new(),
        }
        .encode_to_vec(),
        "DebtService/SettleDebt" => pb::SettleDebtRequest {
            request_id: rid(),
            debt_id: all.debt(&h, &case.member).await.id,
            date: "2026-11-20".into(),
            note: String::new(),
        }
        .encode_to_vec(),
        "DebtService/ListDebtEvents" => pb::ListDebtEventsRequest {
            debt_id: case.debt.clone(),
            ..Default::default()
        }
        .encode_to_vec(),
        "DebtService/GetDebtOverview" => pb::GetDebtOverviewRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "DebtService/CalculateProtectedAmount" => pb::CalculateProtectedAmountRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2026-03".into(),
                household_id: h,
                housing_cost: money("6000"),
                ..Default::default()
            }),
            net_income: None,
        }
        .encode_to_vec(),
        "DebtService/EstimateDebtRestructuring" => pb::EstimateDebtRestructuringRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2026-03".into(),
                household_id: h,
                housing_cost: money("6000"),
                ..Default::default()
            }),
            net_income: money("20000"),
            claims: vec![pb::CreditorClaim {
                debt_id: case.debt.clone(),
                ..Default::default()
            }],
            ..Default::default()
        }
        .encode_to_vec(),
        "DebtService/CalculateLateInterest" => pb::CalculateLateInterestRequest {
            principal: money("10000"),
            from_date: "2024-01-01".into(),
            to_date: "2024-01-30".into(),
        }
        .encode_to_vec(),
        "RentPlanService/CreateLandlord" => pb::CreateLandlordRequest {
            landlord: Some(pb::Landlord {
                name: "Exempel Bostäder AB".into(),
                organisation_number: "556677-8899".into(),
                bankgiro: "5050-1055".into(),
                ..Default::default()
            }),
        }
        .encode_to_vec(),
        "RentPlanService/GetLandlord" => {
            let l = landlord(&mut all.rent()).await;
            pb::GetLandlordRequest { id: l.id }.encode_to_vec()
        }
        "RentPlanService/ListLandlords" => pb::ListLandlordsRequest::default().encode_to_vec(),
        "RentPlanService/CreateLease" => {
            let l = landlord(&mut all.rent()).await;
            pb::CreateLeaseRequest {
                lease: Some(pb::Lease {
                    household_id: h,
                    landlord_id: l.id,
                    object_reference: "LGH-1102".into(),
                    contract_type: pb::ContractType::FirstHand as i32,
                    ..Default::default()
                }),
                start_month: "2025-01".into(),
                monthly_rent: money("7900"),
            }
            .encode_to_vec()
        }
        "RentPlanService/GetLease" => pb::GetLeaseRequest {
            id: case.lease.clone(),
        }
        .encode_to_vec(),
        "RentPlanService/ListLeases" => pb::ListLeasesRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "RentPlanService/ChangeLeaseRent" => pb::ChangeLeaseRentRequest {
            lease_id: all.lease(&h).await,
            from_month: "2026-07".into(),
            monthly_rent: money("8100"),
        }
        .encode_to_vec(),
        "RentPlanService/GetRentDueDate" => pb::GetRentDueDateRequest {
            month: "2026-12".into(),
        }
        .encode_to_vec(),
        "RentPlanService/CreateEvictionNotice" => pb::CreateEvictionNoticeRequest {
            notice: Some(notice(&case.lease)),
        }
        .encode_to_vec(),
        "RentPlanService/ListEvictionNotices" => pb::ListEvictionNoticesRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "RentPlanService/ResolveEvictionNotice" => pb::ResolveEvictionNoticeRequest {
            id: all.notice(&case.lease).await,
            resolution: pb::NoticeResolution::Paid as i32,
            resolved_date: String::new(),
            note: String::new(),
        }
        .encode_to_vec(),
        "RentPlanService/PreviewRentPaymentPlan" => pb::PreviewRentPaymentPlanRequest {
            lease_id: case.lease.clone(),
            terms: terms("6000", "2026-12", months(6)),
        }
        .encode_to_vec(),
        "RentPlanService/CreateRentPaymentPlan" => pb::CreateRentPaymentPlanRequest {
            request_id: rid(),
            lease_id: all.lease(&h).await,
            terms: terms("6000", "2026-12", months(6)),
            broken_after_missed: 0,
            debt_id: String::new(),
        }
        .encode_to_vec(),
        "RentPlanService/GetRentPaymentPlan" => pb::GetRentPaymentPlanRequest {
            id: case.plan.clone(),
            on_date: String::new(),
        }
        .encode_to_vec(),
        "RentPlanService/ListRentPaymentPlans" => pb::ListRentPaymentPlansRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "RentPlanService/RecordPlanPayment" => pb::RecordPlanPaymentRequest {
            request_id: rid(),
            plan_id: case.plan.clone(),
            date: "2026-11-22".into(),
            amount: money("100"),
        }
        .encode_to_vec(),
        "RentPlanService/SetRentPaymentPlanDebt" => pb::SetRentPaymentPlanDebtRequest {
            plan_id: case.plan.clone(),
            debt_id: String::new(),
        }
        .encode_to_vec(),
        "PayoutService/RecordRentPayout" => {
            crate::payouts::payout(&case.lease, "2026-09", pb::RentPaymentKind::Rent, "100")
                .encode_to_vec()
        }
        "PayoutService/ReverseRentPayout" => {
            let payout = all.payout(&case.lease, "2026-08").await;
            crate::payouts::reverse(&payout).encode_to_vec()
        }
        "PayoutService/GetRentPayout" => pb::GetRentPayoutRequest {
            id: case.payout.clone(),
        }
        .encode_to_vec(),
        "PayoutService/ListRentPayouts" => pb::ListRentPayoutsRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "PayoutService/RecordRentReceipt" => {
            crate::payouts::receipt(&case.lease, "2026-09", pb::RentPaymentKind::Rent, "100")
                .encode_to_vec()
        }
        "PayoutService/GetRentReceipt" => pb::GetRentReceiptRequest {
            id: case.receipt.clone(),
        }
        .encode_to_vec(),
        "PayoutService/ListRentReceipts" => pb::ListRentReceiptsRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "RentCheckService/CheckRentPaid" => pb::CheckRentPaidRequest {
            query: Some(rent_check(&case.pin)),
        }
        .encode_to_vec(),
        "PaymentService/CreatePaymentBatch" => {
            All::batch_of_day(&all.lone_payout(case).await).encode_to_vec()
        }
        "PaymentService/ApprovePaymentBatch" => {
            lone_approval(&all.lone_batch(case, false).await).encode_to_vec()
        }
        "PaymentService/GetPaymentBatch" => pb::GetPaymentBatchRequest {
            id: all.lone_batch(case, false).await,
        }
        .encode_to_vec(),
        "PaymentService/ListPaymentBatches" => {
            pb::ListPaymentBatchesRequest::default().encode_to_vec()
        }
        "PaymentService/CancelPaymentBatch" => pb::CancelPaymentBatchRequest {
            batch_id: all.lone_batch(case, false).await,
            reason: "fel månad".into(),
        }
        .encode_to_vec(),
        "PaymentService/ExportPaymentBatch" => pb::ExportPaymentBatchRequest {
            batch_id: all.lone_batch(case, true).await,
        }
        .encode_to_vec(),
        // Refused before the file is read.
        "PaymentService/ImportPaymentStatus" => pb::ImportPaymentStatusRequest {
            file: b"<Document/>".to_vec(),
        }
        .encode_to_vec(),
        "AuditService/ListAuditEvents" => pb::ListAuditEventsRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "RentPlanService/EndLease" => pb::EndLeaseRequest {
            lease_id: all.lease(&h).await,
            end_month: "2026-08".into(),
        }
        .encode_to_vec(),
        "FollowUpService/GetMonthlyFollowUp" => pb::GetMonthlyFollowUpRequest {
            month: "2026-10".into(),
            unit: unit.into(),
        }
        .encode_to_vec(),
        "FollowUpService/ListMonthlyFollowUp" => pb::ListMonthlyFollowUpRequest {
            from_month: "2026-09".into(),
            to_month: "2026-10".into(),
            unit: String::new(),
        }
        .encode_to_vec(),
        "FollowUpService/RenderFollowUpReport" => pb::RenderFollowUpReportRequest {
            to_month: "2026-10".into(),
            unit: unit.into(),
            date: String::new(),
        }
        .encode_to_vec(),
        "AlertService/ListAlerts" => pb::ListAlertsRequest {
            household_id: h,
            ..Default::default()
        }
        .encode_to_vec(),
        "AlertService/WatchAlerts" => pb::WatchAlertsRequest::default().encode_to_vec(),
        // Acknowledging twice changes nothing: one alert serves every call.
        "AlertService/AcknowledgeAlert" => pb::AcknowledgeAlertRequest {
            id: all.alert(&h).await,
            close: false,
        }
        .encode_to_vec(),
        "DocumentService/RenderDocument" => pb::RenderDocumentRequest {
            kind: pb::DocumentKind::BudgetSummary as i32,
            household_id: h,
            budget_id: case.budget.clone(),
            ..Default::default()
        }
        .encode_to_vec(),
        other => panic!("no request for {other}"),
    }
}

type Cell = (&'static str, &'static str);

const OK: &str = "OK";
const NF: &str = "NOT_FOUND";
const PD: &str = "PERMISSION_DENIED";
const INV: &str = "INVALID_ARGUMENT";
const UNK: &str = "UNKNOWN_SUBJECT";
const FP: &str = "FAILED_PRECONDITION";

/// Allowed, and scoped: the own unit's case answers, the other's is
/// NOT_FOUND, as one that does not exist.
const SCOPED: Cell = (OK, NF);
/// Allowed, and about no household: the same answer for either unit.
const OPEN: Cell = (OK, OK);
/// The role may not call it, whatever the unit.
const DENY: Cell = (PD, PD);

/// Every RPC × role (counsellor, caseworker, payout, rent_check, admin,
/// auditor, attester, statistics) × (own unit, other unit), for tokens scoped to unit A.
#[rustfmt::skip]
const EXPECTED: &[(&str, [Cell; 8])] = &[
    // (own, other) for: counsellor, caseworker, payout, rent_check, admin, auditor, attester, statistics
    ("NormService/ListNormTables",              [OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN]),
    ("NormService/GetNormTable",                [OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN]),
    ("NormService/GetNormStatus",               [OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN]),
    ("AdminService/ImportNormTable",            [DENY, DENY, DENY, DENY, OPEN, DENY, DENY, DENY]),
    ("AdminService/VerifyLedger",               [DENY, DENY, DENY, DENY, DENY, OPEN, DENY, DENY]),
    // Creating a household in a unit the caller does not have is refused.
    ("HouseholdService/CreateHousehold",        [(OK, PD), (OK, PD), DENY, DENY, DENY, DENY, DENY, DENY]),
    ("HouseholdService/GetHousehold",           [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("HouseholdService/ListHouseholds",         [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("HouseholdService/UpdateHousehold",        [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("HouseholdService/LookupHousehold",        [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("HouseholdService/SetHouseholdUnit",       [DENY, DENY, DENY, DENY, SCOPED, DENY, DENY, DENY]),
    ("BudgetService/CalculateBudget",           [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("BudgetService/CreateBudget",              [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("BudgetService/GetBudget",                 [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("BudgetService/ListBudgets",               [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("BudgetService/CalculateSocialAssistance", [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/CreateDebt",                  [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/GetDebt",                     [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/ListDebts",                   [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/UpdateDebt",                  [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/RecordDebtEvent",             [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/SettleDebt",                  [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/ListDebtEvents",              [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/GetDebtOverview",             [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/CalculateProtectedAmount",    [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/EstimateDebtRestructuring",   [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DebtService/CalculateLateInterest",       [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/CreateLandlord",          [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/GetLandlord",             [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/ListLandlords",           [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/CreateLease",             [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/GetLease",                [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/ListLeases",              [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/ChangeLeaseRent",         [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/GetRentDueDate",          [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    // The lease is a field of the notice: "no such lease", as a missing one.
    ("RentPlanService/CreateEvictionNotice",    [(OK, INV), (OK, INV), DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/ListEvictionNotices",     [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/ResolveEvictionNotice",   [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/PreviewRentPaymentPlan",  [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/CreateRentPaymentPlan",   [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/GetRentPaymentPlan",      [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/ListRentPaymentPlans",    [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/RecordPlanPayment",       [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/SetRentPaymentPlanDebt",  [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/RecordRentPayout",          [DENY, DENY, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/ReverseRentPayout",         [DENY, DENY, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/GetRentPayout",             [SCOPED, SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/ListRentPayouts",           [SCOPED, SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/RecordRentReceipt",         [SCOPED, SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/GetRentReceipt",            [SCOPED, SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    ("PayoutService/ListRentReceipts",          [SCOPED, SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    // Another unit's person is an unknown subject, as one in no household.
    ("RentCheckService/CheckRentPaid",          [DENY, (OK, UNK), DENY, (OK, UNK), DENY, DENY, DENY, DENY]),
    ("RentCheckService/CheckRentPaidStream",    [DENY, (OK, UNK), DENY, (OK, UNK), DENY, DENY, DENY, DENY]),
    // An auditor of unit A reading B's household's trail gets no rows.
    ("AuditService/ListAuditEvents",            [DENY, DENY, DENY, DENY, DENY, OPEN, DENY, DENY]),
    // A batch of the other unit's payout is not found; a scoped payout
    // caller gathers only its units' payouts, so there is none to batch.
    ("PaymentService/CreatePaymentBatch",       [DENY, DENY, (OK, FP), DENY, DENY, DENY, DENY, DENY]),
    ("PaymentService/ApprovePaymentBatch",      [DENY, DENY, DENY, DENY, DENY, DENY, SCOPED, DENY]),
    ("PaymentService/GetPaymentBatch",          [DENY, DENY, SCOPED, DENY, DENY, DENY, SCOPED, DENY]),
    // The list shows batches' counts and totals, no household.
    ("PaymentService/ListPaymentBatches",       [DENY, DENY, OPEN, DENY, DENY, DENY, OPEN, DENY]),
    ("PaymentService/CancelPaymentBatch",       [DENY, DENY, SCOPED, DENY, DENY, DENY, SCOPED, DENY]),
    ("PaymentService/ExportPaymentBatch",       [DENY, DENY, SCOPED, DENY, DENY, DENY, DENY, DENY]),
    // A bank file covers every unit: a caller of one unit may not import it.
    ("PaymentService/ImportPaymentStatus",      [DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("RentPlanService/EndLease",                [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    // Figures over the caller's units: another unit asked for is refused.
    ("FollowUpService/GetMonthlyFollowUp",      [DENY, DENY, DENY, DENY, DENY, (OK, PD), DENY, (OK, PD)]),
    ("FollowUpService/ListMonthlyFollowUp",     [DENY, DENY, DENY, DENY, DENY, OPEN, DENY, OPEN]),
    ("FollowUpService/RenderFollowUpReport",    [DENY, DENY, DENY, DENY, DENY, (OK, PD), DENY, (OK, PD)]),
    ("AlertService/ListAlerts",                 [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    // The stream names no household: it opens for either unit, filtered.
    ("AlertService/WatchAlerts",                [OPEN, OPEN, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("AlertService/AcknowledgeAlert",           [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
    ("DocumentService/RenderDocument",          [SCOPED, SCOPED, DENY, DENY, DENY, DENY, DENY, DENY]),
];

#[tokio::test]
async fn every_rpc_times_every_role_times_own_and_other_unit() {
    for backend in backends() {
        let app = spawn(backend).await;
        let all = All(&app);
        let own = all.case(A).await;
        let other = all.case(B).await;
        // The table covers every RPC of the contract, no more.
        let mut rpcs: Vec<&str> = EXPECTED.iter().map(|(rpc, _)| *rpc).collect();
        rpcs.sort_unstable();
        let mut served: Vec<String> = budgetrad::grpc::auth::RPC_ROLES
            .iter()
            .map(|(name, _)| name.trim_start_matches("budgetrad.v1.").to_owned())
            .collect();
        served.sort_unstable();
        assert_eq!(rpcs, served, "the table names every RPC");
        // A column per role: a new role must get its column.
        assert_eq!(Role::ALL.len(), 8, "the table has a column per role");
        let mut failures = Vec::new();
        for (rpc, cells) in EXPECTED {
            for (role, (want_own, want_other)) in Role::ALL.iter().zip(cells) {
                let secret = a_secret(*role);
                for (case, unit, want) in [(&own, A, want_own), (&other, B, want_other)] {
                    let got = if *rpc == "RentCheckService/CheckRentPaidStream" {
                        call_stream(&app, &case.pin, &secret).await
                    } else {
                        let body = request(&all, rpc, case, unit).await;
                        call(&app, rpc, body, &secret).await
                    };
                    if got != *want {
                        failures.push(format!(
                            "{rpc} as {} about unit {unit}: got {got}, want {want}",
                            role.as_str()
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{backend:?}:\n{}", failures.join("\n"));
    }
}

/// Households of the auditor's view of one household's rows.
async fn rows_about(app: &TestApp, household: &str) -> Vec<pb::AuditEvent> {
    all_rows(
        app,
        pb::ListAuditEventsRequest {
            household_id: household.into(),
            ..Default::default()
        },
    )
    .await
}

#[tokio::test]
async fn lists_never_include_another_units_household() {
    for backend in backends() {
        let app = spawn(backend).await;
        let all = All(&app);
        let own = all.case(A).await;
        let other = all.case(B).await;
        let households: Vec<String> = app
            .households_as(Some(&a_secret(Role::Counsellor)))
            .list_households(pb::ListHouseholdsRequest {
                page_size: 500,
                ..Default::default()
            })
            .await
            .expect("a list")
            .into_inner()
            .households
            .into_iter()
            .map(|h| {
                assert_eq!(h.unit, A);
                h.id
            })
            .collect();
        assert_eq!(households, std::slice::from_ref(&own.household));
        // Lists without a household filter: payouts, receipts, notices.
        let mut payouts = app.payouts_as(Some(&a_secret(Role::Payout)));
        let listed = payouts
            .list_rent_payouts(pb::ListRentPayoutsRequest::default())
            .await
            .expect("payouts")
            .into_inner()
            .payouts;
        assert!(!listed.is_empty());
        assert!(listed.iter().all(|p| p.household_id == own.household));
        let receipts = payouts
            .list_rent_receipts(pb::ListRentReceiptsRequest::default())
            .await
            .expect("receipts")
            .into_inner()
            .receipts;
        assert!(!receipts.is_empty());
        assert!(receipts.iter().all(|r| r.household_id == own.household));
        let notices = pb::rent_plan_service_client::RentPlanServiceClient::with_interceptor(
            app.channel(),
            Bearer::new(&a_secret(Role::Caseworker)),
        )
        .list_eviction_notices(pb::ListEvictionNoticesRequest::default())
        .await
        .expect("notices")
        .into_inner()
        .notices;
        assert!(!notices.is_empty());
        assert!(notices.iter().all(|n| n.household_id == own.household));
        // An auditor of unit A reads A's rows, never B's.
        let rows = all_events_as(&app, &a_secret(Role::Auditor)).await;
        assert!(rows.iter().any(|e| e.household_id == own.household));
        assert!(rows.iter().all(|e| e.household_id != other.household));
    }
}

async fn all_events_as(app: &TestApp, secret: &str) -> Vec<pb::AuditEvent> {
    let mut client = app.audit_as(Some(secret));
    let mut events = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_audit_events(pb::ListAuditEventsRequest {
                page_size: 500,
                page_token: token.clone(),
                ..Default::default()
            })
            .await
            .expect("events")
            .into_inner();
        events.extend(page.events);
        if page.next_page_token.is_empty() {
            return events;
        }
        token = page.next_page_token;
    }
}

#[tokio::test]
async fn a_refused_read_of_another_units_household_is_audited_as_refused() {
    for backend in backends() {
        let app = spawn(backend).await;
        let all = All(&app);
        let other = all.case(B).await;
        let counsellor = a_secret(Role::Counsellor);
        let refused = app
            .households_as(Some(&counsellor))
            .get_household(pb::GetHouseholdRequest {
                id: other.household.clone(),
            })
            .await
            .expect_err("another unit's household");
        let missing = app
            .households_as(Some(&counsellor))
            .get_household(pb::GetHouseholdRequest {
                id: uuid::Uuid::now_v7().to_string(),
            })
            .await
            .expect_err("no such household");
        // The caller cannot tell the two apart.
        assert_eq!(refused.code(), Code::NotFound);
        assert_eq!(refused.message(), missing.message());
        assert_eq!(refused.details(), missing.details());
        let debt = app
            .debts_as(Some(&counsellor))
            .get_debt(pb::GetDebtRequest {
                id: other.debt.clone(),
            })
            .await
            .expect_err("another unit's debt");
        assert_eq!(debt.code(), Code::NotFound);
        assert_eq!(debt.message(), "debt not found");
        let checked = app
            .payouts_as(Some(&a_secret(Role::Payout)))
            .record_rent_payout(crate::payouts::payout(
                &other.lease,
                "2026-11",
                pb::RentPaymentKind::Rent,
                "100",
            ))
            .await
            .expect_err("another unit's lease");
        assert_eq!(checked.code(), Code::NotFound);
        assert_eq!(checked.message(), "lease not found");
        let check = call(
            &app,
            "RentCheckService/CheckRentPaid",
            pb::CheckRentPaidRequest {
                query: Some(rent_check(&other.pin)),
            }
            .encode_to_vec(),
            &a_secret(Role::RentCheck),
        )
        .await;
        assert_eq!(check, UNK);

        let rows = rows_about(&app, &other.household).await;
        let refusals: Vec<(&str, &str)> = rows
            .iter()
            .filter(|e| e.outcome == "OTHER_UNIT")
            .map(|e| (e.caller.as_str(), e.method.as_str()))
            .collect();
        assert_eq!(
            refusals,
            [
                (
                    "unit-a-counsellor",
                    "budgetrad.v1.HouseholdService/GetHousehold"
                ),
                ("unit-a-counsellor", "budgetrad.v1.DebtService/GetDebt"),
                (
                    "unit-a-payout",
                    "budgetrad.v1.PayoutService/RecordRentPayout"
                ),
                (
                    "unit-a-rent_check",
                    "budgetrad.v1.RentCheckService/CheckRentPaid"
                ),
            ]
        );
        // The refused payout wrote nothing.
        let payouts = all
            .payouts()
            .list_rent_payouts(pb::ListRentPayoutsRequest {
                household_id: other.household.clone(),
                ..Default::default()
            })
            .await
            .expect("payouts")
            .into_inner()
            .payouts;
        assert_eq!(payouts.len(), 1, "only the fixture's payout");
        // The outcome is a filter an auditor can ask for.
        let filtered = all_rows(
            &app,
            pb::ListAuditEventsRequest {
                outcome: "OTHER_UNIT".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(filtered.len(), 4);
    }
}

#[tokio::test]
async fn an_admin_moves_a_household_and_the_move_is_audited() {
    for backend in backends() {
        let app = spawn(backend).await;
        let all = All(&app);
        let (household, _, _) = all.household(A).await;
        let counsellor = a_secret(Role::Counsellor);
        app.households_as(Some(&counsellor))
            .get_household(pb::GetHouseholdRequest {
                id: household.clone(),
            })
            .await
            .expect("unit A's own");
        let bad = app
            .households_as(Some(&secret_for(Role::Admin)))
            .set_household_unit(pb::SetHouseholdUnitRequest {
                household_id: household.clone(),
                unit: "IFO Barn".into(),
            })
            .await
            .expect_err("not a unit code");
        assert_eq!(field_violations(&bad), ["unit"]);
        // An admin of unit A may not move it out of its units.
        let out = app
            .households_as(Some(&a_secret(Role::Admin)))
            .set_household_unit(pb::SetHouseholdUnitRequest {
                household_id: household.clone(),
                unit: B.into(),
            })
            .await
            .expect_err("not the admin's unit");
        assert_eq!(out.code(), Code::PermissionDenied);
        assert_eq!(error_reason(&out).as_deref(), Some("UNIT_NOT_PERMITTED"));
        let moved = app
            .households_as(Some(&secret_for(Role::Admin)))
            .set_household_unit(pb::SetHouseholdUnitRequest {
                household_id: household.clone(),
                unit: B.into(),
            })
            .await
            .expect("moved")
            .into_inner();
        assert_eq!(moved.previous_unit, A);
        assert_eq!(moved.household.expect("the household").unit, B);
        let gone = app
            .households_as(Some(&counsellor))
            .get_household(pb::GetHouseholdRequest {
                id: household.clone(),
            })
            .await
            .expect_err("now unit B's");
        assert_eq!(gone.code(), Code::NotFound);
        let rows = rows_about(&app, &household).await;
        let moves: Vec<(&str, &str)> = rows
            .iter()
            .filter(|e| e.method == "budgetrad.v1.HouseholdService/SetHouseholdUnit")
            .map(|e| (e.caller.as_str(), e.outcome.as_str()))
            .collect();
        // The refused move is on the trail too.
        assert_eq!(
            moves,
            [("unit-a-admin", "PERMISSION_DENIED"), ("test-admin", "OK")]
        );
        let change = rows
            .iter()
            .find(|e| e.outcome == "OK" && e.method.ends_with("/SetHouseholdUnit"))
            .expect("the move's row");
        let [record] = change.records.as_slice() else {
            panic!("one record: {:?}", change.records);
        };
        let change_id = record.strip_prefix("unit_change:").expect("a unit change");
        // The move keeps the old and the new unit.
        let row = sqlx::query(
            "SELECT household_id, old_unit, new_unit, changed_by FROM household_unit_changes WHERE id = $1",
        )
        .bind(change_id.to_owned())
        .fetch_one(app.store().pool())
        .await
        .expect("the move");
        use sqlx::Row;
        let got: (String, String, String, String) = (
            row.get("household_id"),
            row.get("old_unit"),
            row.get("new_unit"),
            row.get("changed_by"),
        );
        assert_eq!(
            got,
            (household.clone(), A.into(), B.into(), "test-admin".into())
        );
        // And the table is append-only.
        assert!(
            app.execute_sql("UPDATE household_unit_changes SET new_unit = 'ifo'")
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn a_new_household_goes_to_the_callers_only_unit_or_the_default() {
    for backend in backends() {
        let app = spawn(backend).await;
        let create = |secret: String, unit: &str| {
            let mut client = app.households_as(Some(&secret));
            let household = pb::Household {
                members: vec![adult(Applicant, "19800101", next_serial())],
                unit: unit.into(),
                ..Default::default()
            };
            async move {
                client
                    .create_household(pb::CreateHouseholdRequest {
                        household: Some(household),
                    })
                    .await
            }
        };
        let unit_of = |r: Result<tonic::Response<pb::CreateHouseholdResponse>, tonic::Status>| {
            r.expect("created")
                .into_inner()
                .household
                .expect("a household")
                .unit
        };
        // A caller of one unit: its unit.
        assert_eq!(unit_of(create(a_secret(Role::Counsellor), "").await), A);
        // A caller of all units (and the one without units: the default).
        assert_eq!(unit_of(create(ALL_ROLES_SECRET.into(), "").await), "ifo");
        assert_eq!(
            unit_of(create(secret_for(Role::Counsellor), "").await),
            "ifo"
        );
        assert_eq!(unit_of(create(ALL_ROLES_SECRET.into(), B).await), B);
        // A unit the caller does not have: refused, nothing written.
        let before = count_households(&app).await;
        let refused = create(a_secret(Role::Counsellor), B)
            .await
            .expect_err("not the caller's unit");
        assert_eq!(refused.code(), Code::PermissionDenied);
        assert_eq!(
            error_reason(&refused).as_deref(),
            Some("UNIT_NOT_PERMITTED")
        );
        let bad = create(a_secret(Role::Counsellor), "Vuxna!")
            .await
            .expect_err("not a unit code");
        assert_eq!(field_violations(&bad), ["household.unit"]);
        assert_eq!(count_households(&app).await, before);
        // A unit is changed by an admin only, not by an update.
        let mine = create(a_secret(Role::Counsellor), "").await;
        let mut household = mine.expect("created").into_inner().household;
        if let Some(h) = household.as_mut() {
            h.unit = B.into();
        }
        let update = app
            .households_as(Some(ALL_ROLES_SECRET))
            .update_household(pb::UpdateHouseholdRequest { household })
            .await
            .expect_err("a unit change by update");
        assert_eq!(field_violations(&update), ["household.unit"]);
    }
}

async fn count_households(app: &TestApp) -> usize {
    app.households_as(Some(ALL_ROLES_SECRET))
        .list_households(pb::ListHouseholdsRequest {
            page_size: 500,
            ..Default::default()
        })
        .await
        .expect("a list")
        .into_inner()
        .households
        .len()
}

#[tokio::test]
async fn units_in_the_token_file_the_token_cli_and_the_certificate_map() {
    // The token file: a list of codes, or ["*"]; anything else does not
    // parse, so the whole file is refused (fail closed).
    let parsed: budgetrad::grpc::auth::TokenFile = toml::from_str(&format!(
        "[[token]]\nname = \"a\"\nsha256 = \"{}\"\nroles = [\"counsellor\"]\nunits = [\"{A}\", \"{B}\"]\n\
         [[token]]\nname = \"b\"\nsha256 = \"{}\"\nroles = [\"auditor\"]\nunits = [\"*\"]\n",
        hash_secret("a"),
        hash_secret("b"),
    ))
    .expect("parses");
    assert_eq!(parsed.tokens[0].units, Units::parse(&[A, B]));
    assert_eq!(parsed.tokens[1].units, Some(Units::All));
    for bad in ["[\"IFO\"]", "[]", "[\"*\", \"ifo\"]", "\"ifo\""] {
        let text = format!(
            "[[token]]\nname = \"a\"\nsha256 = \"00\"\nroles = [\"counsellor\"]\nunits = {bad}\n"
        );
        assert!(
            toml::from_str::<budgetrad::grpc::auth::TokenFile>(&text).is_err(),
            "{bad}"
        );
    }
    // The client-certificate map.
    let dir = tempfile::tempdir().expect("a temp dir");
    let map = dir.path().join("clients.toml");
    std::fs::write(
        &map,
        format!(
            "[[client]]\nsubject = \"CN=viva-prod\"\nname = \"viva-prod\"\nroles = [\"rent_check\"]\nunits = [\"{A}\"]\n"
        ),
    )
    .expect("written");
    ClientCertificates::from_file(&map).expect("a map with units");
    std::fs::write(
        &map,
        "[[client]]\nsubject = \"CN=x\"\nname = \"x\"\nroles = [\"rent_check\"]\nunits = [\"A B\"]\n",
    )
    .expect("written");
    assert!(ClientCertificates::from_file(&map).is_err());

    // `budgetrad token create --unit`, through the real server.
    use budgetrad::grpc::auth::load_or_bootstrap;
    let tokens_path = dir.path().join("budgetrad-tokens.toml");
    let (store, _) = load_or_bootstrap(
        &tokens_path,
        &dir.path().join("admin.token"),
        chrono::Utc::now(),
    )
    .expect("bootstrap");
    // The bootstrap token sees all units.
    let bootstrap = budgetrad::grpc::auth::read_token_file(&tokens_path).expect("the file");
    assert_eq!(bootstrap.tokens[0].units, Some(Units::All));
    let app = TestApp::builder(budgetrad::store::Backend::Sqlite)
        .tokens(Tokens::watched(tokens_path.clone(), store))
        .spawn()
        .await;
    let file = tokens_path.to_str().expect("a UTF-8 path");
    let created = crate::access::token(&[
        "create",
        "--name",
        "vuxen",
        "--role",
        "counsellor",
        "--unit",
        A,
        "--tokens-file",
        file,
    ]);
    let created: serde_json::Value = serde_json::from_str(&created).expect("JSON");
    assert_eq!(created["units"], serde_json::json!([A]));
    let secret = created["secret"].as_str().expect("a secret").to_owned();
    let listed = crate::access::token(&["list", "--tokens-file", file]);
    let listed: serde_json::Value = serde_json::from_str(&listed).expect("JSON");
    let vuxen = listed
        .as_array()
        .expect("a list")
        .iter()
        .find(|t| t["name"] == "vuxen")
        .expect("listed");
    assert_eq!(vuxen["units"], serde_json::json!([A]));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad"))
        .args([
            "token",
            "create",
            "--name",
            "x",
            "--role",
            "counsellor",
            "--unit",
            "Vuxna",
        ])
        .args(["--tokens-file", file])
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    // The new token creates in its unit once the server has read the file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let unit = loop {
        let created = app
            .households_as(Some(&secret))
            .create_household(pb::CreateHouseholdRequest {
                household: Some(pb::Household {
                    members: vec![adult(Applicant, "19800101", next_serial())],
                    ..Default::default()
                }),
            })
            .await;
        match created {
            Ok(r) => break r.into_inner().household.expect("a household").unit,
            Err(status) if status.code() == Code::Unauthenticated => {
                assert!(std::time::Instant::now() < deadline, "never accepted");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(status) => panic!("{status:?}"),
        }
    };
    assert_eq!(unit, A);
}
