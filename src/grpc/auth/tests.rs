use super::*;
use chrono::Utc;
use prost::Message;

#[test]
fn every_rpc_in_the_protos_has_roles() {
    let set = prost_types::FileDescriptorSet::decode(crate::pb::FILE_DESCRIPTOR_SET).unwrap();
    let mut rpcs = Vec::new();
    for file in &set.file {
        for service in &file.service {
            for method in &service.method {
                rpcs.push(format!(
                    "{}.{}/{}",
                    file.package(),
                    service.name(),
                    method.name()
                ));
            }
        }
    }
    assert!(!rpcs.is_empty());
    for rpc in &rpcs {
        assert!(
            roles_for(&format!("/{rpc}")).is_some(),
            "{rpc} has no entry in RPC_ROLES"
        );
    }
    for (name, _) in RPC_ROLES {
        assert!(
            rpcs.contains(&(*name).to_owned()),
            "{name} is not an RPC of the protos"
        );
    }
}

#[test]
fn hashes_are_lower_case_hex_sha256() {
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    assert_eq!(
        hash_secret("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn tokens_authenticate_by_hash_and_expire() {
    let now = Utc::now();
    let store = TokenStore::from_file(TokenFile {
        tokens: vec![TokenEntry {
            name: "t".into(),
            sha256: hash_secret("brt_secret"),
            roles: vec![Role::Counsellor],
            units: None,
            expires_at: Some(now + chrono::Duration::hours(1)),
            signature: None,
        }],
    });
    assert_eq!(store.authenticate("brt_secret", now).unwrap().name, "t");
    assert_eq!(
        store.authenticate("brt_other", now).unwrap_err(),
        TokenRefusal::Invalid
    );
    assert_eq!(
        store
            .authenticate("brt_secret", now + chrono::Duration::hours(2))
            .unwrap_err(),
        TokenRefusal::Expired
    );
}

#[test]
fn bootstrap_writes_a_private_secret_once() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.toml");
    let secret_path = dir.path().join("admin.token");
    let (store, created) = load_or_bootstrap(&tokens, &secret_path, Utc::now()).unwrap();
    assert_eq!(created.as_deref(), Some(secret_path.as_path()));
    let secret = std::fs::read_to_string(&secret_path).unwrap();
    let caller = store.authenticate(secret.trim(), Utc::now()).unwrap();
    assert_eq!(caller.roles, Role::ALL.to_vec());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        !std::fs::read_to_string(&tokens)
            .unwrap()
            .contains(secret.trim())
    );
    // A second start reads the file and creates nothing.
    let (again, created) = load_or_bootstrap(&tokens, &secret_path, Utc::now()).unwrap();
    assert!(created.is_none());
    assert!(again.authenticate(secret.trim(), Utc::now()).is_ok());
}

#[test]
fn tokens_are_added_and_revoked_in_the_file_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.toml");
    let mut file = TokenFile::default();
    let first = file
        .add("viva-prod", vec![Role::Caseworker], None, None, Utc::now())
        .unwrap();
    write_token_file(&path, &file).unwrap();
    let tokens = Tokens::watched(
        path.clone(),
        TokenStore::from_file(read_token_file(&path).unwrap()),
    );
    assert!(
        tokens
            .current()
            .unwrap()
            .authenticate(&first, Utc::now())
            .is_ok()
    );
    assert!(tokens.reload_if_changed().unwrap().is_none(), "unchanged");

    // Same name twice, no role, a bad name: refused.
    assert!(
        file.add("viva-prod", vec![Role::Admin], None, None, Utc::now())
            .is_err()
    );
    assert!(file.add("other", vec![], None, None, Utc::now()).is_err());
    assert!(
        file.add("has space", vec![Role::Admin], None, None, Utc::now())
            .is_err()
    );

    let second = file
        .add("auditor-1", vec![Role::Auditor], None, None, Utc::now())
        .unwrap();
    file.revoke("viva-prod").unwrap();
    assert!(file.revoke("viva-prod").is_err(), "revoked twice");
    write_token_file(&path, &file).unwrap();
    assert_eq!(tokens.reload_if_changed().unwrap(), Some(1));
    assert!(
        tokens
            .current()
            .unwrap()
            .authenticate(&first, Utc::now())
            .is_err()
    );
    assert!(
        tokens
            .current()
            .unwrap()
            .authenticate(&second, Utc::now())
            .is_ok()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A file that no longer parses refuses every token (fail closed) ...
    std::fs::write(&path, "not toml [").unwrap();
    assert!(tokens.reload_if_changed().is_err());
    assert!(tokens.current().is_none());
    assert!(tokens.reload_if_changed().unwrap().is_none(), "unchanged");
    assert!(tokens.current().is_none(), "still closed");
    // ... and so does a missing one ...
    std::fs::remove_file(&path).unwrap();
    assert!(tokens.reload_if_changed().is_err());
    assert!(tokens.current().is_none());
    // ... until a file that parses is back.
    write_token_file(&path, &file).unwrap();
    assert_eq!(tokens.reload_if_changed().unwrap(), Some(1));
    assert!(
        tokens
            .current()
            .unwrap()
            .authenticate(&second, Utc::now())
            .is_ok()
    );
}

#[test]
fn the_bootstrap_token_expires_after_seven_days() {
    let dir = tempfile::tempdir().unwrap();
    let secret_path = dir.path().join("admin.token");
    let now = Utc::now();
    let (store, _) = load_or_bootstrap(&dir.path().join("t.toml"), &secret_path, now).unwrap();
    let secret = std::fs::read_to_string(&secret_path).unwrap();
    let secret = secret.trim();
    let week = chrono::Duration::days(7);
    assert!(
        store
            .authenticate(secret, now + week - chrono::Duration::seconds(1))
            .is_ok()
    );
    assert_eq!(
        store.authenticate(secret, now + week).unwrap_err(),
        TokenRefusal::Expired
    );
}

#[test]
fn an_expiry_in_the_past_is_refused() {
    let now = Utc::now();
    let mut file = TokenFile::default();
    let error = file
        .add(
            "late",
            vec![Role::Admin],
            None,
            Some(now - chrono::Duration::seconds(1)),
            now,
        )
        .unwrap_err();
    assert!(error.to_string().contains("has passed"), "{error}");
    assert!(file.tokens.is_empty(), "nothing added");
    assert!(
        file.add(
            "late",
            vec![Role::Admin],
            None,
            Some(now + chrono::Duration::seconds(1)),
            now
        )
        .is_ok()
    );
}
