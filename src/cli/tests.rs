use clap::CommandFactory;

use super::*;

#[test]
fn the_command_line_is_well_formed() {
    Cli::command().debug_assert();
}

#[test]
fn commands_parse_as_documented() {
    let cli = Cli::try_parse_from([
        "budgetrad-cli",
        "--json",
        "households",
        "update",
        "h-1",
        "h.toml",
        "--revision",
        "3",
    ])
    .unwrap();
    assert!(cli.json);
    assert!(matches!(
        cli.command,
        Command::Households(HouseholdsCommand::Update { revision: 3, .. })
    ));

    let cli = Cli::try_parse_from([
        "budgetrad-cli",
        "norms",
        "list",
        "--kind",
        "reference_costs",
        "--in-force-on",
        "2026-03-01",
        "--server",
        "http://example.invalid:1",
    ])
    .unwrap();
    assert_eq!(cli.server, "http://example.invalid:1");
    assert!(matches!(
        cli.command,
        Command::Norms(NormsCommand::List {
            kind: Some(KindArg::ReferenceCosts),
            ..
        })
    ));

    assert!(
        Cli::try_parse_from([
            "budgetrad-cli",
            "norms",
            "list",
            "--in-force-on",
            "2026-13-01"
        ])
        .is_err()
    );
    assert!(Cli::try_parse_from(["budgetrad-cli", "households", "update", "h", "f.toml"]).is_err());
}

#[tokio::test]
async fn paging_follows_tokens_only_with_all() {
    let pages = |token: String| async move {
        match token.as_str() {
            "" => Ok((vec![1, 2], "p2".to_owned())),
            "p2" => Ok((vec![3], String::new())),
            _ => Err(PageError::Status(Status::internal("unexpected"))),
        }
    };
    let one = Paging {
        page_size: None,
        page_token: None,
        all: false,
    };
    let (items, next) = collect_pages(&one, pages).await.ok().unwrap();
    assert_eq!((items, next.as_str()), (vec![1, 2], "p2"));

    let all = Paging { all: true, ..one };
    let (items, next) = collect_pages(&all, pages).await.ok().unwrap();
    assert_eq!((items, next.as_str()), (vec![1, 2, 3], ""));

    let looping = |_token: String| async move { Ok((vec![0], "same".to_owned())) };
    let from_same = Paging {
        page_size: None,
        page_token: Some("same".into()),
        all: true,
    };
    assert!(matches!(
        collect_pages(&from_same, looping).await,
        Err(PageError::Loop)
    ));
}
