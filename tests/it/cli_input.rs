//! The CLI as people use it, run as a binary: amounts and dates in Swedish
//! forms in flags and files, errors that name the flag or the file line and
//! key with exit 2 (nothing sent) or 1 (refused), the `--request-id` hint
//! only where a write may have been applied, the rent-check batch reading
//! CSV as Excel writes it and writing `--excel`, and `households export`.

use std::process::Output;

use budgetrad::grpc::auth::Role;
use budgetrad::pb;

use crate::debts::household;
use crate::helpers::*;
use crate::rent_check::town;

const AMOUNT_HINT: &str = "ett belopp som 1 500,50 eller 1500.50";
const DATE_HINT: &str = "ett datum som 2026-12-02 eller 20261202";

/// Runs the CLI against `app` with the token of `role`; the whole output.
pub async fn run(app: &TestApp, role: Role, args: &[&str]) -> Output {
    let url = app.url();
    let owned: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--server", &url, "--token"])
            .arg(secret_for(role))
            .args(&owned)
            .output()
            .expect("budgetrad-cli runs")
    })
    .await
    .expect("the CLI ran")
}

/// Standard error with its wrapped lines joined: the CLI wraps a message
/// to the output's width, so a phrase may span two lines.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn exit(o: &Output) -> Option<i32> {
    o.status.code()
}

async fn debts_of(app: &TestApp, household_id: &str) -> Vec<pb::Debt> {
    app.debts()
        .list_debts(pb::ListDebtsRequest {
            household_id: household_id.into(),
            ..Default::default()
        })
        .await
        .expect("the debts")
        .into_inner()
        .debts
}

/// `debts add` of a consumer credit to `member` of `household`, with the
/// global flags `before` and the debt's flags `extra`.
async fn add_debt(
    app: &TestApp,
    household: &str,
    member: &str,
    before: &[&str],
    extra: &[&str],
) -> Output {
    let mut args = before.to_vec();
    args.extend([
        "debts",
        "add",
        household,
        "--debtor",
        member,
        "--creditor",
        "Exempel Kredit AB",
        "--kind",
        "consumer_credit",
    ]);
    args.extend_from_slice(extra);
    run(app, Role::Counsellor, &args).await
}

#[tokio::test]
async fn amounts_and_dates_in_peoples_forms_reach_the_wire_from_flags() {
    on_each_backend(|app| async move {
        let (h, member) = household(&app, 231).await;
        let nbsp_amount = "1\u{a0}200,50 kr";
        let added = run(
            &app,
            Role::Counsellor,
            &[
                "--json",
                "debts",
                "add",
                &h,
                "--debtor",
                &member,
                "--creditor",
                "Exempel Kredit AB",
                "--kind",
                "consumer_credit",
                "--balance",
                "1 500,50",
                "--balance-date",
                "20261101",
                "--payment",
                "1 500 kr",
                "--fee",
                nbsp_amount,
            ],
        )
        .await;
        assert_eq!(exit(&added), Some(0), "{}", stderr(&added));
        assert!(
            !stderr(&added).contains("--request-id"),
            "a call that went through suggests no retry: {}",
            stderr(&added)
        );
        let debt: serde_json::Value = serde_json::from_str(&stdout(&added)).expect("JSON");
        assert_eq!(debt["balance"], "1500.50");
        assert_eq!(debt["agreed_monthly_payment"], "1500.00");
        assert_eq!(debt["monthly_fee"], "1200.50");
        let id = debt["id"].as_str().expect("an id").to_owned();

        let recorded = run(
            &app,
            Role::Counsellor,
            &[
                "debts",
                "record",
                &id,
                "--kind",
                "payment",
                "--amount",
                "1500.50",
                "--date",
                "2026-11-05",
            ],
        )
        .await;
        assert_eq!(exit(&recorded), Some(0), "{}", stderr(&recorded));
        let shown = run(&app, Role::Counsellor, &["--json", "debts", "show", &id]).await;
        let shown = stdout(&shown);
        assert!(shown.contains("2026-11-01"), "the balance date: {shown}");
        assert!(shown.contains("2026-11-05"), "the payment date: {shown}");
        let debts = debts_of(&app, &h).await;
        assert_eq!(debts.len(), 1);
        assert_eq!(
            debts[0].balance.as_ref().map(|m| m.amount.as_str()),
            Some("0.00")
        );
    })
    .await;
}

