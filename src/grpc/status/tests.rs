use super::*;
use chrono::NaiveDate;

use crate::domain::norms::NormKind;

#[test]
fn every_violation_is_a_field_of_the_bad_request() {
    let mut v = Violations::new();
    v.add("members[2].birth_date", "is in the future");
    v.add("incomes[0].amount", "at most two decimals");
    let status = Status::from(ApiError::from(v));
    assert_eq!(status.code(), Code::InvalidArgument);
    let fields: Vec<String> = status
        .get_error_details()
        .bad_request()
        .unwrap()
        .field_violations
        .iter()
        .map(|f| f.field.clone())
        .collect();
    assert_eq!(fields, vec!["members[2].birth_date", "incomes[0].amount"]);
}

#[test]
fn a_missing_table_names_the_table_and_year() {
    let status = Status::from(ApiError::from(DomainError::NormTableMissing {
        kind: NormKind::Riksnorm,
        date: NaiveDate::from_ymd_opt(2031, 3, 1).unwrap(),
    }));
    assert_eq!(status.code(), Code::FailedPrecondition);
    let info = status.get_error_details().error_info().unwrap().clone();
    assert_eq!(info.reason, "NORM_TABLE_MISSING");
    assert_eq!(info.metadata.get("year").map(String::as_str), Some("2031"));
    assert!(status.message().contains("riksnorm"));
}

#[test]
fn internal_errors_say_nothing_of_internals() {
    let status = Status::from(ApiError::from(StoreError::Other(anyhow::anyhow!(
        "constraint households_pkey on table x"
    ))));
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(status.message(), "internal error");
}
