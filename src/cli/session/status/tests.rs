use tonic_types::{ErrorDetails, FieldViolation, PreconditionViolation};

use super::*;

const CTX: Context = Context {
    server: "http://127.0.0.1:50051",
    token_source: "--token",
    roles: "counsellor or caseworker",
    naming: Naming::Wire,
};

#[test]
fn field_violations_are_listed() {
    let status = Status::with_error_details(
        Code::InvalidArgument,
        "the request has invalid fields",
        ErrorDetails::with_bad_request(vec![
            FieldViolation::new("members[2].birth_date", "is in the future"),
            FieldViolation::new("incomes[0].amount.amount", "at most two decimals"),
        ]),
    );
    assert_eq!(
        explain(&status, &CTX),
        "Begäran godtogs inte:\n  - members[2].birth_date: is in the future\n  - incomes[0].amount: at most two decimals"
    );
}

fn coded(field: &str, reason: &str, description: &str) -> FieldViolation {
    FieldViolation {
        reason: reason.to_owned(),
        ..FieldViolation::new(field, description)
    }
}

#[test]
fn field_violations_name_the_flag_or_the_file_key_in_swedish() {
    let status = Status::with_error_details(
        Code::InvalidArgument,
        "2 invalid field(s)",
        ErrorDetails::with_bad_request(vec![
            coded("debt.balance.amount", "NEGATIVE", "must not be negative"),
            coded("debt.annual_interest_rate", "OUT_OF_RANGE", "at most 100"),
            coded("unknown_field", "SOMETHING_NEW", "is something new"),
            coded("", "MORE_NOT_LISTED", "7 more invalid field(s) not listed"),
        ]),
    );
    let flags = Context {
        naming: Naming::Flags(&[
            ("debt.balance", "--balance"),
            ("debt.annual_interest_rate", "--rate"),
        ]),
        ..CTX
    };
    assert_eq!(
        explain(&status, &flags),
        "Begäran godtogs inte:\n  - --balance: får inte vara negativt\n  - --rate: ligger utanför det som godtas\n  - unknown_field: is something new\n  - och 7 fel till som inte visas"
    );
    let status = Status::with_error_details(
        Code::InvalidArgument,
        "1 invalid field(s)",
        ErrorDetails::with_bad_request(vec![coded(
            "household.members[2].birth_date",
            "IN_FUTURE",
            "is in the future",
        )]),
    );
    let file = Context {
        naming: Naming::File {
            file: "hushall.toml",
            prefix: "household.",
        },
        ..CTX
    };
    assert_eq!(
        explain(&status, &file),
        "Begäran godtogs inte:\n  - hushall.toml, nyckel members nr 3, birth_date: får inte ligga i framtiden"
    );
}

#[test]
fn a_missing_norm_table_names_the_reason_and_what_to_do() {
    let mut details = ErrorDetails::with_error_info(
        "NORM_TABLE_MISSING",
        "budgetrad",
        std::collections::HashMap::new(),
    );
    details.set_precondition_failure(vec![PreconditionViolation::new(
        "NORM_TABLE_MISSING",
        "riksnorm",
        "no riksnorm table is in force on 2027-03-01 (year 2027); an operator must load one",
    )]);
    let status = Status::with_error_details(
        Code::FailedPrecondition,
        "no riksnorm table is in force on 2027-03-01 (year 2027); an operator must load one",
        details,
    );
    let text = explain(&status, &CTX);
    assert!(
        text.starts_with("Servern kan inte göra detta nu (NORM_TABLE_MISSING):"),
        "{text}"
    );
    assert!(
        text.contains("no riksnorm table is in force on 2027-03-01"),
        "{text}"
    );
    assert!(text.contains("norms import"), "{text}");
    assert_eq!(text.matches("NORM_TABLE_MISSING").count(), 1, "{text}");
}

#[test]
fn credentials_and_reachability_are_explained() {
    let text = explain(&Status::unauthenticated("bad token"), &CTX);
    assert!(
        text.contains("godtog inte din token (från --token)"),
        "{text}"
    );
    let text = explain(&Status::permission_denied("needs admin"), &CTX);
    assert!(
        text.starts_with("Din token saknar rollen för detta"),
        "{text}"
    );
    let text = explain(&Status::unavailable("tcp connect error"), &CTX);
    assert!(
        text.starts_with("Når inte servern på http://127.0.0.1:50051"),
        "{text}"
    );
}

#[test]
fn the_servers_auth_reasons_are_explained() {
    let with_reason = |code: Code, reason: &str, metadata: &[(&str, &str)]| {
        Status::with_error_details(
            code,
            "refused",
            tonic_types::ErrorDetails::with_error_info(
                reason,
                "budgetrad",
                metadata
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect::<std::collections::HashMap<_, _>>(),
            ),
        )
    };
    let text = explain(
        &with_reason(Code::Unauthenticated, "TOKEN_EXPIRED", &[]),
        &CTX,
    );
    assert!(text.contains("har gått ut"), "{text}");
    let text = explain(
        &with_reason(Code::Unauthenticated, "TOKENS_UNAVAILABLE", &[]),
        &CTX,
    );
    assert!(text.contains("kan inte läsa sin tokenfil"), "{text}");
    let text = explain(
        &with_reason(
            Code::PermissionDenied,
            "ROLE_MISSING",
            &[("required_roles", "counsellor,caseworker")],
        ),
        &CTX,
    );
    assert!(text.contains("(behövs: counsellor, caseworker)"), "{text}");
}
