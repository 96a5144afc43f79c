use super::*;
use clap::Parser;

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    seed: SeedArgs,
}

fn args(extra: &[&str]) -> SeedArgs {
    let mut argv = vec!["seed", "--database-url", "sqlite::memory:"];
    argv.extend_from_slice(extra);
    Wrapper::try_parse_from(argv).unwrap().seed
}

#[test]
fn the_plan_takes_the_arguments() {
    let plan = args(&[
        "--households",
        "7",
        "--last-month",
        "2026-05",
        "--seed",
        "3",
    ])
    .plan()
    .unwrap();
    assert_eq!(plan.households, 7);
    assert_eq!(plan.months, 12);
    assert_eq!(plan.last_month, YearMonth::parse("2026-05").unwrap());
    assert_eq!(plan.seed, 3);
}

#[test]
fn shares_outside_zero_to_one_are_refused() {
    for extra in [
        &["--unpaid", "1.5"][..],
        &["--reversed=-0.1"],
        &["--unpaid", "0.6", "--partly", "0.6"],
        &["--last-month", "2026-13"],
    ] {
        assert!(
            matches!(args(extra).plan(), Err(OpsError::Usage(_))),
            "{extra:?}"
        );
    }
}
