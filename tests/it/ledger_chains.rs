//! Tamper evidence: every ledger entry is a link in its lease's hash chain
//! and every audit row a link in the audit chain; `VerifyLedger` recomputes
//! them and names the first record changed behind the service's back (the
//! append-only triggers switched off as the owner, as an attacker with the
//! owner's rights would).

use budgetrad::pb;
use budgetrad::store::{Backend, ChainStore, SqlStore};
use sqlx::{AssertSqlSafe, Row};

use crate::database_guards::{Written, write_through_the_api};
use crate::helpers::*;

async fn verify(app: &TestApp) -> pb::VerifyLedgerResponse {
    app.admin_as(Some(&secret_for(budgetrad::grpc::auth::Role::Auditor)))
        .verify_ledger(pb::VerifyLedgerRequest {})
        .await
        .expect("VerifyLedger")
        .into_inner()
}

/// An arrears payout against the plan `write_through_the_api` made (the
/// path that reads before it writes, on PostgreSQL too).
async fn arrears_payout(app: &TestApp, written: &Written) -> String {
    app.payouts()
        .record_rent_payout(pb::RecordRentPayoutRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: written.receipt_lease.clone(),
            rent_month: "2026-11".into(),
            kind: pb::RentPaymentKind::Arrears as i32,
            amount: money("500"),
            decision_reference: "BESLUT-2026-00418".into(),
            ocr_reference: "1234574".into(),
            payout_date: "2026-11-20".into(),
        })
        .await
        .expect("an arrears payout")
        .into_inner()
        .payout
        .expect("a payout")
        .id
}

