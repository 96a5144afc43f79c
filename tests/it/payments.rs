//! Payouts to the bank and back (issue 21), through the gRPC API on each
//! backend: a batch gathered by the payout system, attested by a second
//! caller, exported as a pain.001 that validates against the ISO schema
//! (when BUDGETRAD_XSD_DIR names the schemas' folder) and whose control sum
//! is the ledger's, then the bank's pain.002 and camt.054, generated here
//! from the exported file, moving each payout along; re-imports change
//! nothing, and every refusal writes nothing.

use tonic::Code;

use budgetrad::app::PaymentSettings;
use budgetrad::domain::payment::pain001::{Debtor, Pain001Version};
use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use pb::RentPaymentKind::Rent;
use pb::rent_check_query::Subject;

use crate::helpers::*;
use crate::leases::{amount, household, lease};
use crate::payouts::{payout, record, refused, reverse};

pub(crate) type Payments = pb::payment_service_client::PaymentServiceClient<Authed>;

pub(crate) fn payments_as(app: &TestApp, secret: &str) -> Payments {
    pb::payment_service_client::PaymentServiceClient::with_interceptor(
        app.channel(),
        Bearer::new(secret),
    )
}

/// The bank profile of the tests: a synthetic municipality's account.
pub(crate) fn bank(version: Pain001Version) -> PaymentSettings {
    PaymentSettings {
        version,
        debtor: Some(
            Debtor::parse(
                "Exempelby kommun",
                "SE45 5000 0000 0583 9825 7466",
                "ESSESESS",
            )
            .expect("a valid synthetic debtor"),
        ),
        batch_max: 100,
    }
}

/// A server with the test bank (pain.001.001.09) and a bankgiro landlord
/// with an address: (server, landlord id).
pub(crate) async fn banked(backend: budgetrad::store::Backend) -> (TestApp, String) {
    let app = TestApp::builder(backend)
        .payments(bank(Pain001Version::V09))
        .spawn()
        .await;
    let l = landlord(&app, ("5050-1055", ""), true).await;
    (app, l)
}

/// A landlord paid by bankgiro or plusgiro, with or without a postal
/// address: its id.
pub(crate) async fn landlord(app: &TestApp, giro: (&str, &str), address: bool) -> String {
    let (bankgiro, plusgiro) = giro;
    app.rent()
        .create_landlord(pb::CreateLandlordRequest {
            landlord: Some(pb::Landlord {
                name: "Exempel Bostäder AB".into(),
                organisation_number: "556677-8899".into(),
                bankgiro: bankgiro.into(),
                plusgiro: plusgiro.into(),
                requires_ocr: false,
                postal_address: address.then(|| pb::LandlordAddress {
                    street_name: "Storgatan".into(),
                    building_number: "12".into(),
                    postal_code: "123 45".into(),
                    town_name: "Exempelby".into(),
                    country: "SE".into(),
                }),
                ..Default::default()
            }),
        })
        .await
        .expect("a landlord")
        .into_inner()
        .landlord
        .expect("a landlord")
        .id
}

/// A household renting from `landlord` for 7 900 a month: (household, lease).
async fn tenant(app: &TestApp, landlord: &str, serial: u32) -> (String, String) {
    let h = household(app, serial).await;
    let l = lease(&mut app.rent(), &h, landlord).await;
    (h, l.id)
}

/// A rent payout for November 2026 without OCR: its id.
async fn pay(app: &TestApp, lease_id: &str, sum: &str, ocr: bool) -> String {
    let mut request = payout(lease_id, "2026-11", Rent, sum);
    if !ocr {
        request.ocr_reference.clear();
    }
    record(&mut app.payouts(), request).await.id
}

pub(crate) async fn get(app: &TestApp, payout_id: &str) -> pb::RentPayout {
    app.payouts()
        .get_rent_payout(pb::GetRentPayoutRequest {
            id: payout_id.into(),
        })
        .await
        .expect("a payout")
        .into_inner()
        .payout
        .expect("a payout")
}

pub(crate) fn states(p: &pb::RentPayout) -> Vec<pb::PayoutBankState> {
    p.bank_states
        .iter()
        .map(|s| pb::PayoutBankState::try_from(s.state).expect("a state"))
        .collect()
}

