use super::*;

fn money(s: &str) -> Option<pb::Money> {
    Some(pb::Money { amount: s.into() })
}

#[test]
fn thousands_are_grouped_without_touching_the_digits() {
    assert_eq!(group_thousands("1234567.50"), "1 234 567.50");
    assert_eq!(group_thousands("-1234.00"), "-1 234.00");
    assert_eq!(group_thousands("999.99"), "999.99");
    assert_eq!(group_thousands("0"), "0");
    assert_eq!(group_thousands("1e3"), "1e3");
    assert_eq!(kr(&None), "–");
    // The tests run in Swedish, the default.
    assert_eq!(kr(&money("14350.00")), "14 350,00 kr");
    assert_eq!(kr(&money("-1234.5")), "-1 234,5 kr");
    assert_eq!(kr(&money("n/a")), "n/a");
}

#[test]
fn a_budget_prints_every_basis_and_flags_provisional_tables() {
    let r = pb::BudgetResult {
        month: "2026-03".into(),
        incomes: vec![pb::IncomeLine {
            category: pb::IncomeCategory::Salary.into(),
            description: "lön".into(),
            amount: money("5000.00"),
            frequency: pb::Frequency::Weekly.into(),
            monthly_amount: money("21666.67"),
            basis: Some(pb::Basis {
                rule: "weekly × 52 / 12".into(),
                source: String::new(),
                arithmetic: "5 000.00 × 52 / 12 = 21 666.67".into(),
                ..Default::default()
            }),
        }],
        expenses: vec![],
        total_income: money("21666.67"),
        total_expenses: money("0.00"),
        surplus: money("-12.00"),
        comparisons: vec![],
        warnings: vec!["no reference-costs table is in force".into()],
        tables: vec![pb::TableRef {
            table_id: "reference-costs-2026".into(),
            version: 2,
            status: pb::TableStatus::Provisional.into(),
            source: "example".into(),
        }],
    };
    let text = budget_result(&r);
    assert!(text.contains("5 000,00 × 52 / 12 = 21 666,67"), "{text}");
    assert!(text.contains("21 666,67 kr"), "{text}");
    assert!(text.contains("│ lön "), "{text}");
    assert!(text.contains("per vecka"), "{text}");
    assert!(
        text.contains("OBS: beräknat från en PRELIMINÄR normtabell"),
        "{text}"
    );
    assert!(text.contains("Underskott"), "{text}");
    assert!(
        text.contains("no reference-costs table is in force"),
        "{text}"
    );
}

#[test]
fn social_assistance_names_the_members_of_each_unit() {
    let members = vec![
        pb::Member {
            role: pb::MemberRole::Applicant.into(),
            ..Default::default()
        },
        pb::Member {
            role: pb::MemberRole::Child.into(),
            ..Default::default()
        },
    ];
    let r = pb::CalculateSocialAssistanceResponse {
        month: "2026-03".into(),
        riksnorm_units: vec![pb::NormUnit {
            label: "sökande med barn".into(),
            member_indexes: vec![0, 1],
            lines: vec![pb::AmountLine {
                label: "barn 7–10 år".into(),
                amount: money("3000.00"),
                basis: Some(pb::Basis {
                    rule: "riksnorm: personal cost by age band".into(),
                    source: "riksnorm 2099, 7–10 år: 3 000".into(),
                    arithmetic: "3 000".into(),
                    ..Default::default()
                }),
            }],
            total: money("3000.00"),
        }],
        assistance: money("1234.00"),
        rent_part: money("1234.00"),
        ..Default::default()
    };
    let text = social_assistance(&r, &members);
    assert!(text.contains("medlem 1 sökande, 2 barn"), "{text}");
    assert!(text.contains("riksnorm 2099, 7–10 år: 3 000"), "{text}");
    assert!(text.contains("varav hyresdel"), "{text}");
}

#[test]
fn the_offers_coded_bases_are_worded_here_and_the_room_rule_as_the_domain_states_it() {
    let coded = |code: &str, rule: &str, source: &str| {
        basis(&Some(pb::Basis {
            rule: rule.into(),
            source: source.into(),
            arithmetic: "900.00".into(),
            rule_code: code.into(),
        }))
    };
    // The tests run in Swedish, the default.
    assert_eq!(
        coded(
            "OFFER_AMOUNT_GIVEN",
            "the monthly amount for creditors, as given",
            "the request"
        ),
        "månadsbeloppet till borgenärerna, som det angavs\nangivet med --available\n900,00"
    );
    assert_eq!(
        coded("OFFER_NO_BUDGET", "no saved budget and no amount given", ""),
        "ingen sparad budget och inget belopp angivet\n900,00"
    );
    // The CLI's Swedish is the domain's own wording of the rule.
    assert!(
        coded("OFFER_ROOM", "", "").starts_with(crate::domain::debt::offer::ROOM_RULE),
        "{}",
        coded("OFFER_ROOM", "", "")
    );
    assert!(
        coded("PRO_RATA_SHARE", "", "").starts_with(crate::domain::debt::offer::SHARE_RULE),
        "{}",
        coded("PRO_RATA_SHARE", "", "")
    );
    // A code the CLI does not know: the server's rule as it is.
    assert_eq!(coded("SOMETHING_NEW", "a rule", ""), "a rule\n900,00");
}
