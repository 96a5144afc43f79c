use super::*;

fn draft(kind: NormKind, rows: &[(&str, i64)]) -> NormTableDraft {
    NormTableDraft {
        id: "t-1".into(),
        kind,
        valid_from: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        valid_to: NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(),
        status: TableStatus::Official,
        source: "test".into(),
        rows: rows
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Decimal::from(*v)))
            .collect(),
    }
}

#[test]
fn every_required_row_must_be_present() {
    let v = check_draft(&draft(NormKind::Normalbelopp, &[("single_adult", 1)]), "t");
    let fields: Vec<_> = v.iter().map(|f| f.field.clone()).collect();
    assert!(fields.contains(&"t.rows[cohabiting_pair]".to_owned()));
    assert_eq!(fields.len(), 5);
}

#[test]
fn negative_and_unknown_rows_are_rejected() {
    let v = check_draft(
        &draft(
            NormKind::Referensranta,
            &[("referensranta", -1), ("bogus", 1)],
        ),
        "t",
    );
    let fields: Vec<_> = v.iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, vec!["t.rows[bogus]".to_owned()]); // a negative rate is allowed
    let v = check_draft(
        &draft(
            NormKind::Normalbelopp,
            &[
                ("single_adult", -1),
                ("cohabiting_pair", 1),
                ("child_0_6", 1),
                ("child_7_10", 1),
                ("child_11_14", 1),
                ("child_15_plus", 1),
            ],
        ),
        "t",
    );
    assert_eq!(v.iter().next().unwrap().field, "t.rows[single_adult]");
}

#[test]
fn reference_costs_need_every_band_of_a_category() {
    let v = check_draft(
        &draft(NormKind::ReferenceCosts, &[("food.age_0", 100)]),
        "t",
    );
    assert_eq!(v.iter().count(), REFERENCE_AGE_BANDS.len() - 1);
    let rows: Vec<(String, i64)> = (1..=7).map(|n| (format!("media.size_{n}"), 100)).collect();
    let rows: Vec<(&str, i64)> = rows.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert!(check_draft(&draft(NormKind::ReferenceCosts, &rows), "t").is_empty());
}

#[test]
fn reference_age_bands_cover_every_age() {
    assert_eq!(reference_age_band(0), "age_0");
    assert_eq!(reference_age_band(5), "age_2_5");
    assert_eq!(reference_age_band(60), "age_31_60");
    assert_eq!(reference_age_band(120), "age_75_plus");
}