async fn batch(client: &mut Payments, id: &str) -> pb::PaymentBatch {
    client
        .get_payment_batch(pb::GetPaymentBatchRequest { id: id.into() })
        .await
        .expect("a batch")
        .into_inner()
        .batch
        .expect("a batch")
}

async fn create(client: &mut Payments) -> Result<pb::CreatePaymentBatchResponse, tonic::Status> {
    client
        .create_payment_batch(pb::CreatePaymentBatchRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            from_date: "2026-11-01".into(),
            to_date: "2026-11-30".into(),
            kind: Rent as i32,
        })
        .await
        .map(tonic::Response::into_inner)
}

pub(crate) fn approve(b: &pb::PaymentBatch, total: &str) -> pb::ApprovePaymentBatchRequest {
    pb::ApprovePaymentBatchRequest {
        batch_id: b.id.clone(),
        payout_count: b.payout_count,
        total: money(total),
    }
}

/// The exported file, every chunk in order.
pub(crate) async fn export(client: &mut Payments, batch_id: &str) -> Result<String, tonic::Status> {
    let mut stream = client
        .export_payment_batch(pb::ExportPaymentBatchRequest {
            batch_id: batch_id.into(),
        })
        .await?
        .into_inner();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.message().await? {
        bytes.extend_from_slice(&chunk.chunk);
    }
    Ok(String::from_utf8(bytes).expect("UTF-8"))
}

/// The text of every element `tag` in `xml`, in order.
fn texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(&open)
        .skip(1)
        .map(|rest| rest.split(&close).next().expect("closed").to_owned())
        .collect()
}

