use super::*;

#[test]
fn the_canonical_text_prefixes_each_value_with_its_length_in_bytes() {
    let text = Canonical::new(ChainedKind::Payout)
        .field(Some("åtta"))
        .field(None)
        .field(Some(""))
        .field(Some("a\nb"));
    assert_eq!(text.text(), "payout\n5:åtta\n~\n0:\n3:a\nb\n");
}

#[test]
fn values_that_would_run_together_give_other_texts() {
    // Without the lengths, ("a\n1:b", None) and ("a", "b", …) could meet.
    let one = Canonical::new(ChainedKind::Receipt)
        .field(Some("a\n1:b"))
        .field(None);
    let two = Canonical::new(ChainedKind::Receipt)
        .field(Some("a"))
        .field(Some("b"))
        .field(None);
    assert_ne!(one.text(), two.text());
    // NULL and the empty text differ too.
    let null = Canonical::new(ChainedKind::Receipt).field(None);
    let empty = Canonical::new(ChainedKind::Receipt).field(Some(""));
    assert_ne!(null.text(), empty.text());
}

#[test]
fn a_link_hash_is_sha256_over_the_predecessor_and_the_text() {
    let record = Canonical::new(ChainedKind::AuditEvent).field(Some("1"));
    // echo -n "$GENESIS"$'\n'$'audit_event\n1:1\n' | sha256sum
    let expected = sha256_hex(format!("{GENESIS}\naudit_event\n1:1\n").as_bytes());
    assert_eq!(link_hash(GENESIS, &record), expected);
    assert_eq!(expected.len(), 64);
    assert_ne!(link_hash(&expected, &record), expected);
}

#[test]
fn sha256_of_the_empty_input_is_the_published_value() {
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn kinds_round_trip_through_their_names() {
    for kind in [
        ChainedKind::Payout,
        ChainedKind::Reversal,
        ChainedKind::Receipt,
        ChainedKind::AuditEvent,
    ] {
        assert_eq!(ChainedKind::from_str_opt(kind.as_str()), Some(kind));
    }
    assert_eq!(ChainedKind::from_str_opt("lease"), None);
}
