use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::testkit::date;

fn table(
    id: &str,
    kind: NormKind,
    from: NaiveDate,
    to: NaiveDate,
    status: TableStatus,
) -> NormTable {
    NormTable {
        id: id.into(),
        kind,
        valid_from: from,
        valid_to: to,
        status,
        source: "test".into(),
        version: 1,
        loaded_by: "test".into(),
        loaded_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        rows: BTreeMap::new(),
    }
}

/// The tables shipped as of 2026-12-04: riksnorm and normalbelopp to 2026,
/// referensränta to 2026-12-31 (the second half provisional).
fn shipped() -> Vec<NormTable> {
    use NormKind::*;
    use TableStatus::*;
    vec![
        table(
            "riksnorm-2026",
            Riksnorm,
            date(2026, 1, 1),
            date(2026, 12, 31),
            Official,
        ),
        table(
            "normalbelopp-2026",
            Normalbelopp,
            date(2026, 1, 1),
            date(2026, 12, 31),
            Provisional,
        ),
        table(
            "referensranta-2026-01",
            Referensranta,
            date(2026, 1, 1),
            date(2026, 6, 30),
            Official,
        ),
        table(
            "referensranta-2026-07",
            Referensranta,
            date(2026, 7, 1),
            date(2026, 12, 31),
            Provisional,
        ),
    ]
}

fn labels(today: NaiveDate) -> Vec<String> {
    needed_periods(today)
        .iter()
        .map(|p| format!("{} {}", p.kind.as_str(), p.label))
        .collect()
}

#[test]
fn the_next_year_is_needed_from_1_november() {
    assert_eq!(
        labels(date(2026, 10, 31)),
        [
            "riksnorm 2026",
            "normalbelopp 2026",
            "referensranta 2026-H2"
        ]
    );
    assert_eq!(
        labels(date(2026, 11, 1)),
        [
            "riksnorm 2026",
            "riksnorm 2027",
            "normalbelopp 2026",
            "normalbelopp 2027",
            "referensranta 2026-H2"
        ]
    );
    assert_eq!(
        missing(&norm_status(&shipped(), date(2026, 10, 31))),
        Vec::<String>::new()
    );
    assert_eq!(
        missing(&norm_status(&shipped(), date(2026, 11, 1))),
        ["riksnorm 2027", "normalbelopp 2027"]
    );
}

#[test]
fn the_second_half_year_is_needed_from_1_june() {
    assert_eq!(
        labels(date(2026, 5, 31)),
        [
            "riksnorm 2026",
            "normalbelopp 2026",
            "referensranta 2026-H1"
        ]
    );
    let june = needed_periods(date(2026, 6, 1));
    let rate: Vec<_> = june
        .iter()
        .filter(|p| p.kind == NormKind::Referensranta)
        .collect();
    assert_eq!(rate.len(), 2);
    assert_eq!(
        (
            rate[1].label.as_str(),
            rate[1].from,
            rate[1].to,
            rate[1].upcoming
        ),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), true)
    );
    // Without the 2026-H2 table, 1 June warns and 31 May does not.
    let without_h2: Vec<_> = shipped()
        .into_iter()
        .filter(|t| t.id != "referensranta-2026-07")
        .collect();
    assert!(missing(&norm_status(&without_h2, date(2026, 5, 31))).is_empty());
    assert_eq!(
        missing(&norm_status(&without_h2, date(2026, 6, 1))),
        ["referensranta 2026-H2"]
    );
    assert!(missing(&norm_status(&shipped(), date(2026, 6, 1))).is_empty());
}

