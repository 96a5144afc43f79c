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