/// Validates the file against the ISO schema of `version`, when the
/// schemas are at hand (`.ci/run` fetches them).
fn validate(xml: &str, version: Pain001Version, dir: &std::path::Path) {
    let Ok(xsd_dir) = std::env::var("BUDGETRAD_XSD_DIR") else {
        println!("BUDGETRAD_XSD_DIR not set: the file is not validated against the XSD");
        return;
    };
    let file = dir.join(format!("{}.xml", version.name()));
    std::fs::write(&file, xml).expect("the file is written");
    let schema = std::path::Path::new(&xsd_dir).join(format!("{}.xsd", version.name()));
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "{} does not validate: {}",
        version.name(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A pain.002.001.10 answering `original` (the exported file): the payout
/// `rejected` rejected with AC04, the others accepted.
pub(crate) fn pain002(message_id: &str, original: &str, rejected: &str) -> Vec<u8> {
    let original_id = &texts(original, "MsgId")[0];
    let mut txs = String::new();
    for e2e in texts(original, "EndToEndId") {
        if e2e == rejected {
            txs.push_str(&format!(
                "<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>\
                 <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>"
            ));
        } else {
            txs.push_str(&format!(
                "<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>"
            ));
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"><CstmrPmtStsRpt>\
         <GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>2026-11-23T08:00:00</CreDtTm></GrpHdr>\
         <OrgnlGrpInfAndSts><OrgnlMsgId>{original_id}</OrgnlMsgId>\
         <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>\
         <OrgnlPmtInfAndSts><OrgnlPmtInfId>{original_id}-1</OrgnlPmtInfId>{txs}</OrgnlPmtInfAndSts>\
         </CstmrPmtStsRpt></Document>"
    )
    .into_bytes()
}

/// A camt.054.001.08 booking the payouts `booked` of the exported file, one
/// entry each.
fn camt054(message_id: &str, original: &str, booked: &[String]) -> Vec<u8> {
    let amounts: Vec<&str> = original
        .split("<InstdAmt Ccy=\"SEK\">")
        .skip(1)
        .map(|rest| rest.split("</InstdAmt>").next().expect("closed"))
        .collect();
    let ids = texts(original, "EndToEndId");
    let mut entries = String::new();
    for (e2e, sum) in ids.iter().zip(&amounts) {
        if !booked.contains(e2e) {
            continue;
        }
        entries.push_str(&format!(
            "<Ntry><Amt Ccy=\"SEK\">{sum}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\
             <BookgDt><Dt>2026-11-24</Dt></BookgDt>\
             <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
             <NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><BkToCstmrDbtCdtNtfctn>\
         <GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>2026-11-24T06:00:00</CreDtTm></GrpHdr>\
         <Ntfctn><Id>{message_id}-1</Id><CreDtTm>2026-11-24T06:00:00</CreDtTm>\
         <Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id></Acct>{entries}</Ntfctn>\
         </BkToCstmrDbtCdtNtfctn></Document>"
    )
    .into_bytes()
}

pub(crate) async fn import(
    client: &mut Payments,
    file: Vec<u8>,
) -> pb::ImportPaymentStatusResponse {
    client
        .import_payment_status(pb::ImportPaymentStatusRequest { file })
        .await
        .expect("an import")
        .into_inner()
}

async fn rent_check(app: &TestApp, household_id: &str) -> pb::RentCheckResult {
    pb::rent_check_service_client::RentCheckServiceClient::with_interceptor(
        app.channel(),
        app.bearer_for(Role::RentCheck),
    )
    .check_rent_paid(pb::CheckRentPaidRequest {
        query: Some(pb::RentCheckQuery {
            subject: Some(Subject::HouseholdId(household_id.into())),
            application_month: "2026-12".into(),
            rent_month: "2026-11".into(),
            as_of: String::new(),
        }),
    })
    .await
    .expect("a check")
    .into_inner()
    .result
    .expect("a result")
}

fn assert_refused(status: &tonic::Status, reason: &str) {
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    assert_eq!(error_reason(status).as_deref(), Some(reason), "{status:?}");
}

/// Rows of a table, to prove a refusal wrote nothing.
async fn rows(app: &TestApp, table: &'static str) -> i64 {
    let sql: &'static str =
        Box::leak(format!("SELECT COUNT(*) AS n FROM {table}").into_boxed_str());
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
        .fetch_one(app.store().pool())
        .await
        .expect("a count")
}

const TABLES: [&str; 5] = [
    "payment_batches",
    "payment_batch_payouts",
    "payment_batch_events",
    "payout_bank_states",
    "rent_payout_reversals",
];

async fn all_rows(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(rows(app, table).await);
    }
    counts
}

/// A row in each table of payment batches, through the API (for the
/// database guards): a batch of one payout, attested, exported, and the
/// bank's pain.002 accepting it (a state row: BATCHED and SENT are the
/// batch's own rows). `app` has the test bank ([`bank`]).
pub(crate) async fn batch_through_the_api(app: &TestApp, serial: u32) {
    let l = landlord(app, ("5050-1055", ""), true).await;
    let (_, lease_id) = tenant(app, &l, serial + 100).await;
    pay(app, &lease_id, "100", false).await;
    let made = create(&mut payments_as(app, &secret_for(Role::Payout)))
        .await
        .expect("a batch")
        .batch
        .expect("a batch");
    payments_as(app, &secret_for(Role::Attester))
        .approve_payment_batch(approve(&made, "100"))
        .await
        .expect("attested");
    let mut payout_caller = payments_as(app, &secret_for(Role::Payout));
    let file = export(&mut payout_caller, &made.id).await.expect("a file");
    import(&mut payout_caller, pain002("BANK-GUARD-1", &file, "")).await;
}

#[tokio::test]
async fn payouts_go_to_the_bank_and_back() {
    for version in [Pain001Version::V09, Pain001Version::V03] {
        for backend in backends() {
            println!("--- backend: {backend:?}, {}", version.name());
            let app = TestApp::builder(backend)
                .payments(bank(version))
                .spawn()
                .await;
            round_trip(&app, version).await;
        }
    }
}

async fn round_trip(app: &TestApp, version: Pain001Version) {
    let by_bankgiro = landlord(app, ("5050-1055", ""), true).await;
    let by_plusgiro = landlord(app, ("", "441840"), true).await;
    let no_address = landlord(app, ("5050-1055", ""), false).await;
    let (ha, la) = tenant(app, &by_bankgiro, 601).await;
    let (hb, lb) = tenant(app, &by_bankgiro, 602).await;
    let (_, lc) = tenant(app, &by_plusgiro, 603).await;
    let (_, ld) = tenant(app, &no_address, 604).await;
    let a = pay(app, &la, "7900", true).await;
    let b = pay(app, &lb, "7900", false).await;
    let c = pay(app, &lc, "5000.50", false).await;
    let d = pay(app, &ld, "100", false).await;

    let mut payout_caller = payments_as(app, &secret_for(Role::Payout));
    let mut attester = payments_as(app, &secret_for(Role::Attester));
    let created = create(&mut payout_caller).await.expect("a batch");
    let made = created.batch.expect("a batch");
    assert_eq!(made.payout_count, 3);
    assert_eq!(amount(&made.total), "20800.50");
    assert_eq!(
        created.left_without_address, 1,
        "the landlord without address"
    );
    assert_eq!(
        pb::PaymentBatchStatus::try_from(made.status),
        Ok(pb::PaymentBatchStatus::Created)
    );
    let listed = batch(&mut payout_caller, &made.id).await;
    assert_eq!(listed.created_by, "test-payout");
    let in_batch = payout_caller
        .get_payment_batch(pb::GetPaymentBatchRequest {
            id: made.id.clone(),
        })
        .await
        .expect("a batch")
        .into_inner()
        .payout_ids;
    assert_eq!(in_batch.len(), 3);
    assert!(!in_batch.contains(&d));

    // Guards, each writing nothing.
    let before = all_rows(app).await;
    let status = refused(app.payouts().reverse_rent_payout(reverse(&a)).await);
    assert_refused(&status, "PAYOUT_IN_BATCH");
    assert!(get(app, &a).await.reversal.is_none());
    let status = refused(
        export(&mut payout_caller, &made.id)
            .await
            .map(tonic::Response::new),
    );
    assert_refused(&status, "BATCH_NOT_APPROVED");
    let status = refused(
        attester
            .approve_payment_batch(approve(&made, "20800.49"))
            .await,
    );
    assert_refused(&status, "BATCH_CHANGED");
    let mut wrong_count = approve(&made, "20800.50");
    wrong_count.payout_count = 2;
    assert_refused(
        &refused(attester.approve_payment_batch(wrong_count).await),
        "BATCH_CHANGED",
    );
    let status = refused(
        payout_caller
            .approve_payment_batch(approve(&made, "20800.50"))
            .await,
    );
    assert_eq!(
        status.code(),
        Code::PermissionDenied,
        "the payout role does not attest"
    );
    assert_refused(
        &refused(create(&mut payout_caller).await.map(tonic::Response::new)),
        "NO_PAYOUTS_TO_BATCH",
    );
    assert_eq!(all_rows(app).await, before, "the refusals wrote nothing");
    // The database refuses a reversal of a payout in a live batch too.
    let sql: &'static str = Box::leak(
        format!(
            "INSERT INTO rent_payout_reversals (id, request_id, request_hash, payout_id, reason, recorded_by, recorded_at) \
             VALUES ('{}', '{}', 'x', '{a}', 'test', 'test', '2026-11-22T10:00:00Z')",
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4()
        )
        .into_boxed_str(),
    );
    assert!(
        app.execute_sql(sql).await.is_err(),
        "the trigger refuses it"
    );
    assert_eq!(all_rows(app).await, before);

    // Attested by a second caller, then exported.
    let approved = attester
        .approve_payment_batch(approve(&made, "20800.50"))
        .await
        .expect("attested")
        .into_inner()
        .batch
        .expect("a batch");
    assert_eq!(approved.approved_by, "test-attester");
    let file = export(&mut payout_caller, &made.id).await.expect("a file");
    validate(&file, version, app.database_dir());
    assert!(file.contains(version.namespace()));
    assert_eq!(texts(&file, "NbOfTxs"), ["3"]);
    // The control sum is the ledger's: the sum of the payouts as recorded.
    let mut ledger_ore = 0;
    for id in [&a, &b, &c] {
        let p = get(app, id).await;
        let (kr, ore) = amount(&p.amount).split_once('.').expect("two decimals");
        ledger_ore += kr.parse::<i64>().unwrap() * 100 + ore.parse::<i64>().unwrap();
    }
    let control = &texts(&file, "CtrlSum")[0];
    assert_eq!(
        control,
        &format!("{}.{:02}", ledger_ore / 100, ledger_ore % 100)
    );
    let e2e = |id: &str| id.replace('-', "");
    assert_eq!(
        texts(&file, "EndToEndId"),
        in_batch.iter().map(|id| e2e(id)).collect::<Vec<_>>()
    );
    assert!(file.contains("<Prtry>BGNR</Prtry>"));
    assert!(file.contains("<MmbId>9900</MmbId>") && file.contains("<MmbId>9960</MmbId>"));
    assert!(file.contains("<Cd>SCOR</Cd>"), "payout a carries its OCR");
    assert!(file.contains("<Ustrd>BESLUT-2026-00417</Ustrd>"));
    assert!(file.contains("<TwnNm>Exempelby</TwnNm>") && file.contains("<Ctry>SE</Ctry>"));
    // An export again gives the same file; the batch can no longer be
    // cancelled.
    assert_eq!(
        export(&mut payout_caller, &made.id).await.expect("a file"),
        file
    );
    assert_refused(
        &refused(
            payout_caller
                .cancel_payment_batch(pb::CancelPaymentBatchRequest {
                    batch_id: made.id.clone(),
                    reason: "fel".into(),
                })
                .await,
        ),
        "BATCH_ALREADY_EXPORTED",
    );
    use pb::PayoutBankState::{Accepted, Batched, Booked, Rejected, Sent};
    assert_eq!(states(&get(app, &a).await), [Batched, Sent]);

    // Before the bank answers, the month's rent is paid out in full.
    let more = payout(&la, "2026-11", Rent, "100");
    assert_refused(
        &refused(app.payouts().record_rent_payout(more.clone()).await),
        "PAYOUT_EXCEEDS_RENT",
    );

    // pain.002: all accepted but a, rejected AC04.
    let answer = pain002("BANK-STS-1", &file, &e2e(&a));
    let imported = import(&mut payout_caller, answer.clone()).await;
    assert!(!imported.already_imported);
    assert_eq!(imported.message_id, "BANK-STS-1");
    assert_eq!(imported.outcomes.len(), 3);
    let rejected = get(app, &a).await;
    assert_eq!(states(&rejected), [Batched, Sent, Rejected]);
    assert_eq!(rejected.bank_states[2].reason_code, "AC04");
    assert_eq!(states(&get(app, &b).await), [Batched, Sent, Accepted]);
    // The rejected payout counts for nothing: the rent check sees it
    // unpaid, and the month's rent may be paid again.
    let check_a = rent_check(app, &ha).await;
    assert_eq!(amount(&check_a.paid_by_payouts), "0.00");
    assert!(!check_a.payout_ids.contains(&a));
    assert_eq!(check_a.failed_payout_ids, std::slice::from_ref(&a));
    assert_eq!(
        pb::RentCheckStatus::try_from(check_a.status),
        Ok(pb::RentCheckStatus::NotPaid)
    );
    let check_b = rent_check(app, &hb).await;
    assert_eq!(amount(&check_b.paid_by_payouts), "7900.00");
    assert!(check_b.failed_payout_ids.is_empty());
    record(&mut app.payouts(), more).await;

    // camt.054 books the rest.
    let booked = vec![e2e(&b), e2e(&c)];
    let statement = camt054("BANK-NTF-1", &file, &booked);
    let imported = import(&mut payout_caller, statement.clone()).await;
    assert_eq!(
        imported
            .outcomes
            .iter()
            .filter(|o| o.state == Booked as i32)
            .count(),
        2
    );
    assert_eq!(
        states(&get(app, &b).await),
        [Batched, Sent, Accepted, Booked]
    );
    assert_eq!(
        states(&get(app, &c).await),
        [Batched, Sent, Accepted, Booked]
    );
    assert_eq!(states(&get(app, &a).await), [Batched, Sent, Rejected]);

    // Re-importing either file changes nothing.
    let before = all_rows(app).await;
    for file in [answer, statement] {
        let again = import(&mut payout_caller, file).await;
        assert!(again.already_imported);
        assert!(again.outcomes.is_empty());
    }
    assert_eq!(all_rows(app).await, before);
    assert_eq!(
        states(&get(app, &b).await),
        [Batched, Sent, Accepted, Booked]
    );
    // A file that is neither message is refused on `file`.
    let status = refused(
        payout_caller
            .import_payment_status(pb::ImportPaymentStatusRequest {
                file: b"<Document><Other/></Document>".to_vec(),
            })
            .await,
    );
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(field_violations(&status), ["file"]);
}

#[tokio::test]
async fn the_creator_does_not_attest_and_a_cancelled_batch_frees_its_payouts() {
    for backend in backends() {
        let (app, l) = banked(backend).await;
        let (_, lease_a) = tenant(&app, &l, 611).await;
        let (_, lease_b) = tenant(&app, &l, 612).await;
        let a = pay(&app, &lease_a, "7900", true).await;
        let b = pay(&app, &lease_b, "4000", false).await;
        // One caller with every role creates the batch: it may not attest it.
        let mut all = payments_as(&app, ALL_ROLES_SECRET);
        let made = create(&mut all)
            .await
            .expect("a batch")
            .batch
            .expect("a batch");
        let before = all_rows(&app).await;
        assert_refused(
            &refused(all.approve_payment_batch(approve(&made, "11900")).await),
            "SAME_CALLER_CANNOT_ATTEST",
        );
        assert_eq!(all_rows(&app).await, before);
        let cancelled = all
            .cancel_payment_batch(pb::CancelPaymentBatchRequest {
                batch_id: made.id.clone(),
                reason: "fel månad".into(),
            })
            .await
            .expect("cancelled")
            .into_inner()
            .batch
            .expect("a batch");
        assert_eq!(
            pb::PaymentBatchStatus::try_from(cancelled.status),
            Ok(pb::PaymentBatchStatus::Cancelled)
        );
        assert_eq!(cancelled.cancel_reason, "fel månad");
        // A cancelled batch is neither attested nor exported.
        let mut attester = payments_as(&app, &secret_for(Role::Attester));
        assert_refused(
            &refused(
                attester
                    .approve_payment_batch(approve(&made, "11900"))
                    .await,
            ),
            "BATCH_NOT_APPROVABLE",
        );
        // Its payouts are free: one is reversed, the other batched again.
        let reversed = app
            .payouts()
            .reverse_rent_payout(reverse(&a))
            .await
            .expect("reversed")
            .into_inner()
            .payout
            .expect("a payout");
        assert!(reversed.reversal.is_some());
        let again = create(&mut payments_as(&app, &secret_for(Role::Payout)))
            .await
            .expect("a batch")
            .batch
            .expect("a batch");
        assert_eq!(again.payout_count, 1);
        assert_eq!(amount(&again.total), "4000.00");
        let listed = payments_as(&app, &secret_for(Role::Attester))
            .list_payment_batches(pb::ListPaymentBatchesRequest::default())
            .await
            .expect("a list")
            .into_inner()
            .batches;
        assert_eq!(
            listed.iter().map(|b| b.id.clone()).collect::<Vec<_>>(),
            [again.id.clone(), made.id.clone()],
            "newest first"
        );
        let _ = b;
    }
}

#[tokio::test]
async fn an_export_needs_the_debtor_account() {
    on_each_backend(|app| async move {
        let l = landlord(&app, ("5050-1055", ""), true).await;
        let (_, lease_a) = tenant(&app, &l, 621).await;
        pay(&app, &lease_a, "7900", true).await;
        let mut payout_caller = payments_as(&app, &secret_for(Role::Payout));
        let made = create(&mut payout_caller)
            .await
            .expect("a batch")
            .batch
            .expect("a batch");
        payments_as(&app, &secret_for(Role::Attester))
            .approve_payment_batch(approve(&made, "7900"))
            .await
            .expect("attested");
        let before = all_rows(&app).await;
        let status = refused(
            export(&mut payout_caller, &made.id)
                .await
                .map(tonic::Response::new),
        );
        assert_refused(&status, "BANK_NOT_CONFIGURED");
        assert_eq!(all_rows(&app).await, before, "not marked sent");
        // A landlord's address is checked when given.
        let status = refused(
            app.rent()
                .create_landlord(pb::CreateLandlordRequest {
                    landlord: Some(pb::Landlord {
                        name: "Exempel Bostäder AB".into(),
                        organisation_number: "556677-8899".into(),
                        bankgiro: "5050-1055".into(),
                        postal_address: Some(pb::LandlordAddress {
                            town_name: String::new(),
                            country: "Sverige".into(),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                })
                .await,
        );
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(
            field_violations(&status),
            [
                "landlord.postal_address.town_name",
                "landlord.postal_address.country"
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn the_cli_creates_attests_exports_and_reads_the_answer() {
    use crate::debts::cli_as;
    for backend in backends() {
        let (app, l) = banked(backend).await;
        let (_, lease_a) = tenant(&app, &l, 631).await;
        let a = pay(&app, &lease_a, "7900", true).await;
        let created = cli_as(
            &app,
            Role::Payout,
            &["payments", "batch", "create", "--json"],
        )
        .await;
        let batch: serde_json::Value = serde_json::from_str(&created).expect("JSON");
        let id = batch["id"].as_str().expect("an id").to_owned();
        assert_eq!(batch["payout_count"], 1);
        let approved = cli_as(
            &app,
            Role::Attester,
            &[
                "payments", "batch", "approve", &id, "--count", "1", "--total", "7900",
            ],
        )
        .await;
        assert!(approved.contains("Status:        attesterad"), "{approved}");
        let out = app.database_dir().join("betalning.xml");
        let out_text = out.display().to_string();
        let exported = cli_as(
            &app,
            Role::Payout,
            &["payments", "batch", "export", &id, "--out", &out_text],
        )
        .await;
        assert!(exported.starts_with("Betalfilen skrevs till"), "{exported}");
        let file = std::fs::read_to_string(&out).expect("the file");
        assert_eq!(texts(&file, "NbOfTxs"), ["1"]);
        let answer = app.database_dir().join("svar.xml");
        std::fs::write(&answer, pain002("BANK-CLI-1", &file, "")).expect("written");
        let answer_text = answer.display().to_string();
        let read = cli_as(
            &app,
            Role::Payout,
            &["payments", "batch", "status", &answer_text],
        )
        .await;
        assert!(read.contains("godkänd av banken"), "{read}");
        let again = cli_as(
            &app,
            Role::Payout,
            &["payments", "batch", "status", &answer_text],
        )
        .await;
        assert!(again.contains("redan inläst"), "{again}");
        let shown = cli_as(&app, Role::Attester, &["payments", "batch", "show", &id]).await;
        assert!(shown.contains("exporterad"), "{shown}");
        let listed = cli_as(&app, Role::Payout, &["payments", "batch", "list"]).await;
        assert!(listed.contains(&id), "{listed}");
        // The sum says "kr" once, and --lang en prints the batch in English.
        for text in [&shown, &listed] {
            assert!(!text.contains("kr kr"), "{text}");
        }
        let english = cli_as(
            &app,
            Role::Attester,
            &["--lang", "en", "payments", "batch", "show", &id],
        )
        .await;
        assert!(english.contains("Payment batch"), "{english}");
        assert!(english.contains("Status:        exported"), "{english}");
        assert!(!english.contains("Betalningsuppdrag"), "{english}");
        assert_eq!(
            states(&get(&app, &a).await),
            [
                pb::PayoutBankState::Batched,
                pb::PayoutBankState::Sent,
                pb::PayoutBankState::Accepted
            ]
        );
    }
}

/// The arrears payouts not yet batched, in a batch attested for `total`
/// and exported: the payout caller and the file.
pub(crate) async fn arrears_exported(app: &TestApp, total: &str) -> (Payments, String) {
    let mut payout_caller = payments_as(app, &secret_for(Role::Payout));
    let made = payout_caller
        .create_payment_batch(pb::CreatePaymentBatchRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            kind: pb::RentPaymentKind::Arrears as i32,
            ..Default::default()
        })
        .await
        .expect("a batch")
        .into_inner()
        .batch
        .expect("a batch");
    payments_as(app, &secret_for(Role::Attester))
        .approve_payment_batch(approve(&made, total))
        .await
        .expect("attested");
    let file = export(&mut payout_caller, &made.id).await.expect("a file");
    (payout_caller, file)
}

#[tokio::test]
async fn a_rejected_arrears_payout_frees_the_open_arrears() {
    use crate::leases::{months, plan, terms};
    use pb::RentPaymentKind::Arrears;
    for backend in backends() {
        let (app, l) = banked(backend).await;
        let (_, lease_id) = tenant(&app, &l, 641).await;
        plan(
            &mut app.rent(),
            &lease_id,
            terms("4000", "2026-09", months(4)),
            4,
        )
        .await;
        let mut request = payout(&lease_id, "2026-11", Arrears, "4000");
        request.ocr_reference.clear();
        let paid = record(&mut app.payouts(), request).await;
        let mut more = payout(&lease_id, "2026-11", Arrears, "100");
        more.ocr_reference.clear();
        let status = refused(app.payouts().record_rent_payout(more.clone()).await);
        assert_refused(&status, "NO_OPEN_ARREARS");

        let (mut payout_caller, file) = arrears_exported(&app, "4000").await;
        let e2e = paid.id.replace('-', "");
        import(&mut payout_caller, pain002("BANK-ARR-1", &file, &e2e)).await;
        assert_eq!(
            states(&get(&app, &paid.id).await).last(),
            Some(&pb::PayoutBankState::Rejected)
        );
        // The money never left: the plan's arrears are open again.
        record(&mut app.payouts(), more).await;
    }
}
