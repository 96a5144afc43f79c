use super::*;
use chrono::NaiveDate;

use crate::domain::norms::NormKind;

#[test]
fn every_violation_is_a_field_of_the_bad_request() {
    let mut v = Violations::new();
    v.add("members[2].birth_date", "IN_FUTURE", "is in the future");
    v.add(
        "incomes[0].amount",
        "TOO_MANY_DECIMALS",
        "at most two decimals",
    );
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
    // Each with its language-neutral reason code, for a client to word.
    let reasons: Vec<String> = status
        .get_error_details()
        .bad_request()
        .unwrap()
        .field_violations
        .iter()
        .map(|f| f.reason.clone())
        .collect();
    assert_eq!(reasons, vec!["IN_FUTURE", "TOO_MANY_DECIMALS"]);
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

#[test]
fn violations_are_capped_with_a_count_of_the_rest() {
    let mut v = Violations::new();
    for i in 0..10_000 {
        v.add(
            format!("members[{i}].personnummer"),
            "PERSONNUMMER_INVALID",
            "is not a valid personnummer",
        );
    }
    let status = Status::from(ApiError::from(v));
    let list = status
        .get_error_details()
        .bad_request()
        .unwrap()
        .field_violations
        .clone();
    assert_eq!(list.len(), MAX_VIOLATIONS + 1);
    assert_eq!(list[0].field, "members[0].personnummer");
    let last = list.last().unwrap();
    assert_eq!(last.description, "9900 more invalid field(s) not listed");
    assert_eq!(last.reason, MORE_NOT_LISTED);
    assert!(
        status.details().len() < 16 * 1024,
        "{}",
        status.details().len()
    );
    assert!(status.message().len() < 1024, "{}", status.message().len());
    assert!(status.message().starts_with("10000 invalid field(s): "));
}

#[test]
fn long_violations_are_capped_by_size_too() {
    let mut v = Violations::new();
    for i in 0..200 {
        v.add(format!("f{i}"), "TOO_LONG", "x".repeat(1000));
    }
    let status = Status::from(ApiError::from(v));
    let list = status
        .get_error_details()
        .bad_request()
        .unwrap()
        .field_violations
        .clone();
    assert!(list.len() < 20, "{}", list.len());
    assert!(
        list.last()
            .unwrap()
            .description
            .ends_with("more invalid field(s) not listed")
    );
    assert!(status.details().len() < 16 * 1024);
}

#[test]
fn a_message_that_does_not_decode_is_the_callers_error() {
    let decode = Status::internal(
        "failed to decode Protobuf message: Member.name: invalid string value: data is not UTF-8 encoded",
    );
    assert!(is_decode_error(&decode));
    let mapped = caller_error(decode);
    assert_eq!(mapped.code(), Code::InvalidArgument);
    assert_eq!(
        mapped.message(),
        "the request could not be decoded: Member.name: invalid string value: data is not UTF-8 encoded"
    );
    // Our own internal errors stay internal.
    let internal = Status::internal("internal error");
    assert_eq!(caller_error(internal).code(), Code::Internal);
}
