//! Units (enheter): the part of the social services that handles a case.
//! Every household belongs to one unit, and a caller sees only the
//! households of its units, or of all units (`*`).

use std::collections::BTreeSet;
use std::fmt;

/// The unit households belong to when nothing else is said: the one the
/// migration that introduced units put every existing household in, and the
/// default of `--default-unit`.
pub const DEFAULT_UNIT: &str = "ifo";

/// The wildcard for all units, in a caller's definition only.
pub const ALL_UNITS: &str = "*";

/// A unit's code: 1–32 characters of lowercase a–z, 0–9 and '-', starting
/// with a letter or digit, such as `ifo-vuxna`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitCode(String);

/// Why a text is not a unit code, for the caller.
pub const UNIT_CODE_RULE: &str =
    "a unit is 1–32 characters of a–z, 0–9 and '-', starting with a letter or digit";

impl UnitCode {
    pub fn parse(text: &str) -> Option<UnitCode> {
        let valid = (1..=32).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && text
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        valid.then(|| UnitCode(text.to_owned()))
    }

    /// The default unit, [`DEFAULT_UNIT`].
    pub fn default_unit() -> UnitCode {
        UnitCode(DEFAULT_UNIT.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The units a caller may see: all of them, or a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Units {
    All,
    Only(BTreeSet<UnitCode>),
}

impl Units {
    pub fn one(unit: UnitCode) -> Units {
        Units::Only(BTreeSet::from([unit]))
    }

    /// Units from their codes, `*` meaning all; None when a code is not a
    /// unit code, when `*` is mixed with codes, or when the list is empty.
    pub fn parse<S: AsRef<str>>(codes: &[S]) -> Option<Units> {
        if codes.is_empty() {
            return None;
        }
        if codes.iter().any(|c| c.as_ref() == ALL_UNITS) {
            return (codes.len() == 1).then_some(Units::All);
        }
        codes
            .iter()
            .map(|c| UnitCode::parse(c.as_ref()))
            .collect::<Option<BTreeSet<_>>>()
            .map(Units::Only)
    }

    pub fn contains(&self, unit: &UnitCode) -> bool {
        match self {
            Units::All => true,
            Units::Only(set) => set.contains(unit),
        }
    }

    /// The codes, `["*"]` for all.
    pub fn codes(&self) -> Vec<String> {
        match self {
            Units::All => vec![ALL_UNITS.to_owned()],
            Units::Only(set) => set.iter().map(|u| u.0.clone()).collect(),
        }
    }

    /// Where a new household without a unit goes: the caller's only unit,
    /// or else `default`.
    pub fn placement(&self, default: &UnitCode) -> UnitCode {
        match self {
            Units::Only(set) if set.len() == 1 => set
                .iter()
                .next()
                .cloned()
                .unwrap_or_else(|| default.clone()),
            _ => default.clone(),
        }
    }

    /// The form the store's SQL matches a unit against in one bound
    /// parameter: `*` for all units, else the codes between commas
    /// (`,ifo,ifo-vuxna,`), which no code contains.
    pub fn sql_param(&self) -> String {
        match self {
            Units::All => ALL_UNITS.to_owned(),
            Units::Only(set) => {
                let mut text = String::from(",");
                for unit in set {
                    text.push_str(&unit.0);
                    text.push(',');
                }
                text
            }
        }
    }
}

impl serde::Serialize for Units {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.codes().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Units {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Units, D::Error> {
        let codes = Vec::<String>::deserialize(deserializer)?;
        Units::parse(&codes).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "units is a non-empty list of unit codes, or [\"*\"] for all units; {UNIT_CODE_RULE}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes_are_short_lowercase_words() {
        for good in ["ifo", "ifo-vuxna", "7", "a-b-c", &"x".repeat(32)] {
            assert!(UnitCode::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "-ifo",
            "IFO",
            "ifo_vuxna",
            "ifo,b",
            "ifo%",
            "*",
            &"x".repeat(33),
        ] {
            assert!(UnitCode::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn units_parse_all_or_a_set() {
        assert_eq!(Units::parse(&["*"]), Some(Units::All));
        assert_eq!(Units::parse(&["*", "ifo"]), None);
        assert_eq!(Units::parse::<&str>(&[]), None);
        let two = Units::parse(&["ifo-vuxna", "ifo"]).unwrap();
        assert_eq!(two.sql_param(), ",ifo,ifo-vuxna,");
        assert!(two.contains(&UnitCode::parse("ifo").unwrap()));
        assert!(!two.contains(&UnitCode::parse("ifo-barn").unwrap()));
        assert_eq!(Units::All.sql_param(), "*");
    }

    #[test]
    fn a_new_household_goes_to_the_only_unit_or_the_default() {
        let default = UnitCode::default_unit();
        let vuxna = UnitCode::parse("ifo-vuxna").unwrap();
        assert_eq!(Units::one(vuxna.clone()).placement(&default), vuxna);
        assert_eq!(Units::All.placement(&default), default);
        let two = Units::parse(&["ifo-vuxna", "ifo-barn"]).unwrap();
        assert_eq!(two.placement(&default), default);
    }
}
