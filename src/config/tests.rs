use clap::Parser;

use super::*;

#[test]
fn the_payout_ceiling_defaults_to_100_000_kr_and_must_be_whole_positive_kronor() {
    let parse = |args: &[&str]| ServerCli::try_parse_from(args).map(|c| c.config.max_payout_kr);
    assert_eq!(parse(&["budgetrad"]).unwrap(), 100_000);
    assert_eq!(
        parse(&["budgetrad", "--max-payout-kr", "25000"]).unwrap(),
        25_000
    );
    assert!(parse(&["budgetrad", "--max-payout-kr", "0"]).is_err());
    assert!(parse(&["budgetrad", "--max-payout-kr", "1.50"]).is_err());
}
