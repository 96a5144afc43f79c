use super::*;

#[test]
fn dates_must_be_exactly_iso() {
    assert!(parse_date("2026-03-01").is_some());
    for bad in [
        "2026-3-1",
        "2026-02-30",
        "20260301",
        "2026/03/01",
        " 2026-03-01",
        "",
    ] {
        assert!(parse_date(bad).is_none(), "{bad}");
    }
}
