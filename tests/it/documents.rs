//! Issue 20: every document kind rendered through `RenderDocument` from one
//! worked case on each backend; each PDF opens, is PDF/A-2b by its XMP
//! metadata, and its text holds the case's figures and no raw id.

use tonic::Code;

use budgetrad::grpc::auth::{Role, Signature, TokenEntry, TokenStore, Tokens, hash_secret};
use budgetrad::pb;
use pb::DocumentKind as Kind;
use pb::MemberRole::Applicant;

use crate::case_offer::{create_debt, offer_case, single_parent};
use crate::helpers::*;

type Documents = pb::document_service_client::DocumentServiceClient<Authed>;

fn documents(app: &TestApp, role: Role) -> Documents {
    let bearer = app.bearer_for(role);
    pb::document_service_client::DocumentServiceClient::with_interceptor(app.channel(), bearer)
}

/// A counsellor whose token entry names how it signs letters.
const SIGNED_SECRET: &str = "documents-signed-counsellor";

fn signed(app: &TestApp) -> Documents {
    pb::document_service_client::DocumentServiceClient::with_interceptor(
        app.channel(),
        TestApp::bearer(Some(SIGNED_SECRET)),
    )
}

/// Each backend with the test tokens plus the signing counsellor's.
async fn on_each_backend_signed<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut file = test_token_file();
    file.tokens.push(TokenEntry {
        name: "anna.lind".into(),
        sha256: hash_secret(SIGNED_SECRET),
        roles: vec![Role::Counsellor],
        units: None,
        expires_at: None,
        signature: Some(
            Signature::new("Anna Lind", "Budget- och skuldrådgivningen").expect("a signature"),
        ),
    });
    for backend in backends() {
        let app = TestApp::builder(backend)
            .tokens(Tokens::fixed(TokenStore::from_file(file.clone())))
            .spawn()
            .await;
        test(app).await;
    }
}

/// Gives the worked case's household its display name and postal address
/// (c/o), its applicant a name, and one creditor a postal address.
async fn name_the_case(app: &TestApp, household_id: &str, creditor: &pb::Debt) {
    let mut households = app.households();
    let mut h = households
        .get_household(pb::GetHouseholdRequest {
            id: household_id.into(),
        })
        .await
        .expect("the household")
        .into_inner()
        .household
        .expect("a household");
    h.display_name = "Maria Berg".into();
    h.postal_address = Some(pb::PostalAddress {
        care_of: "Lindqvist".into(),
        street_address: "Storgatan 12 B".into(),
        postal_code: "11122".into(),
        town: "Exempelby".into(),
    });
    h.members[0].given_name = "Maria".into();
    h.members[0].family_name = "Berg".into();
    h.members[1].given_name = "Leo".into();
    h.members[1].family_name = "Berg".into();
    let saved = households
        .update_household(pb::UpdateHouseholdRequest { household: Some(h) })
        .await
        .expect("named")
        .into_inner()
        .household
        .expect("a household");
    assert_eq!(
        saved.postal_address.expect("an address").postal_code,
        "111 22"
    );
    assert_eq!(saved.members[0].given_name, "Maria");
    let mut debt = creditor.clone();
    debt.creditor_postal_address = Some(pb::PostalAddress {
        street_address: "Box 123".into(),
        postal_code: "999 88".into(),
        town: "Långtbortistan".into(),
        ..Default::default()
    });
    let saved = app
        .debts()
        .update_debt(pb::UpdateDebtRequest { debt: Some(debt) })
        .await
        .expect("addressed")
        .into_inner()
        .debt
        .expect("a debt");
    assert_eq!(
        saved.creditor_postal_address.expect("an address").town,
        "Långtbortistan"
    );
}

/// The worked case of `case_offer`, its names given.
struct Case {
    household_id: String,
    budget_id: String,
    plan_id: String,
    sms_id: String,
}

async fn worked_case(app: &TestApp) -> Case {
    let c = offer_case(app, 883).await;
    name_the_case(app, &c.household.id, &c.sms).await;
    Case {
        household_id: c.household.id,
        budget_id: c.budget_id,
        plan_id: c.plan.id,
        sms_id: c.sms.id,
    }
}

