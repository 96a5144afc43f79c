use super::*;

fn names(dir: &str) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migrations_and_all_are_embedded() {
    let sqlite = names("sqlite");
    assert_eq!(sqlite, names("postgres"));
    let embedded: Vec<String> = SQLITE
        .iter()
        .map(|(v, n, _)| format!("{v}_{n}.sql"))
        .collect();
    assert_eq!(sqlite, embedded);
    assert_eq!(SQLITE.len(), POSTGRES.len());
}
