use super::*;

#[test]
fn roles_are_named_as_the_token_file_names_them() {
    for role in Role::ALL {
        assert_eq!(parse_role(role.as_str()).unwrap(), *role);
    }
    assert!(parse_role("root").unwrap_err().contains("caseworker"));
}

#[test]
fn an_expiry_is_a_day_in_utc_or_an_instant() {
    assert_eq!(
        parse_expiry("2027-06-30").unwrap().to_rfc3339(),
        "2027-06-30T00:00:00+00:00"
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
