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
    assert!(err.contains("unknown field `lunch_at_shcool`"), "{err}");
    assert!(err.contains("line 5"), "{err}");
}

#[test]
fn an_unknown_field_in_json_is_named() {
    let err = parse::<HouseholdFile>(
        r#"{"case_reference": "x", "members": [], "adress": "y"}"#,
        Kind::Json,
    )
    .unwrap_err();
    assert!(err.contains("unknown field `adress`"), "{err}");
}

#[test]
fn an_unknown_enum_name_lists_the_allowed_names() {
    let err = toml::<BudgetFile>(
        "month = \"2026-03\"\n[[incomes]]\ncategory = \"lottery\"\namount = \"1\"\nfrequency = \"monthly\"\n",
    )
    .unwrap_err();
    assert!(err.contains("unknown income category \"lottery\""), "{err}");
    assert!(err.contains("salary, pension, sickness_benefit"), "{err}");
    assert!(err.contains("line 3"), "{err}");

    let err = toml::<BudgetFile>(
        "month = \"2026-03\"\n[[expenses]]\ncategory = \"rent\"\namount = \"1\"\nfrequency = \"biweekly\"\n",
    )
    .unwrap_err();
    assert!(err.contains("unknown frequency \"biweekly\""), "{err}");
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
    assert!(err.contains("quoted decimal string"), "{err}");

    let err = parse::<BudgetFile>(
        r#"{"month": "2026-03", "expenses": [{"category": "rent", "amount": 12.5, "frequency": "monthly"}]}"#,
        Kind::Json,
    )
    .unwrap_err();
    assert!(err.contains("quoted decimal string"), "{err}");
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
    assert!(err.contains("without a time"), "{err}");
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
    assert!(err.contains("unknown norm table kind"), "{err}");
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
    assert!(err.contains("unknown field `version`"), "{err}");
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
    assert!(err.contains("not both"), "{err}");

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
