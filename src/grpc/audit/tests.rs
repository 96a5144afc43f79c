use super::*;

#[test]
fn every_code_has_its_canonical_name() {
    assert_eq!(OUTCOMES.len(), 17);
    for code in OUTCOMES {
        let name = code_name(*code);
        assert!(name.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
        // tonic's Debug name is the same word in CamelCase.
        assert_eq!(
            name.replace('_', ""),
            format!("{code:?}").to_ascii_uppercase(),
        );
    }
}
