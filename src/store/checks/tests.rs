use super::*;
use crate::domain::identity::PersonalIdentityNumber;

#[test]
fn parts_stay_within_the_byte_budget_and_keep_every_subject() -> Result<(), String> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).ok_or("a date")?;
    let pin = PersonalIdentityNumber::parse("19800101-6016", today).map_err(|e| e.to_string())?;
    let asked = CheckSubjects {
        people: vec![pin; 2000],
        households: (0..700).map(|_| Uuid::new_v4()).collect(),
        months: Vec::new(),
    };
    let parts = parts(&asked, LIST_BYTES);
    let people: usize = parts.iter().map(|p| p.people.len()).sum();
    let households: usize = parts.iter().map(|p| p.households.len()).sum();
    assert_eq!((people, households), (2000, 700));
    let sizes: Vec<usize> = parts
        .iter()
        .map(|part| {
            part.people.iter().map(|p| p.len() + 1).sum::<usize>()
                + part.households.iter().map(|h| h.len() + 1).sum::<usize>()
        })
        .collect();
    // Within the budget, and every part but the last full to within
    // one value: 26 000 + 25 900 bytes make four parts of 14 KiB.
    assert!(sizes.iter().all(|&b| b <= LIST_BYTES), "{sizes:?}");
    assert!(
        sizes[..sizes.len() - 1]
            .iter()
            .all(|&b| b > LIST_BYTES - 38),
        "{sizes:?}"
    );
    assert_eq!(parts.len(), 4);
    // A thousand personnummer, a stream's chunk, go in one statement.
    let chunk = CheckSubjects {
        people: asked.people[..1000].to_vec(),
        ..CheckSubjects::default()
    };
    assert_eq!(super::parts(&chunk, LIST_BYTES).len(), 1);
    assert_eq!(super::parts(&asked, usize::MAX).len(), 1);
    Ok(())
}

#[test]
fn lists_are_comma_separated_on_postgres_and_json_on_sqlite() {
    let values = ["2026-09", "2026-10"];
    assert_eq!(list(Backend::Postgres, &values), "2026-09,2026-10");
    assert_eq!(list(Backend::Sqlite, &values), r#"["2026-09","2026-10"]"#);
    assert_eq!(list::<&str>(Backend::Postgres, &[]), "");
    assert_eq!(list::<&str>(Backend::Sqlite, &[]), "[]");
}