#[tokio::test]
async fn bad_flags_exit_2_naming_the_flag_and_nothing_is_sent() {
    on_each_backend(|app| async move {
        let (h, member) = household(&app, 232).await;
        for bad in ["1,5x", "1,500", "1.500,50", "12 34"] {
            let flags = ["--balance", bad, "--balance-date", "2026-12-02"];
            let o = add_debt(&app, &h, &member, &[], &flags).await;
            let e = stderr(&o);
            assert_eq!(exit(&o), Some(2), "{bad}: {e}");
            assert!(e.contains("--balance"), "{bad}: {e}");
            assert!(e.contains(AMOUNT_HINT), "{bad}: {e}");
            assert!(!e.contains("--request-id"), "{bad}: {e}");
        }
        for bad in ["2026-02-30", "02/12/2026", "2026-12"] {
            let flags = ["--balance", "1500", "--balance-date", bad];
            let o = add_debt(&app, &h, &member, &[], &flags).await;
            let e = stderr(&o);
            assert_eq!(exit(&o), Some(2), "{bad}: {e}");
            assert!(e.contains("--balance-date"), "{bad}: {e}");
            assert!(e.contains(DATE_HINT), "{bad}: {e}");
        }
        assert!(debts_of(&app, &h).await.is_empty(), "nothing was written");
    })
    .await;
}

#[tokio::test]
async fn the_server_refusing_exits_1_and_its_validation_2_without_a_retry_hint() {
    on_each_backend(|app| async move {
        let (h, member) = household(&app, 233).await;
        let add = |household: String, balance: &'static str| {
            let (app, member) = (&app, member.clone());
            async move {
                let balance = format!("--balance={balance}");
                add_debt(app, &household, &member, &[], &[&balance]).await
            }
        };
        // A well-formed amount the server finds invalid: debts are not
        // negative. Bad input, so 2.
        let o = add(h.clone(), "-1 500,50").await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(2), "{e}");
        assert!(e.contains("--balance: får inte vara negativt"), "{e}");
        assert!(
            !e.contains("--request-id"),
            "a refused call was not applied: {e}"
        );
        // A household the server does not have: a refusal, so 1.
        let o = add(uuid::Uuid::new_v4().to_string(), "1 500,50").await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(1), "{e}");
        assert!(
            !e.contains("--request-id"),
            "a refused call was not applied: {e}"
        );
        assert!(debts_of(&app, &h).await.is_empty(), "nothing was written");
    })
    .await;
}

