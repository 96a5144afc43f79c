use super::*;

#[test]
fn dates_must_be_exactly_iso() {
    assert!(parse_date("2026-03-01").is_some());
    for bad in [
        "2026-3-1",
        "2026-02-30",
        "20260301",
        "2026/03/01",
        " 2026-03-01",
        "",
    ] {
        assert!(parse_date(bad).is_none(), "{bad}");
    }
}

#[test]
fn a_stream_item_error_carries_the_code_as_an_enum_and_an_upper_snake_reason() {
    use super::checks::item_error;
    use crate::domain::error::{DomainError, Violations};
    use tonic::Status;

    // A refusal keeps the ErrorInfo reason of the unary call.
    let refused: Status =
        DomainError::refused("NO_OPEN_ARREARS", "nothing is owed", "amount").into();
    let e = item_error(&refused, None);
    assert_eq!(e.code, "FAILED_PRECONDITION");
    assert_eq!(e.error_code, pb::ItemErrorCode::FailedPrecondition as i32);
    assert_eq!(e.reason, "NO_OPEN_ARREARS");

    // Invalid fields: INVALID_FIELDS, with the fields listed.
    let mut v = Violations::new();
    v.add("query.household_id", "ID_INVALID", "not a UUID");
    let invalid: Status = v.clone().into();
    let e = item_error(&invalid, Some(&v));
    assert_eq!(e.error_code, pb::ItemErrorCode::InvalidArgument as i32);
    assert_eq!(e.reason, "INVALID_FIELDS");
    assert_eq!(e.field_violations.len(), 1);

    // Anything else: the code's name; every gRPC code maps to its number.
    let e = item_error(&Status::internal("internal error"), None);
    assert_eq!(e.error_code, pb::ItemErrorCode::Internal as i32);
    assert_eq!(e.reason, "INTERNAL");
    for code in 1..=16 {
        let status = Status::new(tonic::Code::from_i32(code), "x");
        assert_eq!(item_error(&status, None).error_code, code);
    }
}
