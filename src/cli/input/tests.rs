use super::*;

fn toml<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    parse(text, Kind::Toml)
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

#[test]
fn the_budget_example_parses() {
    let path = example("budget.toml");
    let file: BudgetFile = load(&path).unwrap();
    let request = file.calculate_request(&path).unwrap();
    assert!(!request.members.is_empty());
    assert!(!request.incomes.is_empty());
    assert!(!request.expenses.is_empty());
    assert_eq!(
        request.members[0].role,
        i32::from(pb::MemberRole::Applicant)
    );
}

#[test]
fn the_saved_budget_example_parses() {
    let path = example("budget-saved-household.toml");
    let file: BudgetFile = load(&path).unwrap();
    let request = file.create_request(&path, "h-1".into()).unwrap();
    assert_eq!(request.household_id, "h-1");
    assert!(!request.expenses.is_empty());
}

#[test]
fn the_household_example_parses() {
    let path = example("household.toml");
    let file: HouseholdFile = load(&path).unwrap();
    let request = file.create_request(&path).unwrap();
    let household = request.household.unwrap();
    assert!(household.members.len() >= 2);
    assert_eq!(
        household.members[0].personal_identity_number,
        "19640823-3234"
    );
}

#[test]
fn the_social_assistance_examples_parse() {
    let path = example("social-assistance.toml");
    let file: SocialAssistanceFile = load(&path).unwrap();
    let request = file.request(&path, None).unwrap();
    assert!(request.household_id.is_empty());
    assert!(!request.members.is_empty());
    assert!(!request.costs.is_empty());

    let path = example("social-assistance-household.json");
    let file: SocialAssistanceFile = load(&path).unwrap();
    let request = file.request(&path, Some("h-1".into())).unwrap();
    assert_eq!(request.household_id, "h-1");
    assert!(request.members.is_empty());
}

#[test]
fn the_debt_case_examples_parse() {
    let path = example("skuldsanering.toml");
    let file: DebtCaseFile = load(&path).unwrap();
    let request = file.clone().restructuring_request(&path, None).unwrap();
    assert_eq!(request.claims.len(), 3);
    assert_eq!(request.input.unwrap().members.len(), 1);
    // The same file is not a förbehållsbelopp case: claims are refused.
    assert!(file.protected_request(&path, None).is_err());

    let path = example("protected-amount.toml");
    let file: DebtCaseFile = load(&path).unwrap();
    let request = file.protected_request(&path, None).unwrap();
    assert_eq!(request.input.unwrap().members.len(), 4);
    assert!(request.net_income.is_some());
}

#[test]
fn the_norm_table_example_parses_and_is_clearly_a_demonstration() {
    let path = example("norm-table-riksnorm-2099-example.toml");
    let file: NormTableFile = load(&path).unwrap();
    let table = file.request().norm_table.unwrap();
    assert_eq!(table.kind, i32::from(pb::NormTableKind::Riksnorm));
    assert_eq!(table.status, i32::from(pb::TableStatus::Provisional));
    assert!(table.valid_from.starts_with("2099"));
    assert!(table.source.contains("example only"));
    let keys: Vec<&str> = table.rows.iter().map(|r| r.key.as_str()).collect();
    for key in [
        "child_0",
        "child_1_2",
        "child_3",
        "child_4_6",
        "child_7_10",
        "child_11_14",
        "child_15_18",
        "child_19_20",
        "single_adult",
        "cohabiting_pair",
        "shared_1",
        "shared_7",
    ] {
        assert!(keys.contains(&key), "{key} missing");
    }
}