/// Runs SQL as the database's owner, past the API and the triggers.
async fn behind_the_back(app: &TestApp, statements: &[String]) {
    for sql in statements {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .execute(app.store().pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// The statements that switch a table's append-only triggers off.
fn triggers_off(backend: Backend, table: &str) -> Vec<String> {
    match backend {
        Backend::Sqlite => vec![
            format!("DROP TRIGGER {table}_no_update"),
            format!("DROP TRIGGER {table}_no_delete"),
        ],
        Backend::Postgres => vec![format!("ALTER TABLE {table} DISABLE TRIGGER USER")],
    }
}

/// A copy of the payout `from` for `month`, inserted past the service (no
/// link, no audit row): its id.
async fn forge_payout(app: &TestApp, from: &str, month: &str) -> String {
    let forged = uuid::Uuid::now_v7().to_string();
    behind_the_back(
        app,
        &[format!(
            "INSERT INTO rent_payouts (id, request_id, request_hash, household_id, lease_id, rent_month, kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, recorded_by, recorded_at) \
             SELECT '{forged}', '{}', request_hash, household_id, lease_id, '{month}', kind, amount_ore, decision_reference, payee_bankgiro, payee_plusgiro, ocr_reference, payout_date, plan_id, recorded_by, recorded_at \
             FROM rent_payouts WHERE id = '{from}'",
            uuid::Uuid::new_v4()
        )],
    )
    .await;
    forged
}

fn mismatch(
    r: &pb::VerifyLedgerResponse,
) -> (pb::ChainedRecordKind, String, pb::ChainMismatchKind) {
    let m = r.first_mismatch.as_ref().expect("a mismatch");
    (m.record_kind(), m.record_id.clone(), m.mismatch())
}

#[tokio::test]
async fn an_untouched_ledger_verifies_and_an_edited_payout_is_named() {
    on_each_backend(|app| async move {
        let written = write_through_the_api(&app, 711).await;
        let arrears = arrears_payout(&app, &written).await;
        let clean = verify(&app).await;
        assert!(clean.intact, "{clean:?}");
        assert!(clean.first_mismatch.is_none());
        // A payout, its reversal, a receipt and the arrears payout.
        assert_eq!(clean.ledger_entries_checked, 4, "{clean:?}");
        assert_eq!(clean.ledger_chains_checked, 1);
        // Sealed before verifying: every audit row so far is a link.
        assert!(clean.audit_events_checked >= 6, "{clean:?}");
        assert_eq!(clean.audit_events_unsealed, 0);
        assert_eq!(clean.ledger_root.len(), 64);
        assert_eq!(clean.audit_head.len(), 64);
        // Nothing changed: the same root again.
        let again = verify(&app).await;
        assert!(again.intact);
        assert_eq!(again.ledger_root, clean.ledger_root);
        assert!(again.audit_events_checked > clean.audit_events_checked);

        // The arrears payout's amount, rewritten behind the service's back.
        let mut tamper = triggers_off(app.backend(), "rent_payouts");
        tamper.push(format!(
            "UPDATE rent_payouts SET amount_ore = 50000000 WHERE id = '{arrears}'"
        ));
        behind_the_back(&app, &tamper).await;
        let found = verify(&app).await;
        assert!(!found.intact);
        assert_eq!(
            mismatch(&found),
            (
                pb::ChainedRecordKind::Payout,
                arrears.clone(),
                pb::ChainMismatchKind::HashMismatch
            )
        );
        assert_eq!(found.ledger_entries_checked, 4);
    })
    .await;
}

#[tokio::test]
async fn a_rewritten_payee_a_deleted_receipt_and_a_forged_payout_are_named() {
    on_each_backend(|app| async move {
        let written = write_through_the_api(&app, 712).await;
        let mut tamper = triggers_off(app.backend(), "rent_payouts");
        // The rent payout (written in one statement on PostgreSQL) now pays
        // another bankgiro.
        tamper.push(format!(
            "UPDATE rent_payouts SET payee_bankgiro = '5050-1055' WHERE id = '{}'",
            written.payout_id
        ));
        behind_the_back(&app, &tamper).await;
        let found = verify(&app).await;
        assert_eq!(
            mismatch(&found),
            (
                pb::ChainedRecordKind::Payout,
                written.payout_id.clone(),
                pb::ChainMismatchKind::HashMismatch
            )
        );

        let app = TestApp::spawn(app.backend()).await;
        let written = write_through_the_api(&app, 713).await;
        let receipt: String = sqlx::query("SELECT id FROM rent_receipts")
            .fetch_one(app.store().pool())
            .await
            .expect("the receipt")
            .get("id");
        let mut tamper = triggers_off(app.backend(), "rent_receipts");
        tamper.push(format!("DELETE FROM rent_receipts WHERE id = '{receipt}'"));
        behind_the_back(&app, &tamper).await;
        assert_eq!(
            mismatch(&verify(&app).await),
            (
                pb::ChainedRecordKind::Receipt,
                receipt,
                pb::ChainMismatchKind::RecordMissing
            )
        );

        // A payout inserted past the service: in no chain.
        let app = TestApp::spawn(app.backend()).await;
        let written_again = write_through_the_api(&app, 714).await;
        let forged = forge_payout(&app, &written_again.payout_id, "2026-12").await;
        assert_eq!(
            mismatch(&verify(&app).await),
            (
                pb::ChainedRecordKind::Payout,
                forged,
                pb::ChainMismatchKind::RecordUnchained
            )
        );
        drop(written);
    })
    .await;
}

#[tokio::test]
async fn an_edited_audit_row_is_named_by_its_sequence() {
    on_each_backend(|app| async move {
        write_through_the_api(&app, 715).await;
        assert!(verify(&app).await.intact);
        let sequence: i64 = sqlx::query(
            "SELECT CAST(MIN(sequence) AS BIGINT) AS s FROM audit_events WHERE method LIKE '%RecordRentReceipt'",
        )
        .fetch_one(app.store().pool())
        .await
        .expect("the receipt's audit row")
        .get("s");
        let mut tamper = triggers_off(app.backend(), "audit_events");
        tamper.push(format!(
            "UPDATE audit_events SET caller = 'someone-else' WHERE sequence = {sequence}"
        ));
        behind_the_back(&app, &tamper).await;
        let found = verify(&app).await;
        assert_eq!(
            mismatch(&found),
            (
                pb::ChainedRecordKind::AuditEvent,
                sequence.to_string(),
                pb::ChainMismatchKind::HashMismatch
            )
        );
        // The ledger itself is untouched.
        assert_eq!(found.ledger_entries_checked, 3);
    })
    .await;
}

#[tokio::test]
async fn entries_written_before_the_chains_are_linked_at_start_and_only_those() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let written = write_through_the_api(&app, 716).await;
        // Two payouts past the service, as before the chains existed; the
        // migration listed one of them in the backlog.
        let mut ids = Vec::new();
        for month in ["2026-07", "2026-08"] {
            let id = forge_payout(&app, &written.payout_id, month).await;
            ids.push(id);
        }
        behind_the_back(
            &app,
            &[format!(
                "INSERT INTO ledger_chain_backlog (entry_kind, entry_id, lease_id, recorded_at) \
                 SELECT 'payout', id, lease_id, recorded_at FROM rent_payouts WHERE id = '{}'",
                ids[0]
            )],
        )
        .await;
        // A start links the listed one, once, however often it runs.
        let url = app_database_url(&app);
        let store = SqlStore::connect(&url).await.expect("a second start");
        assert_eq!(store.link_backlog().await.expect("relinking"), 0);
        drop(store);
        let found = verify(&app).await;
        assert_eq!(found.ledger_entries_checked, 4, "{found:?}");
        assert_eq!(
            mismatch(&found),
            (
                pb::ChainedRecordKind::Payout,
                ids[1].clone(),
                pb::ChainMismatchKind::RecordUnchained
            )
        );
    }
}

fn app_database_url(app: &TestApp) -> String {
    app.database_url().to_owned()
}

#[tokio::test]
async fn only_an_auditor_may_verify() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for role in [
        budgetrad::grpc::auth::Role::Admin,
        budgetrad::grpc::auth::Role::Payout,
        budgetrad::grpc::auth::Role::Counsellor,
    ] {
        let refused = app
            .admin_as(Some(&secret_for(role)))
            .verify_ledger(pb::VerifyLedgerRequest {})
            .await
            .expect_err("refused");
        assert_eq!(refused.code(), tonic::Code::PermissionDenied, "{role:?}");
    }
}

