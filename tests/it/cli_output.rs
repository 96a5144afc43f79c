//! The CLI's output as people read it, run as a binary whose output is not
//! a terminal: Swedish words by default (`sms-lån`, `hos Kronofogden`),
//! amounts as `14 350,00 kr`, numbers with their hyphens, times with their
//! zone, creditors by name, every line within 100 columns (or `--width`),
//! and English with `--lang en`.

use budgetrad::grpc::auth::Role;
use budgetrad::store::AlertStore;

use crate::cli_input::{run, stderr};
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

        // The offer's bases and the service's warnings in Swedish: the
        // amount given, the split, and a household without a saved budget.
        let given = overview
            .split("Förslag till fördelning")
            .nth(1)
            .expect("the offer");
        has_all(
            given,
            &[
                "månadsbeloppet till borgenärerna, som det angavs",
                "angivet med --available",
                "Ingen skuld utan förtur har något saldo: det finns inget att fördela.",
            ],
        );
        let offer = cli(&app, &["debts", "offer", &household]).await;
        assert!(widest(&offer) <= 100, "{offer}");
        has_all(
            &offer,
            &[
                "ingen sparad budget och inget belopp angivet",
                "Varningar",
                "Hushållet har ingen sparad budget: ange det belopp som kan erbjudas borgenärerna.",
            ],
        );
        has_none(
            &format!("{given}{offer}"),
            &[
                "as given",
                "the request",
                "no saved budget",
                "nothing to offer",
            ],
        );

        // --width narrows it further.
        outputs(&app, &household, &lease, &["--width", "72"], 72).await;
    })
    .await;
}