#[test]
fn an_unknown_field_is_named_with_the_file() {
    let dir = std::env::temp_dir().join(format!("budgetrad-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("typo.toml");
    std::fs::write(
        &path,
        "month = \"2026-03\"\n[[members]]\nrole = \"child\"\nage = 7\nlunch_at_shcool = true\n",
    )
    .unwrap();
    let err = load::<BudgetFile>(&path).unwrap_err().to_string();
    std::fs::remove_file(&path).ok();
    assert!(err.contains("typo.toml"), "{err}");
    assert!(err.contains("okänt fält `lunch_at_shcool`"), "{err}");
    assert!(err.contains("rad 5"), "{err}");
}

#[test]
fn an_unknown_field_in_json_is_named() {
    let err = parse::<HouseholdFile>(
        r#"{"case_reference": "x", "members": [], "adress": "y"}"#,
        Kind::Json,
    )
    .unwrap_err();
    assert!(err.contains("okänt fält `adress`"), "{err}");
}

#[test]
fn an_unknown_enum_name_lists_the_allowed_names() {
    let err = toml::<BudgetFile>(
        "month = \"2026-03\"\n[[incomes]]\ncategory = \"lottery\"\namount = \"1\"\nfrequency = \"monthly\"\n",
    )
    .unwrap_err();
    assert!(err.contains("okänt värde \"lottery\""), "{err}");
    assert!(err.contains("salary, pension, sickness_benefit"), "{err}");
    assert!(err.contains("rad 3"), "{err}");

    let err = toml::<BudgetFile>(
        "month = \"2026-03\"\n[[expenses]]\ncategory = \"rent\"\namount = \"1\"\nfrequency = \"biweekly\"\n",
    )
    .unwrap_err();
    assert!(err.contains("okänt värde \"biweekly\""), "{err}");
    assert!(err.contains("every_four_weeks"), "{err}");
}

#[test]
fn amounts_are_text_or_whole_numbers_never_fractions() {
    let file: BudgetFile = toml(
        "month = \"2026-03\"\n[[expenses]]\ncategory = \"rent\"\namount = 8200\nfrequency = \"monthly\"\n[[incomes]]\ncategory = \"salary\"\namount = \"21500.50\"\nfrequency = \"monthly\"\n",
    )
    .unwrap();
    assert_eq!(file.expenses[0].amount, AmountText("8200".into()));
    assert_eq!(file.incomes[0].amount, AmountText("21500.50".into()));

    let err = toml::<BudgetFile>(
        "month = \"2026-03\"\n[[expenses]]\ncategory = \"rent\"\namount = 8200.50\nfrequency = \"monthly\"\n",
    )
    .unwrap_err();
    assert!(err.contains("ett belopp inom citattecken"), "{err}");

    let err = parse::<BudgetFile>(
        r#"{"month": "2026-03", "expenses": [{"category": "rent", "amount": 12.5, "frequency": "monthly"}]}"#,
        Kind::Json,
    )
    .unwrap_err();
    assert!(err.contains("ett belopp inom citattecken"), "{err}");
}

#[test]
fn dates_may_be_bare_toml_dates() {
    let file: HouseholdFile =
        toml("[[members]]\nrole = \"child\"\nbirth_date = 2019-02-03\n").unwrap();
    assert_eq!(
        file.members[0].birth_date,
        Some(DateText("2019-02-03".into()))
    );
    let err =
        toml::<HouseholdFile>("[[members]]\nrole = \"child\"\nbirth_date = 2019-02-03T10:00:00\n")
            .unwrap_err();
    assert!(err.contains("utan klockslag"), "{err}");
}

#[test]
fn reference_cost_rows_may_be_sub_tables() {
    let file: NormTableFile = toml(
        "id = \"rc-2099\"\nkind = \"reference_costs\"\nvalid_from = 2099-01-01\nvalid_to = 2099-12-31\nstatus = \"provisional\"\nsource = \"example only\"\n[rows]\n\"media.size_1\" = \"100\"\n[rows.food]\nage_0 = \"10\"\nage_1 = 20\n",
    )
    .unwrap();
    let keys: Vec<&String> = file.rows.0.keys().collect();
    assert_eq!(keys, ["food.age_0", "food.age_1", "media.size_1"]);

    let err = toml::<NormTableFile>(
        "id = \"x\"\nkind = \"referensränta\"\nvalid_from = \"2099-01-01\"\nvalid_to = \"2099-06-30\"\nstatus = \"official\"\nsource = \"s\"\n[rows]\nreferensranta = \"2\"\n",
    )
    .unwrap_err();
    assert!(err.contains("okänt värde \"referensränta\""), "{err}");
    assert!(
        err.contains("riksnorm, normalbelopp, referensranta, reference_costs"),
        "{err}"
    );
}

#[test]
fn output_only_fields_of_a_norm_table_are_refused() {
    let err = toml::<NormTableFile>(
        "id = \"x\"\nkind = \"riksnorm\"\nvalid_from = \"2099-01-01\"\nvalid_to = \"2099-12-31\"\nstatus = \"official\"\nsource = \"s\"\nversion = 3\n[rows]\n",
    )
    .unwrap_err();
    assert!(err.contains("okänt fält `version`"), "{err}");
}

#[test]
fn a_saved_budget_refuses_members() {
    let path = Path::new("b.toml");
    let file: BudgetFile =
        toml("month = \"2026-03\"\n[[members]]\nrole = \"applicant\"\nage = 40\n").unwrap();
    let err = file
        .create_request(path, "h".into())
        .unwrap_err()
        .to_string();
    assert!(err.contains("b.toml"), "{err}");
    assert!(err.contains("members:"), "{err}");
}

#[test]
fn calculations_refuse_member_ids() {
    let path = Path::new("b.toml");
    let file: BudgetFile =
        toml("month = \"2026-03\"\n[[members]]\nid = \"m-1\"\nrole = \"applicant\"\nage = 40\n")
            .unwrap();
    let err = file.calculate_request(path).unwrap_err().to_string();
    assert!(err.contains("members[0].id"), "{err}");
}

#[test]
fn social_assistance_takes_a_household_or_members_not_both() {
    let path = Path::new("s.toml");
    let file: SocialAssistanceFile = toml(
        "month = \"2026-03\"\nhousehold_id = \"h-1\"\n[[members]]\nrole = \"applicant\"\nage = 40\n",
    )
    .unwrap();
    let err = file.request(path, None).unwrap_err().to_string();
    assert!(err.contains("inte båda"), "{err}");

    let file: SocialAssistanceFile = toml("month = \"2026-03\"\nhousehold_id = \"h-1\"\n").unwrap();
    let err = file
        .request(path, Some("h-2".into()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("--household-id"), "{err}");
}

#[test]
fn a_household_update_checks_the_file_against_the_command_line() {
    let path = Path::new("h.json");
    let file: HouseholdFile = parse(
        r#"{"id": "h-1", "revision": 3, "create_time": "2026-01-01T00:00:00Z", "update_time": null,
            "case_reference": "x", "members": [{"id": "m-1", "role": "applicant",
            "birth_date": "1964-08-23", "personal_identity_number": "196408233234",
            "age": null, "lunch_at_school": false, "residence_days": 0, "residence_period_days": 0}]}"#,
        Kind::Json,
    )
    .unwrap();
    let request = file.clone().update_request(path, "h-1".into(), 3).unwrap();
    let household = request.household.unwrap();
    assert_eq!(household.members[0].id, "m-1");
    assert_eq!(household.revision, 3);
    let err = file
        .update_request(path, "h-1".into(), 4)
        .unwrap_err()
        .to_string();
    assert!(err.contains("revision 3"), "{err}");
}

#[test]
fn files_need_a_known_extension() {
    let err = load::<BudgetFile>(Path::new("budget.yaml")).unwrap_err();
    assert!(matches!(err, InputError::Format { .. }));
    assert!(err.to_string().contains("budget.yaml"));
}

#[test]
fn amounts_as_people_write_them_become_the_wire_form() {
    use super::parse_amount;
    for (written, wire) in [
        ("1500", "1500"),
        ("1500.50", "1500.50"),
        ("1500,50", "1500.50"),
        ("1 500,50", "1500.50"),
        ("1\u{a0}500,50", "1500.50"),
        ("1\u{202f}500,5", "1500.5"),
        ("1 500 kr", "1500"),
        ("1500kr", "1500"),
        ("12 000 000,00 KR", "12000000.00"),
        (" 8200 ", "8200"),
        ("-150", "-150"),
        ("-1 500,50 kr", "-1500.50"),
        ("0,5", "0.5"),
    ] {
        assert_eq!(parse_amount(written).as_deref(), Ok(wire), "{written:?}");
    }
}

#[test]
fn ambiguous_or_malformed_amounts_are_refused_with_the_forms_accepted() {
    use super::parse_amount;
    for written in [
        "",
        "kr",
        "1,5x",
        "1,500",
        "1.500",
        "1.500,50",
        "1 50",
        "1500 00",
        "12 3456",
        "1,505",
        "1,",
        ",5",
        "abc",
        "1e3",
        "--5",
        "1 500,50 sek",
        "1500,123",
    ] {
        let e = parse_amount(written).expect_err(written);
        assert!(
            e.ends_with("skriv ett belopp som 1 500,50 eller 1500.50 (gärna följt av kr)"),
            "{written:?}: {e}"
        );
    }
}

#[test]
fn dates_with_or_without_hyphens_become_the_wire_form() {
    use super::parse_date;
    assert_eq!(parse_date("2026-12-02").as_deref(), Ok("2026-12-02"));
    assert_eq!(parse_date("20261202").as_deref(), Ok("2026-12-02"));
    assert_eq!(parse_date(" 2028-02-29 ").as_deref(), Ok("2028-02-29"));
    for written in [
        "2026-02-30",
        "20260230",
        "2026-1-2",
        "02.12.2026",
        "2026/12/02",
        "",
        "261202",
    ] {
        let e = parse_date(written).expect_err(written);
        assert!(
            e.ends_with("skriv ett datum som 2026-12-02 eller 20261202"),
            "{written:?}: {e}"
        );
    }
}

#[test]
fn amounts_and_dates_in_files_are_read_in_peoples_forms() {
    let file: BudgetFile = parse(
        r#"
month = "2026-12"
[[members]]
role = "applicant"
birth_date = "19900517"
[[incomes]]
category = "salary"
amount = "21 500,50 kr"
frequency = "monthly"
"#,
        Kind::Toml,
    )
    .expect("a budget file");
    assert_eq!(file.incomes[0].amount, AmountText("21500.50".into()));
    assert_eq!(
        file.members[0].birth_date,
        Some(DateText("1990-05-17".into()))
    );
    let e = parse::<BudgetFile>(
        "month = \"2026-12\"\n[[incomes]]\ncategory = \"salary\"\namount = \"19850,5x\"\nfrequency = \"monthly\"\n",
        Kind::Toml,
    )
    .expect_err("a bad amount");
    assert!(
        e.contains("rad 4") && e.contains("amount = \"19850,5x\""),
        "{e}"
    );
    assert!(e.contains("ett belopp som 1 500,50 eller 1500.50"), "{e}");
}

#[test]
fn csv_headers_are_checked_and_the_delimiter_detected() {
    use super::csv_file::{Columns, check_header, detect_delimiter, excel_amount};
    const COLUMNS: Columns = Columns {
        known: &["a", "b", "c"],
        required: &["a"],
        one_of: &[&["b", "c"]],
    };
    let header = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
    assert_eq!(check_header(&header(&["a", "c"]), &COLUMNS), Ok(()));
    let e = check_header(&header(&["a", "b", "x"]), &COLUMNS).expect_err("unknown");
    assert!(e.starts_with("okänd kolumn \"x\""), "{e}");
    let e = check_header(&header(&["b"]), &COLUMNS).expect_err("missing");
    assert!(e.starts_with("kolumnen \"a\" saknas"), "{e}");
    let e = check_header(&header(&["a"]), &COLUMNS).expect_err("neither");
    assert!(
        e.starts_with("en kolumn saknas: ange \"b\" eller \"c\""),
        "{e}"
    );
    let e = check_header(&header(&["a", "b", "a"]), &COLUMNS).expect_err("twice");
    assert!(e.contains("\"a\" står två gånger"), "{e}");
    assert_eq!(detect_delimiter(b"a;b;c"), b';');
    assert_eq!(detect_delimiter(b"a,b,c"), b',');
    assert_eq!(detect_delimiter(b"a"), b',');
    assert_eq!(excel_amount("7900.00"), "7900,00");
}

#[test]
fn a_bad_amount_in_json_shows_the_line_with_its_key() {
    let e = parse::<BudgetFile>(
        "{\n  \"month\": \"2026-12\",\n  \"incomes\": [\n    {\"category\": \"salary\", \"amount\": \"1,5x\", \"frequency\": \"monthly\"}\n  ]\n}\n",
        Kind::Json,
    )
    .expect_err("a bad amount");
    assert!(e.contains("rad 4"), "{e}");
    assert!(
        e.contains("4 | {\"category\": \"salary\", \"amount\": \"1,5x\""),
        "{e}"
    );
    assert!(e.contains("ett belopp som 1 500,50 eller 1500.50"), "{e}");
}