#[tokio::test]
async fn seals_from_two_stores_at_once_link_every_audit_row_once() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        write_through_the_api(&app, 717).await;
        let url = app_database_url(&app);
        let other = SqlStore::connect(&url).await.expect("a second server");
        let (a, b) = tokio::join!(app.store().seal_audit(), other.seal_audit());
        a.expect("one seal");
        b.expect("the other");
        // Every row is a link, once (the server's own sealer may have
        // sealed some of them first).
        let counts: i64 = sqlx::query(
            "SELECT CAST((SELECT COUNT(*) FROM audit_chain) - (SELECT COUNT(*) FROM audit_events) AS BIGINT) AS n",
        )
        .fetch_one(app.store().pool())
        .await
        .expect("the counts")
        .get("n");
        assert_eq!(counts, 0, "audit rows that are not links, once each");
        let found = verify(&app).await;
        assert!(found.intact, "{found:?}");
    }
}

/// Runs `budgetrad-cli admin verify-ledger` as an auditor: exit code and
/// stdout.
async fn cli_verify(app: &TestApp, json: bool) -> (i32, String) {
    let url = app.url();
    let output = tokio::task::spawn_blocking(move || {
        let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"));
        cli.args(["--server", &url, "--token"])
            .arg(secret_for(budgetrad::grpc::auth::Role::Auditor));
        if json {
            cli.arg("--json");
        }
        cli.args(["admin", "verify-ledger"])
            .output()
            .expect("budgetrad-cli runs")
    })
    .await
    .expect("the CLI ran");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_cli_says_whether_the_chains_hold_and_exits_1_when_not() {
    on_each_backend(|app| async move {
        let written = write_through_the_api(&app, 718).await;
        let (code, text) = cli_verify(&app, false).await;
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("Hashkedjorna stämmer"), "{text}");
        assert!(text.contains("Reskontraposter kontrollerade: 3"), "{text}");
        let mut tamper = triggers_off(app.backend(), "rent_payouts");
        tamper.push(format!(
            "UPDATE rent_payouts SET decision_reference = 'BESLUT-ANNAT' WHERE id = '{}'",
            written.payout_id
        ));
        behind_the_back(&app, &tamper).await;
        let (code, text) = cli_verify(&app, false).await;
        assert_eq!(code, 1, "{text}");
        assert!(
            text.contains(&format!("utbetalning {}", written.payout_id)),
            "{text}"
        );
        let (code, json) = cli_verify(&app, true).await;
        assert_eq!(code, 1);
        let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(json["intact"], false);
        assert_eq!(json["first_mismatch"]["record_kind"], "payout");
        assert_eq!(
            json["first_mismatch"]["record_id"],
            written.payout_id.as_str()
        );
        assert_eq!(json["first_mismatch"]["mismatch"], "hash_mismatch");
    })
    .await;
}