/// The words of the table lines of `text`: its cells' contents split at
/// spaces and at the borders.
fn cell_words(text: &str) -> Vec<String> {
    let border = |c: char| c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c);
    text.lines()
        .filter(|l| l.starts_with('│'))
        .flat_map(|l| l.split(border))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn table_cells_wrap_between_words_never_inside_one() {
    on_each_backend(|app| async move {
        let (household, lease) = case(&app).await;
        // Long Swedish words: a creditor's name, a kind, a status.
        let h = json(&cli(&app, &["--json", "households", "get", &household]).await);
        let applicant = h["members"][0]["id"].as_str().expect("a member");
        cli(
            &app,
            &[
                "debts",
                "add",
                &household,
                "--debtor",
                applicant,
                "--creditor",
                "Hyresgästernas Sparkassa AB",
                "--kind",
                "consumer_credit",
                "--status",
                "kronofogden",
                "--balance",
                "123 456,78",
                "--payment",
                "250",
                "--balance-date",
                "2026-11-01",
            ],
        )
        .await;
        // The alerts of the case (its unpaid rent, the missing norm tables).
        app.store()
            .sweep_alerts(test_now().date_naive(), test_now())
            .await
            .expect("a sweep");
        let mut all = commands(&household, &lease);
        all.push(vec!["alerts", "list"]);
        let mut wrong = Vec::new();
        for args in &all {
            // Wide enough that no cell wraps: the whole words of each cell.
            let mut wide = vec!["--width", "1000"];
            wide.extend(args.iter().copied());
            let whole = cell_words(&cli(&app, &wide).await);
            let mut narrow = vec!["--width", "100"];
            narrow.extend(args.iter().copied());
            let out = cli(&app, &narrow).await;
            if widest(&out) > 100 {
                wrong.push(format!("{args:?} is wider than 100:\n{out}"));
            }
            if let Some(word) = cell_words(&out).into_iter().find(|w| !whole.contains(w)) {
                wrong.push(format!("{args:?} splits a word ({word:?}):\n{out}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Each debt's whole id is printed, to be copied into a later command.
        let list = cli(&app, &["--width", "100", "debts", "list", &household]).await;
        let debts = json(&cli(&app, &["--json", "debts", "list", &household]).await);
        let debts = debts["debts"].as_array().expect("debts");
        assert_eq!(debts.len(), 3);
        for debt in debts {
            let id = debt["id"].as_str().expect("an id");
            assert!(list.contains(id), "no whole {id} in:\n{list}");
        }
        for word in ["Hyresgästernas", "konsumtionskredit", "Kronofogden"] {
            assert!(list.contains(word), "no {word:?} in:\n{list}");
        }
        // So is each member's, each landlord's and each alert's.
        let members = cli(&app, &["--width", "100", "households", "get", &household]).await;
        let landlords = cli(&app, &["--width", "100", "landlords", "list"]).await;
        let alerts = cli(&app, &["--width", "100", "alerts", "list"]).await;
        let mut ids = vec![(applicant.to_owned(), &members)];
        for l in json(&cli(&app, &["--json", "landlords", "list"]).await)
            .as_array()
            .expect("landlords")
        {
            ids.push((l["id"].as_str().expect("an id").to_owned(), &landlords));
        }
        let listed = json(&cli(&app, &["--json", "alerts", "list"]).await);
        let listed = listed.as_array().expect("alerts");
        assert!(!listed.is_empty(), "no alerts:\n{alerts}");
        for a in listed {
            ids.push((a["id"].as_str().expect("an id").to_owned(), &alerts));
        }
        for (id, text) in ids {
            assert!(text.contains(&id), "no whole {id} in:\n{text}");
        }
    })
    .await;
}

#[tokio::test]
async fn lang_en_prints_english() {
    on_each_backend(|app| async move {
        let (household, lease) = case(&app).await;
        let all = outputs(&app, &household, &lease, &["--lang", "en"], 100).await;
        has_all(
            &all,
            &[
                "Debt overview",
                "Creditor",
                "sms loan",
                "kronofogden",
                "SEK 14,350.00",
                "19640823-3234",
                "Proposed rent-arrears plan",
                "Members",
            ],
        );
        has_none(
            &all,
            &[
                "Skuldöversikt",
                "Borgenär",
                "sms-lån",
                "14 350,00 kr",
                "Medlemmar",
            ],
        );
        // The offer's bases and the service's warnings in English.
        let given = cli(
            &app,
            &[
                "--lang",
                "en",
                "debts",
                "overview",
                &household,
                "--available",
                "900",
            ],
        )
        .await;
        let offer = cli(&app, &["--lang", "en", "debts", "offer", &household]).await;
        let both = format!("{given}{offer}");
        has_all(
            &both,
            &[
                "the monthly amount for creditors, as given",
                "given with --available",
                "no non-priority debt has a balance: there is nothing to offer on",
                "no saved budget and no amount given",
                "Warnings",
                "the household has no saved budget: give available_monthly_amount for an offer",
            ],
        );
        has_none(&both, &["som det angavs", "Hushållet har", "Ingen skuld"]);
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

/// Every word is in `text`.
fn has_all(text: &str, words: &[&str]) {
    for word in words {
        assert!(text.contains(word), "no {word:?} in:\n{text}");
    }
}

/// No word is in `text`.
fn has_none(text: &str, words: &[&str]) {
    for word in words {
        assert!(!text.contains(word), "{word:?} in:\n{text}");
    }
}

/// Every line of standard error within 100 columns.
fn fits(o: &std::process::Output) {
    let raw = String::from_utf8_lossy(&o.stderr);
    assert!(widest(&raw) <= 100, "wider than 100:\n{raw}");
}

/// Runs the CLI with `args` in Swedish and with `--lang en`: exit codes and
/// standard error (its wrapped lines joined).
async fn both(app: &TestApp, args: &[&str]) -> ((Option<i32>, String), (Option<i32>, String)) {
    let sv = run(app, Role::Caseworker, args).await;
    fits(&sv);
    let mut en_args = vec!["--lang", "en"];
    en_args.extend_from_slice(args);
    let en = run(app, Role::Caseworker, &en_args).await;
    fits(&en);
    (
        (sv.status.code(), stderr(&sv)),
        (en.status.code(), stderr(&en)),
    )
}

/// A refused call: what it is, its arguments, the Swedish and the English
/// words of its message.
type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);

/// Asserts a refusal in both languages: the exit code, the Swedish and the
/// English words, no English word in the Swedish text, and no
/// `--request-id` (nothing may have been applied).
fn refused(
    what: &str,
    ((sv_code, sv), (en_code, en)): ((Option<i32>, String), (Option<i32>, String)),
    code: i32,
    swedish: &[&str],
    english: &[&str],
) {
    assert_eq!(sv_code, Some(code), "{what}: {sv}");
    assert_eq!(en_code, Some(code), "{what}: {en}");
    assert!(sv.starts_with("fel: "), "{what}: {sv}");
    assert!(en.starts_with("error: "), "{what}: {en}");
    has_all(&sv, swedish);
    has_all(&en, english);
    has_none(
        &sv,
        &[
            "error",
            "invalid value",
            "unexpected argument",
            "Usage:",
            "For more information",
            "not found",
            "Not found",
            "the file",
            "give ",
            "The server",
            "The request",
            "unknown field",
        ],
    );
    assert!(!sv.contains("--request-id"), "{what}: {sv}");
    assert!(!en.contains("--request-id"), "{what}: {en}");
}

#[tokio::test]
async fn errors_are_swedish_by_default_and_english_with_lang_en() {
    on_each_backend(|app| async move {
        let (household, _) = case(&app).await;
        let h = json(&cli(&app, &["--json", "households", "get", &household]).await);
        let member = h["members"][0]["id"].as_str().expect("a member").to_owned();
        let add = |extra: &[&str]| {
            let mut args = vec![
                "debts",
                "add",
                household.as_str(),
                "--debtor",
                member.as_str(),
                "--creditor",
                "Exempel Kredit AB",
            ];
            args.extend_from_slice(extra);
            args.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        // (what, the flags after the debt's, Swedish words, English words)
        let cases: [Case; 4] = [
            (
                "a bad amount",
                &["--kind", "rent", "--balance", "1,5x"],
                &["--balance", "inte ett belopp", "ett belopp som 1 500,50 eller 1500.50"],
                &["--balance", "not an amount", "an amount such as 1 500,50 or 1500.50"],
            ),
            (
                "a bad date",
                &["--kind", "rent", "--balance", "100", "--balance-date", "2026122"],
                &["--balance-date", "inte ett datum", "2026-12-02 eller 20261202"],
                &["--balance-date", "not a date", "2026-12-02 or 20261202"],
            ),
            (
                "an unknown flag",
                &["--kind", "rent", "--balance", "100", "--frobnicate"],
                &["okänt argument '--frobnicate'", "Användning: budgetrad-cli debts add"],
                &["unexpected argument '--frobnicate'", "Usage: budgetrad-cli debts add"],
            ),
            (
                "a value not in the list",
                &["--balance", "100", "--kind", "rentt"],
                &["ogiltigt värde 'rentt' för --kind", "möjliga värden: rent,"],
                &["invalid value 'rentt' for --kind", "allowed: rent,"],
            ),
        ];
        for (what, extra, swedish, english) in cases {
            let owned = add(extra);
            let args: Vec<&str> = owned.iter().map(String::as_str).collect();
            refused(what, both(&app, &args).await, 2, swedish, english);
        }
        refused(
            "an unknown command",
            both(&app, &["housholds", "list"]).await,
            2,
            &["okänt kommando 'housholds'", "menade du 'households'?"],
            &["unrecognized subcommand 'housholds'", "did you mean 'households'?"],
        );
        refused(
            "a missing flag",
            both(&app, &["debts", "add", &household, "--kind", "rent"]).await,
            2,
            &["det här saknas: --debtor"],
            &["the following are required: --debtor"],
        );
        refused(
            "no such debt",
            both(&app, &["debts", "show", "01a2421c-c5a1-7027-8894-3b77e1ea63b0"]).await,
            1,
            &["Finns inte: servern har ingen skuld med det id:t."],
            &["Not found: the server has no debt with that id."],
        );
        refused(
            "a missing file",
            both(&app, &["budget", "calculate", "examples/saknas.toml"]).await,
            2,
            &["kan inte läsa examples/saknas.toml: filen finns inte"],
            &["cannot read examples/saknas.toml: no such file"],
        );

        // A file with an unknown key and a fraction written as a number.
        let dir = tempfile::tempdir().expect("a temp dir");
        let file = dir.path().join("budget.toml");
        std::fs::write(&file, "month = \"2026-03\"\nfoo = 1\n").expect("written");
        let path = file.to_str().expect("a path");
        refused(
            "an unknown key",
            both(&app, &["budget", "calculate", path]).await,
            2,
            &["budget.toml: rad 2: okänt fält `foo`; fälten är `month`", "2 | foo = 1"],
            &["budget.toml: line 2: unknown field `foo`", "2 | foo = 1"],
        );
        std::fs::write(
            &file,
            "month = \"2026-03\"\n[[incomes]]\ncategory = \"salary\"\namount = 8200.50\nfrequency = \"monthly\"\n",
        )
        .expect("written");
        refused(
            "an amount as a number with a fraction",
            both(&app, &["budget", "calculate", path]).await,
            2,
            &["rad 4: fel slags värde (decimaltal `8200.5`)", "inom citattecken"],
            &["line 4: invalid type: floating point `8200.5`", "an amount in quotes"],
        );

        // A token the server does not know: a refusal, exit 1, in words.
        let url = app.url();
        let bad_token = |lang: &'static str| {
            let url = url.clone();
            tokio::task::spawn_blocking(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"))
                    .current_dir(env!("CARGO_MANIFEST_DIR"))
                    .args(["--server", &url, "--token", "okänd", "--lang", lang])
                    .args(["norms", "list"])
                    .output()
                    .expect("budgetrad-cli runs")
            })
        };
        let sv = bad_token("sv").await.expect("ran");
        let en = bad_token("en").await.expect("ran");
        refused(
            "an unknown token",
            ((sv.status.code(), stderr(&sv)), (en.status.code(), stderr(&en))),
            1,
            &["Servern godtog inte din token", "Orsak: TOKEN_INVALID"],
            &["The server did not accept your token", "The server said:"],
        );
    })
    .await;
}

#[tokio::test]
async fn verify_ledger_bases_and_plan_checks_follow_the_language() {
    on_each_backend(|app| async move {
        let (_, lease) = case(&app).await;
        let sv = cli_as(&app, Role::Auditor, &["admin", "verify-ledger"]).await;
        let en = cli_as(
            &app,
            Role::Auditor,
            &["--lang", "en", "admin", "verify-ledger"],
        )
        .await;
        assert!(sv.contains("Hashkedjorna stämmer"), "{sv}");
        assert!(sv.contains("Reskontraposter kontrollerade: 0"), "{sv}");
        assert!(en.contains("The hash chains match"), "{en}");
        assert!(en.contains("Ledger entries checked: 0"), "{en}");
        assert!(!en.contains("Hashkedjorna"), "{en}");

        // The rules of the rent's due date and of a notice's deadline carry
        // a code, so the CLI words them in the run's language.
        let sv = cli(&app, &["rent-due", "2026-12"]).await;
        let en = cli(&app, &["--lang", "en", "rent-due", "2026-12"]).await;
        assert!(sv.contains("hyran betalas i förskott"), "{sv}");
        assert!(sv.contains("ett bostadskontrakt är förverkat"), "{sv}");
        assert!(!sv.contains("rent is paid"), "{sv}");
        assert!(en.contains("rent is paid in advance"), "{en}");
        let notice = cli(
            &app,
            &[
                "notices",
                "add",
                &lease,
                "--served",
                "2026-11-20",
                "--owed",
                "15000",
            ],
        )
        .await;
        assert!(notice.contains("hyresgästen behåller bostaden"), "{notice}");
        assert!(!notice.contains("the tenant"), "{notice}");

        // The plan's checks are worded from their fields, and the
        // arithmetic of a basis has a decimal comma in Swedish.
        let preview = commands("", &lease).swap_remove(6);
        // Wrapped lines joined and the table's borders dropped, so a phrase
        // may span two lines of a cell.
        let joined = |text: String| {
            text.replace(['│', '┆'], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let sv = joined(cli(&app, &preview).await);
        let mut with = vec!["--lang", "en"];
        with.extend(preview.iter().copied());
        let en = joined(cli(&app, &with).await);
        for words in [
            "ingen sparad budget: avbetalningen prövas inte",
            "första avbetalningen förfaller 2026-12-30, underrättelsens sista dag 2026-12-11",
            "avbetalning 2 391,67 = 10 041,67",
        ] {
            assert!(sv.contains(words), "no {words:?} in {sv}");
        }
        for english in ["no saved budget", "first instalment", "391.67"] {
            assert!(!sv.contains(english), "{english:?} in {sv}");
        }
        assert!(en.contains("first instalment due 2026-12-30"), "{en}");
        assert!(en.contains("avbetalning 2 391.67 = 10 041.67"), "{en}");
    })
    .await;
}

/// `--help` is Swedish by default, clap's headings and notes included, and
/// English with `--lang en`.
#[tokio::test]
async fn help_is_swedish_by_default_and_english_with_lang_en() {
    // No store is read: one backend is enough.
    let app = TestApp::spawn(budgetrad::store::Backend::Sqlite).await;
    let help = |args: &'static [&'static str]| {
        let app = &app;
        async move {
            let o = run(app, Role::Caseworker, args).await;
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            String::from_utf8_lossy(&o.stdout).into_owned()
        }
    };
    let sv = help(&["--help"]).await;
    has_all(
        &sv,
        &[
            "Användning:",
            "Kommandon:",
            "Flaggor:",
            "Visar hjälpen",
            "Hushåll och deras medlemmar",
            "[standard: sv]",
            "[miljövariabel: BUDGETRAD_LANG]",
        ],
    );
    has_none(
        &sv,
        &["Usage:", "Options:", "Commands:", "[default:", "Print help"],
    );
    let sv = help(&["debts", "add", "--help"]).await;
    has_all(&sv, &["Det ingående saldot", "Argument:", "Flaggor:"]);
    has_none(&sv, &["The opening balance", "Arguments:"]);

    let en = help(&["--lang", "en", "debts", "add", "--help"]).await;
    has_all(&en, &["Usage:", "The opening balance", "Options:"]);
    has_none(&en, &["Användning:", "Det ingående saldot"]);
}
