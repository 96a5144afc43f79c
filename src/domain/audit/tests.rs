use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::*;

fn entry() -> AuditEntry {
    AuditEntry {
        at: Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap(),
        caller: "test-payout".into(),
        role: "payout".into(),
        method: "budgetrad.v1.PayoutService/RecordRentPayout".into(),
        outcome: "OK".into(),
        replay: false,
        records: Vec::new(),
    }
}

#[test]
fn records_are_named_once_each_in_the_order_given() {
    let payout = RecordRef::new(RecordKind::Payout, Uuid::from_u128(1));
    let lease = RecordRef::new(RecordKind::Lease, Uuid::from_u128(2));
    let named = entry().with_records([payout, lease, payout]);
    assert_eq!(named.records, [payout, lease]);
    assert_eq!(
        named.records_text(),
        "payout:00000000-0000-0000-0000-000000000001,lease:00000000-0000-0000-0000-000000000002"
    );
    assert!(!named.replay);
    assert_eq!(entry().records_text(), "");
}

#[test]
fn a_replay_is_marked_and_keeps_the_rest_of_the_entry() {
    let receipt = RecordRef::new(RecordKind::Receipt, Uuid::from_u128(3));
    let replayed = entry().replayed([receipt]);
    assert!(replayed.replay);
    assert_eq!(replayed.records, [receipt]);
    assert_eq!(
        AuditEntry {
            replay: false,
            records: Vec::new(),
            ..replayed
        },
        entry()
    );
}

#[test]
fn a_long_list_is_cut_and_says_how_much_was_left_off() {
    let many = (0..MAX_RECORDS as u128 + 5)
        .map(|i| RecordRef::new(RecordKind::Payout, Uuid::from_u128(i)));
    let text = entry().with_records(many).records_text();
    let items: Vec<&str> = text.split(',').collect();
    assert_eq!(items.len(), MAX_RECORDS + 1);
    assert_eq!(items.last(), Some(&"more:5"));
    // Under 50 KB whatever the kinds.
    assert!(text.len() < 50_000, "{}", text.len());
}

#[test]
fn every_kind_has_its_own_name() {
    use RecordKind::*;
    let kinds = [
        Payout,
        Reversal,
        Receipt,
        Lease,
        Plan,
        PlanPayment,
        Debt,
        DebtEvent,
    ];
    let mut names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), kinds.len());
}
