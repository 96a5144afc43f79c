use super::*;

#[test]
fn roles_are_named_as_the_token_file_names_them() {
    for role in Role::ALL {
        assert_eq!(parse_role(role.as_str()).unwrap(), *role);
    }
    assert!(parse_role("root").unwrap_err().contains("caseworker"));
}

#[test]
fn an_expiry_is_the_end_of_a_swedish_day_or_an_instant() {
    // Summer time (CEST, +2): the end of 30 June is 22:00 UTC.
    assert_eq!(
        parse_expiry("2027-06-30").unwrap().to_rfc3339(),
        "2027-06-30T22:00:00+00:00"
    );
    // Winter time (CET, +1): the end of 15 January is 23:00 UTC.
    assert_eq!(
        parse_expiry("2027-01-15").unwrap().to_rfc3339(),
        "2027-01-15T23:00:00+00:00"
    );
    // The day the clocks go forward (28 March 2027): its end is in CEST.
    assert_eq!(
        parse_expiry("2027-03-28").unwrap().to_rfc3339(),
        "2027-03-28T22:00:00+00:00"
    );
    assert_eq!(
        parse_expiry("2027-06-30T12:00:00+02:00")
            .unwrap()
            .to_rfc3339(),
        "2027-06-30T10:00:00+00:00"
    );
    assert!(parse_expiry("30/6").is_err());
}

#[test]
fn a_missing_token_file_is_the_callers_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.toml");
    assert!(matches!(read_existing(&missing), Err(OpsError::Usage(_))));
}
