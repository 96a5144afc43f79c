use super::{database_file, with_create_mode};

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

#[tokio::test]
async fn every_connection_fires_triggers_on_replace() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite:{}", dir.path().join("t.db").display());
    let store = crate::store::SqlStore::connect(&url).await.expect("opens");
    // Every connection of the pool, not only the first.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = store.pool().acquire().await.expect("a connection");
        let on: i64 = sqlx::query_scalar("PRAGMA recursive_triggers")
            .fetch_one(&mut *conn)
            .await
            .expect("the pragma");
        assert_eq!(on, 1);
        held.push(conn);
    }
}

#[tokio::test]
async fn sqlite_has_no_separate_migration_role() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite:{}", dir.path().join("t.db").display());
    let other = format!("sqlite:{}", dir.path().join("other.db").display());
    let refused = crate::store::SqlStore::connect_migrating_as(&url, &other).await;
    assert!(refused.is_err());
    assert!(!dir.path().join("other.db").exists());
}

#[test]
fn the_database_file_of_a_url() {
    assert_eq!(
        database_file("sqlite:budgetrad.db"),
        Some("budgetrad.db".into())
    );
    assert_eq!(
        database_file("sqlite:///var/lib/b.db?mode=rwc"),
        Some("/var/lib/b.db".into())
    );
    assert_eq!(database_file("sqlite::memory:"), None);
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_wal_and_shm_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("p.db");
    let url = format!("sqlite:{}", db.display());
    let store = crate::store::SqlStore::connect(&url).await.expect("opens");
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .expect(name)
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("p.db"), 0o600);
    assert_eq!(mode("p.db-wal"), 0o600);
    assert_eq!(mode("p.db-shm"), 0o600);
    drop(store);
}
