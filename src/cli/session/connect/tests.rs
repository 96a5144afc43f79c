use super::*;

#[test]
fn the_flag_wins_and_the_secret_is_never_shown() {
    let c = find_token(Some("  s3cret \n"), None).unwrap();
    assert_eq!(c.secret.0, "s3cret");
    assert!(!format!("{c:?}").contains("s3cret"));
    assert!(!c.source.contains("s3cret"));
}

#[test]
fn a_missing_file_says_where_it_looked() {
    let missing = Path::new("/nonexistent/budgetrad-test.token");
    let err = find_token(None, Some(missing)).unwrap_err();
    assert!(err.contains("/nonexistent/budgetrad-test.token"), "{err}");
    assert!(err.contains("--token"), "{err}");
    assert!(err.contains("BUDGETRAD_TOKEN_FILE"), "{err}");
}

#[test]
fn the_file_is_trimmed() {
    let path = std::env::temp_dir().join(format!("budgetrad-cli-token-{}", std::process::id()));
    std::fs::write(&path, "abc123\n").unwrap();
    let c = find_token(Some("   "), Some(&path)).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(c.secret.0, "abc123");
    assert!(c.source.contains("budgetrad-cli-token"));
}

#[test]
fn the_interceptor_adds_a_sensitive_bearer_header() {
    let c = find_token(Some("abc"), None).unwrap();
    let mut auth = BearerAuth::new(&c).unwrap();
    let request = auth.call(Request::new(())).unwrap();
    let value = request.metadata().get("authorization").unwrap();
    assert_eq!(value.to_str().unwrap(), "Bearer abc");
    assert!(value.is_sensitive());
    assert!(BearerAuth::new(&find_token(Some("a\nb"), None).unwrap()).is_err());
}