#[test]
fn the_next_first_half_year_is_needed_from_1_december() {
    let nov = norm_status(&shipped(), date(2026, 11, 30));
    assert!(!missing(&nov).contains(&"referensranta 2027-H1".to_owned()));
    let dec = norm_status(&shipped(), date(2026, 12, 1));
    assert_eq!(
        missing(&dec),
        [
            "riksnorm 2027",
            "normalbelopp 2027",
            "referensranta 2027-H1"
        ]
    );
    let h1 = dec.iter().find(|s| s.period.label == "2027-H1").unwrap();
    assert_eq!(
        (h1.period.from, h1.period.to),
        (date(2027, 1, 1), date(2027, 6, 30))
    );
    assert!(h1.table_ids.is_empty());
    assert!(h1.warning.contains("NORM_TABLE_MISSING"), "{}", h1.warning);
}

#[test]
fn coverage_says_official_provisional_or_missing_with_the_tables() {
    let s = norm_status(&shipped(), date(2026, 12, 4));
    let find = |kind: NormKind, label: &str| {
        s.iter()
            .find(|x| x.period.kind == kind && x.period.label == label)
            .unwrap()
    };
    let r = find(NormKind::Riksnorm, "2026");
    assert_eq!(
        (r.coverage, r.table_ids.clone(), r.warning.as_str()),
        (Coverage::Official, vec!["riksnorm-2026".to_owned()], "")
    );
    let n = find(NormKind::Normalbelopp, "2026");
    assert_eq!(n.coverage, Coverage::Provisional);
    assert!(n.warning.contains("provisional"), "{}", n.warning);
    let h2 = find(NormKind::Referensranta, "2026-H2");
    assert_eq!(
        (h2.coverage, h2.table_ids.clone()),
        (
            Coverage::Provisional,
            vec!["referensranta-2026-07".to_owned()]
        )
    );
    assert_eq!(find(NormKind::Riksnorm, "2027").coverage, Coverage::Missing);
}

#[test]
fn a_period_is_covered_only_when_every_day_has_a_table() {
    use NormKind::Referensranta;
    use TableStatus::Official;
    let h1 = half_year_period(2027, false, false);
    // Two tables that join without a gap cover it.
    let joined = vec![
        table(
            "a",
            Referensranta,
            date(2027, 1, 1),
            date(2027, 3, 31),
            Official,
        ),
        table(
            "b",
            Referensranta,
            date(2027, 4, 1),
            date(2027, 6, 30),
            Official,
        ),
    ];
    assert_eq!(
        cover(&joined, &h1),
        (Coverage::Official, vec!["a".to_owned(), "b".to_owned()])
    );
    // A day's gap, a late start or an early end does not.
    let gap = vec![
        table(
            "a",
            Referensranta,
            date(2027, 1, 1),
            date(2027, 3, 30),
            Official,
        ),
        table(
            "b",
            Referensranta,
            date(2027, 4, 1),
            date(2027, 6, 30),
            Official,
        ),
    ];
    assert_eq!(cover(&gap, &h1).0, Coverage::Missing);
    let late = vec![table(
        "a",
        Referensranta,
        date(2027, 1, 2),
        date(2027, 6, 30),
        Official,
    )];
    assert_eq!(cover(&late, &h1).0, Coverage::Missing);
    let early = vec![table(
        "a",
        Referensranta,
        date(2027, 1, 1),
        date(2027, 6, 29),
        Official,
    )];
    assert_eq!(cover(&early, &h1).0, Coverage::Missing);
    // Another kind's table covers nothing.
    let other = vec![table(
        "r",
        NormKind::Riksnorm,
        date(2027, 1, 1),
        date(2027, 12, 31),
        Official,
    )];
    assert_eq!(cover(&other, &h1), (Coverage::Missing, Vec::new()));
}

#[test]
fn a_missing_current_period_is_reported_too() {
    // 2025: normalbelopp is NOT FOUND and not shipped.
    let tables = vec![table(
        "riksnorm-2025",
        NormKind::Riksnorm,
        date(2025, 1, 1),
        date(2025, 12, 31),
        TableStatus::Official,
    )];
    let m = missing(&norm_status(&tables, date(2025, 3, 10)));
    assert_eq!(m, ["normalbelopp 2025", "referensranta 2025-H1"]);
}
