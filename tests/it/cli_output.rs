//! The CLI's output as people read it, run as a binary whose output is not
//! a terminal: Swedish words by default (`sms-lån`, `hos Kronofogden`),
//! amounts as `14 350,00 kr`, numbers with their hyphens, times with their
//! zone, creditors by name, every line within 100 columns (or `--width`),
//! and English with `--lang en`.

use budgetrad::grpc::auth::Role;

use crate::debts::cli_as;
use crate::helpers::*;

/// Runs the CLI as a caseworker; its standard output, which must succeed.
async fn cli(app: &TestApp, args: &[&str]) -> String {
    cli_as(app, Role::Caseworker, args).await
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("JSON")
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A household with a hyresskuld and an sms-lån at Kronofogden, a landlord
/// with a bankgiro and a lease: the ids of the household and the lease.
async fn case(app: &TestApp) -> (String, String) {
    cli(app, &["households", "create", "examples/household.toml"]).await;
    let h = json(&cli(app, &["--json", "households", "lookup", "19640823-3234"]).await);
    let id = h["id"].as_str().expect("an id").to_owned();
    let applicant = h["members"][0]["id"].as_str().expect("a member").to_owned();
    for debt in [
        vec![
            "--creditor",
            "Exempel Bostäder AB",
            "--org-number",
            "5566778899",
        ]
        .into_iter()
        .chain([
            "--kind",
            "rent",
            "--balance",
            "14 350,00",
            "--payment",
            "1000",
        ])
        .collect::<Vec<_>>(),
        vec!["--creditor", "Exempel Finans AB", "--kind", "sms_loan"]
            .into_iter()
            .chain([
                "--status",
                "kronofogden",
                "--balance",
                "8000",
                "--payment",
                "500",
            ])
            .collect(),
    ] {
        let mut args = vec!["debts", "add", &id, "--debtor", &applicant];
        args.extend(debt);
        args.extend(["--balance-date", "2026-11-01"]);
        cli(app, &args).await;
    }
    cli(
        app,
        &[
            "landlords",
            "add",
            "--name",
            "Exempel Bostäder AB",
            "--org-number",
            "5566778899",
            "--bankgiro",
            "51234565",
        ],
    )
    .await;
    let landlords = json(&cli(app, &["--json", "landlords", "list"]).await);
    let landlord = landlords[0]["id"].as_str().expect("a landlord").to_owned();
    let lease = json(
        &cli(
            app,
            &[
                "--json",
                "leases",
                "add",
                &id,
                "--landlord",
                &landlord,
                "--object",
                "LGH 1102",
                "--type",
                "first_hand",
                "--start",
                "2026-01",
                "--rent",
                "7 650",
            ],
        )
        .await,
    );
    (id, lease["id"].as_str().expect("a lease").to_owned())
}

/// The output of every command of [`commands`], each run with `before`
/// first and checked to fit `width` columns.
async fn outputs(
    app: &TestApp,
    household: &str,
    lease: &str,
    before: &[&str],
    width: usize,
) -> String {
    let mut all = String::new();
    for args in commands(household, lease) {
        let mut with = before.to_vec();
        with.extend(args.iter().copied());
        let out = cli(app, &with).await;
        assert!(
            widest(&out) <= width,
            "{with:?} is wider than {width}:\n{out}"
        );
        all.push_str(&out);
    }
    all
}

/// The commands whose output is checked, for a case.
fn commands<'a>(household: &'a str, lease: &'a str) -> Vec<Vec<&'a str>> {
    vec![
        vec!["households", "get", household],
        vec!["households", "list"],
        vec!["debts", "list", household],
        vec!["debts", "overview", household, "--available", "900"],
        vec!["landlords", "list"],
        vec!["leases", "show", lease],
        vec![
            "plans",
            "preview",
            lease,
            "--arrears",
            "14 350",
            "--start",
            "2027-01",
            "--months",
            "6",
        ],
        vec!["budget", "calculate", "examples/budget.toml"],
        vec!["social-assistance", "examples/social-assistance.toml"],
        vec!["norms", "list"],
        vec![
            "rent-check",
            "one",
            "--household",
            household,
            "--application",
            "2026-12",
        ],
    ]
}

#[tokio::test]
async fn saved_output_fits_100_columns_and_speaks_swedish() {
    on_each_backend(|app| async move {
        let (household, lease) = case(&app).await;
        let all = outputs(&app, &household, &lease, &[], 100).await;
        for words in [
            "sms-lån",
            "hyresskuld",
            "aktiv",
            "hos Kronofogden",
            "14 350,00 kr",
            "19640823-3234",
            "556677-8899",
            "5123-4565",
            " CET",
            "Skuldöversikt",
            "Förslag till avbetalningsplan för hyresskuld",
        ] {
            assert!(all.contains(words), "no {words:?} in:\n{all}");
        }
        for english in ["Creditor", "Balance", "Household", "sms_loan", "14 350.00"] {
            assert!(!all.contains(english), "{english:?} in:\n{all}");
        }

        // The pay-off table names each debt by its creditor, not its id.
        let overview = cli(
            &app,
            &["debts", "overview", &household, "--available", "900"],
        )
        .await;
        let pay_off = overview
            .split("Månader till skuldfrihet")
            .nth(1)
            .and_then(|rest| rest.split("Förslag till fördelning").next())
            .expect("the pay-off table");
        assert!(pay_off.contains("Exempel Finans AB"), "{pay_off}");
        let debts = json(&cli(&app, &["--json", "debts", "list", &household]).await);
        for debt in debts["debts"].as_array().expect("debts") {
            let id = debt["id"].as_str().expect("an id");
            assert!(
                !pay_off.contains(&id[..8]),
                "an id in the pay-off table: {pay_off}"
            );
        }

        // The plan preview says what it is and the basis of each figure.
        let preview = cli(&app, &commands(&household, &lease)[6]).await;
        assert!(preview.contains("14 350,00 kr från 2027-01"), "{preview}");
        assert!(preview.contains("Grund"), "{preview}");
        assert!(preview.contains("LGH 1102"), "{preview}");

        // --width narrows it further.
        outputs(&app, &household, &lease, &["--width", "72"], 72).await;
    })
    .await;
}

#[tokio::test]
async fn lang_en_prints_english() {
    on_each_backend(|app| async move {
        let (household, lease) = case(&app).await;
        let all = outputs(&app, &household, &lease, &["--lang", "en"], 100).await;
        for words in [
            "Debt overview",
            "Creditor",
            "sms loan",
            "kronofogden",
            "SEK 14,350.00",
            "19640823-3234",
            "Proposed rent-arrears plan",
            "Members",
        ] {
            assert!(all.contains(words), "no {words:?} in:\n{all}");
        }
        for swedish in [
            "Skuldöversikt",
            "Borgenär",
            "sms-lån",
            "14 350,00 kr",
            "Medlemmar",
        ] {
            assert!(!all.contains(swedish), "{swedish:?} in:\n{all}");
        }
        // The JSON does not change with the language.
        let sv = cli(&app, &["--json", "debts", "list", &household]).await;
        let en = cli(
            &app,
            &["--lang", "en", "--json", "debts", "list", &household],
        )
        .await;
        assert_eq!(sv, en);
        assert!(sv.contains("\"sms_loan\""), "{sv}");
    })
    .await;
}
