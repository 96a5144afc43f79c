use super::with_create_mode;

#[test]
fn creates_the_file_unless_told_otherwise() {
    assert_eq!(
        with_create_mode("sqlite:budgetrad.db"),
        "sqlite:budgetrad.db?mode=rwc"
    );
    assert_eq!(
        with_create_mode("sqlite:x.db?mode=ro"),
        "sqlite:x.db?mode=ro"
    );
    assert_eq!(with_create_mode("sqlite::memory:"), "sqlite::memory:");
}
