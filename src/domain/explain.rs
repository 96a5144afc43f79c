//! Every figure explains itself (docs/sources.md §9): the rule applied, the
//! table and row read, and the arithmetic, so a person can check each öre by
//! hand.

use super::money::Money;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Basis {
    pub rule: String,
    pub source: String,
    pub arithmetic: String,
}

impl Basis {
    pub fn new(
        rule: impl Into<String>,
        source: impl Into<String>,
        arithmetic: impl Into<String>,
    ) -> Self {
        Basis {
            rule: rule.into(),
            source: source.into(),
            arithmetic: arithmetic.into(),
        }
    }
}

/// A computed amount with its label and basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub label: String,
    pub amount: Money,
    pub basis: Basis,
}

/// "a + b + c = total" over the displayed amounts.
pub fn sum_arithmetic<'a>(amounts: impl IntoIterator<Item = &'a Money>) -> String {
    let amounts: Vec<&Money> = amounts.into_iter().collect();
    let total: Money = amounts.iter().copied().sum();
    if amounts.is_empty() {
        return "0".to_owned();
    }
    let terms: Vec<String> = amounts.iter().map(|m| m.display_kr()).collect();
    format!("{} = {}", terms.join(" + "), total.display_kr())
}