fn request(case: &Case, kind: Kind) -> pb::RenderDocumentRequest {
    pb::RenderDocumentRequest {
        kind: kind as i32,
        household_id: case.household_id.clone(),
        date: "2026-11-25".into(),
        budget_id: case.budget_id.clone(),
        rent_payment_plan_id: case.plan_id.clone(),
        social_assistance: Some(pb::CalculateSocialAssistanceRequest {
            month: "2026-11".into(),
            costs: vec![pb::ReasonableCost {
                kind: pb::ReasonableCostKind::Rent as i32,
                amount: money("7900"),
                frequency: pb::Frequency::Monthly as i32,
                ..Default::default()
            }],
            ..Default::default()
        }),
        debt_restructuring: Some(pb::EstimateDebtRestructuringRequest {
            input: Some(pb::ProtectedAmountInput {
                month: "2026-11".into(),
                housing_cost: money("7900"),
                ..Default::default()
            }),
            net_income: money("15000"),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The PDF's text, its no-break spaces as spaces.
pub(crate) fn text_of(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF opens");
    assert!(!doc.get_pages().is_empty());
    // Words as one line: a caption the page wraps ("Budget- och" /
    // "skuldrådgivningen") is still found.
    pdf_extract::extract_text_from_mem(pdf)
        .expect("text extracts")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn is_pdf_a_2b(pdf: &[u8]) -> bool {
    let raw = String::from_utf8_lossy(pdf);
    raw.contains("<pdfaid:part>2</pdfaid:part>")
        && raw.contains("<pdfaid:conformance>B</pdfaid:conformance>")
}

/// Whether `text` holds an 8-4-4-4-12 hex UUID.
pub(crate) fn has_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(35)).any(|i| {
        b[i..i + 36].iter().enumerate().all(|(k, c)| match k {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
    })
}

async fn render(
    client: &mut Documents,
    r: pb::RenderDocumentRequest,
) -> pb::RenderDocumentResponse {
    client
        .render_document(r)
        .await
        .expect("rendered")
        .into_inner()
}

#[tokio::test]
async fn every_kind_renders_as_pdf_a_with_its_figures_and_no_raw_id() {
    on_each_backend_signed(|app| async move {
        let case = worked_case(&app).await;
        let mut client = signed(&app);
        let expected: [(Kind, &[&str]); 8] = [
            (
                Kind::BudgetSummary,
                &[
                    "Hushållsbudget för november 2026",
                    "15 000,00 kr",
                    "4 937,00 kr",
                    "klientens underskrift: Maria Berg",
                    "Anna Lind, Budget- och skuldrådgivningen",
                    // The service's warning, in Swedish on the page.
                    "Ingen tabell med referensvärden gäller för november 2026",
                ],
            ),
            (
                Kind::SocialAssistanceCalculation,
                &[
                    "Beräkning av försörjningsstöd för november 2026",
                    "7 900,00 kr",
                ],
            ),
            (
                Kind::DebtOverview,
                &[
                    "Skuldöversikt",
                    "Exempel Energi AB",
                    "57 550,00 kr",
                    "2 337,00 kr",
                ],
            ),
            (
                Kind::CreditorRequest,
                &[
                    "Begäran om skuldbesked",
                    "Centrala studiestödsnämnden",
                    "F-1801",
                    "Gäldenär: Maria Berg, c/o Lindqvist, Storgatan 12 B, 111 22 EXEMPELBY",
                    "Box 123",
                    "999 88 LÅNGTBORTISTAN",
                ],
            ),
            (
                Kind::CreditorOffer,
                &[
                    "Förslag till avbetalning",
                    "1 752,75 kr",
                    "584,25 kr",
                    "2 337,00 kr",
                ],
            ),
            (
                Kind::RentArrearsAgreement,
                &[
                    "Avbetalningsplan för hyresskuld",
                    "14 350,00 kr",
                    "30 november 2026",
                    "Hyresvärd",
                    "Hyresgäst: Maria Berg",
                ],
            ),
            (
                Kind::SkuldsaneringEstimate,
                &["UPPSKATTNING", "Förbehållsbelopp", "Per borgenär"],
            ),
            (
                Kind::MonthlyBinderPage,
                &["Månadsblad för november 2026", "Betalt", "30 november 2026"],
            ),
        ];
        for (kind, figures) in expected {
            let r = render(&mut client, request(&case, kind)).await;
            assert_eq!(r.kind, kind as i32);
            assert!(is_pdf_a_2b(&r.pdf), "{kind:?} is not PDF/A-2b");
            let text = text_of(&r.pdf);
            for figure in figures {
                assert!(
                    text.contains(figure),
                    "{kind:?}: {figure:?} missing from\n{text}"
                );
            }
            assert!(text.contains("Kommunen"), "{kind:?}: no municipality");
            assert!(text.contains("25 november 2026"), "{kind:?}: no date");
            assert!(text.contains("Sida 1 av"), "{kind:?}: no page number");
            // The document's own id is printed (the audit names it); no
            // other id is.
            assert!(text.contains(&r.document_id), "{kind:?}: no document id");
            assert!(
                !has_uuid(&text.replace(&r.document_id, "")),
                "{kind:?}: a raw UUID in\n{text}"
            );
            // The twin is the same content, with the ids behind the bases.
            let twin: serde_json::Value = serde_json::from_str(&r.json).expect("JSON");
            assert_eq!(twin["kind"], kind.as_str_name());
            assert_eq!(twin["document_id"], r.document_id.as_str());

            // The audit row names the document.
            let rows = all_rows(
                &app,
                pb::ListAuditEventsRequest {
                    record_id: r.document_id.clone(),
                    ..Default::default()
                },
            )
            .await;
            assert_eq!(rows.len(), 1, "{kind:?}: one audit row names the document");
            assert_eq!(
                rows[0].method,
                "budgetrad.v1.DocumentService/RenderDocument"
            );
            assert!(
                rows[0]
                    .records
                    .contains(&format!("document:{}", r.document_id))
            );
        }

        // The offer: one summary plus a letter per creditor; the shares in
        // the twin sum exactly to the available amount.
        let r = render(&mut client, request(&case, Kind::CreditorOffer)).await;
        let twin: serde_json::Value = serde_json::from_str(&r.json).expect("JSON");
        let letters = twin["letters"].as_array().expect("letters");
        assert_eq!(letters.len(), 3, "a summary and two creditors");
        let shares: Vec<rust_decimal::Decimal> = letters[1..]
            .iter()
            .map(|l| {
                l["blocks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|b| b["type"] == "figures")
                    .expect("the share")["rows"][0]["amount"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(
            shares.iter().sum::<rust_decimal::Decimal>().to_string(),
            "2337.00"
        );
        let doc = lopdf::Document::load_mem(&r.pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 3, "each letter on its own page");
        // One creditor's letter only.
        let mut one = request(&case, Kind::CreditorOffer);
        one.debt_id = case.sms_id.clone();
        let r = render(&mut client, one).await;
        let twin: serde_json::Value = serde_json::from_str(&r.json).expect("JSON");
        assert_eq!(twin["letters"].as_array().unwrap().len(), 2);
        assert!(text_of(&r.pdf).contains("Exempel Snabblån AB"));
    })
    .await;
}

#[tokio::test]
async fn a_request_is_checked_and_a_caseworker_may_render() {
    on_each_backend(|app| async move {
        let case = worked_case(&app).await;
        let mut client = documents(&app, Role::Caseworker);
        let r = render(&mut client, request(&case, Kind::DebtOverview)).await;
        assert!(is_pdf_a_2b(&r.pdf));

        let mut bad = request(&case, Kind::Unspecified);
        bad.household_id = "not-a-uuid".into();
        let err = client.render_document(bad).await.unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&err), ["kind", "household_id"]);

        let mut no_budget = request(&case, Kind::BudgetSummary);
        no_budget.budget_id.clear();
        let err = client.render_document(no_budget).await.unwrap_err();
        assert_eq!(field_violations(&err), ["budget_id"]);

        // Another household's budget is not printed under this one.
        let other = single_parent(&app, 884).await;
        let mut foreign = request(&case, Kind::BudgetSummary);
        foreign.household_id = other.id.clone();
        let err = client.render_document(foreign).await.unwrap_err();
        assert_eq!(err.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&err), ["budget_id"]);

        let mut payout = documents(&app, Role::Payout);
        let err = payout
            .render_document(request(&case, Kind::DebtOverview))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::PermissionDenied);
        let _ = Applicant;
    })
    .await;
}

#[tokio::test]
async fn names_that_look_like_markup_are_printed_as_written() {
    on_each_backend(|app| async move {
        let h = single_parent(&app, 885).await;
        let mut client = app.debts();
        for name in ["#exit", "] #panic(\"x\")", "$x$ *y* _z_ <a> @b \\"] {
            create_debt(
                &mut client,
                &h.id,
                &h.members[0].id,
                (pb::DebtKind::Other, name, "", "1000", "0"),
            )
            .await;
        }
        let r = render(
            &mut documents(&app, Role::Counsellor),
            pb::RenderDocumentRequest {
                kind: Kind::CreditorRequest as i32,
                household_id: h.id.clone(),
                ..Default::default()
            },
        )
        .await;
        let text = text_of(&r.pdf);
        for name in ["#exit", "] #panic(\"x\")", "$x$ *y* _z_ <a> @b \\"] {
            assert!(text.contains(name), "{name:?} missing from\n{text}");
        }
    })
    .await;
}
