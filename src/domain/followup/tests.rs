use super::*;

#[test]
fn the_ladder_runs_from_jourlagenhet_to_forstahandskontrakt() {
    assert_eq!(rung(ContractType::Emergency), Some(1));
    assert_eq!(rung(ContractType::Supported), Some(2));
    assert_eq!(rung(ContractType::Social), Some(3));
    assert_eq!(rung(ContractType::HousingFirst), Some(4));
    assert_eq!(rung(ContractType::Training), Some(5));
    assert_eq!(rung(ContractType::FirstHand), Some(6));
    assert_eq!(rung(ContractType::SecondHand), None);
}

#[test]
fn a_figure_on_fewer_than_five_cases_is_suppressed() {
    let facts = MonthFacts {
        notices_received: 4,
        notices_resolved: [5, 0, 1, 7],
        payouts: [(4, 1_000_000), (5, 250_050)],
        ..MonthFacts::default()
    };
    let all = measures(&facts);
    let find = |code: &str, dim: &str| {
        all.iter()
            .find(|m| m.code == code && m.dimension == dim)
            .unwrap_or_else(|| panic!("{code} {dim}"))
            .published()
    };
    assert_eq!(find("notices_received", ""), None);
    assert_eq!(
        find("notices_resolved", "paid"),
        Some((Decimal::from(5), 5))
    );
    assert_eq!(find("notices_resolved", "plan_agreed"), None);
    assert_eq!(find("notices_resolved", "other"), None);
    // A sum over four payouts is suppressed as their count is.
    assert_eq!(find("payouts_sum", "rent"), None);
    assert_eq!(
        find("payouts_sum", "arrears"),
        Some((Decimal::new(250_050, 2), 5))
    );
    for m in &all {
        assert!(!m.definition().is_empty(), "{} has a definition", m.code);
    }
}

#[test]
fn a_median_of_an_even_count_is_the_mean_of_the_middle_two() {
    let even = Middle {
        cases: 6,
        middle_sum: 21,
        middle_count: 2,
    };
    assert_eq!(even.median(), Decimal::new(105, 1));
    let odd = Middle {
        cases: 5,
        middle_sum: 7,
        middle_count: 1,
    };
    assert_eq!(odd.median(), Decimal::from(7));
}