/// The server's field violations (reason codes on the wire) worded in
/// the run's language, each naming the flag or the file key the user
/// wrote rather than the wire's field; bad input, so exit 2, and nothing
/// was written.
#[tokio::test]
async fn the_servers_field_violations_name_the_flag_or_file_key_in_swedish_or_english() {
    on_each_backend(|app| async move {
        let (h, member) = household(&app, 234).await;
        // Amounts and a number the CLI takes as given; the server refuses.
        let flags = [
            "--org-number",
            "556677-8890",
            "--balance",
            "1 500,50",
            "--rate",
            "150",
        ];
        let o = add_debt(&app, &h, &member, &[], &flags).await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(2), "{e}");
        assert!(e.contains("Begäran godtogs inte:"), "{e}");
        assert!(
            e.contains("--org-number: inte ett giltigt organisationsnummer (som 556677-8899)"),
            "{e}"
        );
        assert!(e.contains("--rate: ligger utanför det som godtas"), "{e}");
        assert!(!e.contains("debt."), "no wire field: {e}");
        assert!(!e.contains("--request-id"), "{e}");

        let o = add_debt(&app, &h, &member, &["--lang", "en"], &flags).await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(2), "{e}");
        assert!(e.contains("--rate: must be at most 100 (percent a year)"), "{e}");
        assert!(e.contains("--org-number: "), "{e}");
        assert!(!e.contains("debt."), "no wire field: {e}");
        assert!(debts_of(&app, &h).await.is_empty(), "nothing was written");

        // A file: the key as the user wrote it, below the file's name.
        let dir = tempfile::tempdir().expect("a temp dir");
        let file = dir.path().join("budget.toml");
        std::fs::write(
            &file,
            format!(
                "month = \"2026-12\"\n\n[[members]]\nrole = \"applicant\"\nbirth_date = \"1990-05-17\"\n\n\
                 [[expenses]]\ncategory = \"rent\"\namount = \"8 200\"\nfrequency = \"monthly\"\n\
                 description = \"{}\"\n",
                "x".repeat(201)
            ),
        )
        .expect("written");
        let o = run(
            &app,
            Role::Counsellor,
            &["budget", "calculate", file.to_str().expect("a path")],
        )
        .await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(2), "{e}");
        assert!(
            e.contains("budget.toml, nyckel expenses nr 1, description: texten är för lång"),
            "{e}"
        );
    })
    .await;
}

#[tokio::test]
async fn input_files_take_peoples_forms_and_name_the_file_line_and_key() {
    on_each_backend(|app| async move {
        let dir = tempfile::tempdir().expect("a temp dir");
        let good = dir.path().join("budget.toml");
        std::fs::write(
            &good,
            "month = \"2026-12\"\n\n[[members]]\nrole = \"applicant\"\nbirth_date = \"19900517\"\n\n\
             [[incomes]]\ncategory = \"salary\"\namount = \"21 500,50 kr\"\nfrequency = \"monthly\"\n\n\
             [[expenses]]\ncategory = \"rent\"\namount = \"8\u{a0}200\"\nfrequency = \"monthly\"\n",
        )
        .expect("written");
        let o = run(
            &app,
            Role::Counsellor,
            &["--json", "budget", "calculate", good.to_str().expect("a path")],
        )
        .await;
        assert_eq!(exit(&o), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("21500.50"), "{out}");
        assert!(out.contains("8200.00"), "{out}");

        let bad = dir.path().join("fel.toml");
        std::fs::write(
            &bad,
            "month = \"2026-12\"\n\n[[incomes]]\ncategory = \"salary\"\namount = \"19850,5x\"\nfrequency = \"monthly\"\n",
        )
        .expect("written");
        let o = run(
            &app,
            Role::Counsellor,
            &["budget", "calculate", bad.to_str().expect("a path")],
        )
        .await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(2), "{e}");
        assert!(e.contains("fel.toml"), "the file: {e}");
        assert!(e.contains("rad 5"), "the line: {e}");
        assert!(e.contains("amount = \"19850,5x\""), "the key: {e}");
        assert!(e.contains(AMOUNT_HINT), "{e}");

        let bad_date = dir.path().join("datum.toml");
        std::fs::write(
            &bad_date,
            "month = \"2026-12\"\n\n[[members]]\nrole = \"applicant\"\nbirth_date = \"19900231\"\n",
        )
        .expect("written");
        let o = run(
            &app,
            Role::Counsellor,
            &["budget", "calculate", bad_date.to_str().expect("a path")],
        )
        .await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(2), "{e}");
        assert!(e.contains("datum.toml") && e.contains("rad 5"), "{e}");
        assert!(e.contains("birth_date"), "{e}");
        assert!(e.contains(DATE_HINT), "{e}");
    })
    .await;
}

