use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{lag, parse_lsn};

#[test]
fn wal_positions_parse_as_postgresql_prints_them() {
    assert_eq!(parse_lsn("0/0"), Some(0));
    assert_eq!(parse_lsn("0/3000060"), Some(0x300_0060));
    assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374_D848));
    assert_eq!(parse_lsn("3000060"), None);
    assert_eq!(parse_lsn("1/G"), None);
    assert_eq!(parse_lsn("100000000/0"), None);
}

#[test]
fn a_caught_up_replica_has_no_lag_even_when_the_primary_is_idle() {
    let mut pending = VecDeque::new();
    let t0 = Instant::now();
    for s in 0..10 {
        let at = t0 + Duration::from_secs(s);
        assert_eq!(lag(&mut pending, at, 500, 500), Duration::ZERO);
    }
    assert!(pending.is_empty());
}

#[test]
fn the_lag_is_the_age_of_the_oldest_position_not_replayed() {
    let mut pending = VecDeque::new();
    let t0 = Instant::now();
    let at = |s: u64| t0 + Duration::from_secs(s);
    // The replica stops at 100 while the primary moves on.
    assert_eq!(lag(&mut pending, at(0), 100, 100), Duration::ZERO);
    assert_eq!(lag(&mut pending, at(1), 200, 100), Duration::ZERO);
    assert_eq!(lag(&mut pending, at(2), 300, 100), Duration::from_secs(1));
    // The primary idles at 300: the replica is still behind what it was at 1 s.
    assert_eq!(lag(&mut pending, at(7), 300, 100), Duration::from_secs(6));
    // It replays past 200: now only the position read at 2 s is pending.
    assert_eq!(lag(&mut pending, at(8), 300, 250), Duration::from_secs(6));
    // Caught up.
    assert_eq!(lag(&mut pending, at(9), 300, 300), Duration::ZERO);
    assert!(pending.is_empty());
}
