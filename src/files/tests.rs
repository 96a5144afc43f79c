use super::*;

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn private_files_are_0600_whatever_exists() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh");
    create_private(&fresh, true).unwrap();
    assert_eq!(mode(&fresh), 0o600);
    assert!(create_private(&fresh, true).is_err(), "new refuses a file");

    let replaced = dir.path().join("replaced");
    std::fs::write(&replaced, "old").unwrap();
    std::fs::set_permissions(&replaced, std::fs::Permissions::from_mode(0o664)).unwrap();
    create_private(&replaced, false).unwrap();
    assert_eq!(mode(&replaced), 0o600);
    assert_eq!(std::fs::read_to_string(&replaced).unwrap(), "", "truncated");

    let wide = dir.path().join("wide");
    std::fs::write(&wide, "data").unwrap();
    std::fs::set_permissions(&wide, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(ensure_private(&wide).unwrap(), "narrowed");
    assert_eq!(mode(&wide), 0o600);
    assert_eq!(std::fs::read_to_string(&wide).unwrap(), "data", "kept");
    assert!(!ensure_private(&wide).unwrap(), "already private");

    let created = dir.path().join("created");
    assert!(!ensure_private(&created).unwrap());
    assert_eq!(mode(&created), 0o600);
}