/// Reads a CSV written for Swedish Excel: the mark, then `;`.
fn read_excel(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("UTF-8 with a byte-order mark");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_rent_check_reads_a_semicolon_file_with_a_bom_and_writes_excel() {
    on_each_backend(|app| async move {
        let t = town(&app).await;
        let dir = tempfile::tempdir().expect("a temp dir");
        let input = dir.path().join("ansokningar.csv");
        let output = dir.path().join("svar.csv");
        let (in_path, out_path) = (
            input.to_str().expect("a path").to_owned(),
            output.to_str().expect("a path").to_owned(),
        );
        // As Swedish Excel saves it: a BOM, `;`, CRLF, columns reordered,
        // as_of without hyphens.
        let mut file = b"\xEF\xBB\xBF".to_vec();
        file.extend_from_slice(
            format!(
                "household_id;correlation_id;application_month;as_of\r\n\
                 {};a-1;2026-11;20261110\r\n{};a-2;2026-12;\r\n",
                t.paid, t.no_lease
            )
            .as_bytes(),
        );
        std::fs::write(&input, &file).expect("written");
        let o = run(
            &app,
            Role::RentCheck,
            &[
                "rent-check",
                "--in",
                &in_path,
                "--out",
                &out_path,
                "--excel",
            ],
        )
        .await;
        assert_eq!(exit(&o), Some(0), "{}", stderr(&o));
        let rows = read_excel(&std::fs::read(&output).expect("the answers"));
        assert_eq!(rows.len(), 3, "{rows:?}");
        let col = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
        assert_eq!(rows[1][col("correlation_id")], "a-1");
        assert_eq!(rows[1][col("status")], "paid");
        assert_eq!(rows[1][col("rent_due")], "7900,00", "a decimal comma");
        assert_eq!(rows[1][col("check_date")], "2026-11-10");
        assert_eq!(rows[2][col("status")], "no_lease");
        assert_eq!(rows[2][col("days_overdue")], "", "no lease, no figure");
        assert!(
            !rows
                .iter()
                .flatten()
                .any(|c| c.contains('.') && c.parse::<f64>().is_ok()),
            "no decimal point: {rows:?}"
        );

        // The same file with a failing row: all answers written, exit 1
        // with the count.
        file.extend_from_slice(b"not-a-household;a-3;2026-12;\r\n");
        std::fs::write(&input, &file).expect("written");
        let o = run(
            &app,
            Role::RentCheck,
            &["rent-check", "--in", &in_path, "--out", &out_path],
        )
        .await;
        let e = stderr(&o);
        assert_eq!(exit(&o), Some(1), "{e}");
        assert!(e.contains("1 av 3 rader misslyckades"), "{e}");
        let plain = std::fs::read_to_string(&output).expect("the answers");
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(lines.len(), 4, "{plain}");
        assert!(lines[0].starts_with("correlation_id,status,"), "{plain}");
        assert!(lines[1].contains(",7900.00,"), "{plain}");
        assert!(lines[3].starts_with("a-3,error,"), "{plain}");
        let error_row: Vec<&str> = lines[3].split(',').collect();
        assert_eq!(
            error_row[10], "",
            "an error row has no days_overdue: {plain}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_csv_with_a_wrong_header_or_date_is_refused_naming_it() {
    on_each_backend(|app| async move {
        let dir = tempfile::tempdir().expect("a temp dir");
        let input = dir.path().join("in.csv");
        let output = dir.path().join("out.csv");
        let (in_path, out_path) = (
            input.to_str().expect("a path").to_owned(),
            output.to_str().expect("a path").to_owned(),
        );
        let h = household(&app, 234).await.0;
        let cases: [(String, &[&str], &str); 5] = [
            (
                format!("hushall;application_month\n{h};2026-12\n"),
                &[],
                "rad 1: okänd kolumn \"hushall\"",
            ),
            (
                format!("household_id;rent_month\n{h};2026-11\n"),
                &[],
                "rad 1: kolumnen \"application_month\" saknas",
            ),
            (
                "correlation_id,application_month\nx,2026-12\n".to_owned(),
                &[],
                "en kolumn saknas: ange \"household_id\" eller \"personal_identity_number\"",
            ),
            (
                format!("household_id,application_month\n{h},2026-12\n"),
                &["--delimiter", ";"],
                "okänd kolumn \"household_id,application_month\"",
            ),
            (
                format!("household_id;application_month;as_of\n{h};2026-12;2026-11-31\n"),
                &[],
                "rad 2, as_of: datumet finns inte",
            ),
        ];
        for (text, extra, expected) in cases {
            std::fs::write(&input, &text).expect("written");
            let _ = std::fs::remove_file(&output);
            let mut args = vec!["rent-check", "--in", &in_path, "--out", &out_path];
            args.extend_from_slice(extra);
            let o = run(&app, Role::RentCheck, &args).await;
            let e = stderr(&o);
            assert_eq!(exit(&o), Some(2), "{text}: {e}");
            assert!(e.contains("in.csv"), "{text}: {e}");
            assert!(e.contains(expected), "{text}: {e}");
            if expected.starts_with("rad 1") || expected.contains("kolumn") {
                assert!(!output.exists(), "nothing written for a bad header");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn households_export_writes_a_private_batch_file_through_an_audited_call() {
    on_each_backend(|app| async move {
        use std::os::unix::fs::PermissionsExt as _;
        let (first, _) = household(&app, 235).await;
        let (second, _) = household(&app, 236).await;
        let dir = tempfile::tempdir().expect("a temp dir");
        let export = dir.path().join("hushall.csv");
        let export_path = export.to_str().expect("a path").to_owned();
        let o = run(
            &app,
            Role::Caseworker,
            &[
                "households",
                "export",
                "--csv",
                &export_path,
                "--application",
                "2026-12",
                "--excel",
            ],
        )
        .await;
        assert_eq!(exit(&o), Some(0), "{}", stderr(&o));
        let mode = std::fs::metadata(&export)
            .expect("the file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let rows = read_excel(&std::fs::read(&export).expect("the export"));
        assert_eq!(
            rows[0],
            [
                "correlation_id",
                "household_id",
                "personal_identity_number",
                "application_month"
            ]
        );
        for (id, serial) in [(&first, 235), (&second, 236)] {
            let row = rows
                .iter()
                .find(|r| r[1] == *id)
                .unwrap_or_else(|| panic!("{id} exported: {rows:?}"));
            let pin = synthetic_pin("19800101", serial).replace('-', "");
            assert_eq!(row[2].replace('-', ""), pin);
            assert_eq!(row[3], "2026-12");
        }

        // The export is a batch file as it stands.
        let answers = dir.path().join("svar.csv");
        let o = run(
            &app,
            Role::RentCheck,
            &[
                "rent-check",
                "--in",
                &export_path,
                "--out",
                answers.to_str().expect("a path"),
            ],
        )
        .await;
        assert_eq!(exit(&o), Some(0), "{}", stderr(&o));
        let written = std::fs::read_to_string(&answers).expect("the answers");
        assert!(written.contains(&format!("no_lease,{first},")), "{written}");

        // The server recorded the listing for each household exported.
        for id in [&first, &second] {
            let events = app
                .audit()
                .list_audit_events(pb::ListAuditEventsRequest {
                    household_id: id.to_string(),
                    method: "budgetrad.v1.HouseholdService/ListHouseholds".into(),
                    ..Default::default()
                })
                .await
                .expect("the audit trail")
                .into_inner()
                .events;
            assert!(
                events
                    .iter()
                    .any(|e| e.role == "caseworker" && e.outcome == "OK"),
                "{events:?}"
            );
        }
    })
    .await;
}
