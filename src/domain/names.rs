//! Names and postal addresses for the letters that leave the office: a
//! household's display name and address (c/o allowed), members' given and
//! family names, a creditor's address and its own reference. Personal data:
//! checked here, stored beside the record they belong to (so they go with
//! it), never written to a log or an error message (a violation names the
//! field and the rule, never the value).

use super::error::Violations;

/// The longest name (display, given or family name): what a letter's
/// address line holds.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest c/o or street line.
pub const MAX_ADDRESS_LINE_CHARS: usize = 70;
/// The longest town (postort).
pub const MAX_TOWN_CHARS: usize = 35;
/// The longest creditor reference (their case or customer number).
pub const MAX_REFERENCE_CHARS: usize = 35;

/// A Swedish postal address as a letter's address block prints it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostalAddress {
    /// "c/o …" line, without the "c/o"; empty for none.
    pub care_of: String,
    /// Street and number (or box).
    pub street: String,
    /// Five digits, stored as "NNN NN".
    pub postal_code: String,
    /// Postort.
    pub town: String,
}

impl PostalAddress {
    /// The address block's lines below the name.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.care_of.is_empty() {
            lines.push(format!("c/o {}", self.care_of));
        }
        lines.push(self.street.clone());
        lines.push(format!("{} {}", self.postal_code, self.town.to_uppercase()));
        lines
    }
}

/// Checks a free-text field: at most `max` characters, no control
/// characters, no leading or trailing space. Empty is allowed (the caller
/// decides whether it is required).
pub fn check_text(text: &str, max: usize, field: &str, v: &mut Violations) {
    if text.chars().count() > max {
        v.add(field, "TOO_LONG", format!("at most {max} characters"));
    }
    if text.chars().any(char::is_control) {
        v.add(
            field,
            "CONTROL_CHARACTERS",
            "must not contain control characters",
        );
    }
    if text.trim() != text {
        v.add(field, "SPACE_AT_EDGE", "must not begin or end with a space");
    }
}

/// A display, given or family name: optional, at most
/// [`MAX_NAME_CHARS`], and when given it holds a letter.
pub fn check_name(name: &str, field: &str, v: &mut Violations) {
    check_text(name, MAX_NAME_CHARS, field, v);
    if !name.is_empty() && !name.chars().any(char::is_alphabetic) {
        v.add(field, "NO_LETTER", "must contain a letter");
    }
}

/// A Swedish postnummer: five digits, with or without a space after the
/// third; returned as "NNN NN".
pub fn postal_code(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| *c != ' ').collect();
    let spaces = text.chars().filter(|c| *c == ' ').count();
    let spaced_right = spaces == 0 || (spaces == 1 && text.chars().nth(3) == Some(' '));
    if digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()) && spaced_right {
        Some(format!("{} {}", &digits[..3], &digits[3..]))
    } else {
        None
    }
}

/// A postal address as given: all four fields empty is no address; else
/// street, postal code and town are required and each is checked. `path`
/// is the request path of the address message.
pub fn address(
    path: &str,
    care_of: &str,
    street: &str,
    code: &str,
    town: &str,
    v: &mut Violations,
) -> Option<PostalAddress> {
    if care_of.is_empty() && street.is_empty() && code.is_empty() && town.is_empty() {
        return None;
    }
    let f = |name: &str| format!("{path}.{name}");
    let before = v.iter().count();
    check_text(care_of, MAX_ADDRESS_LINE_CHARS, &f("care_of"), v);
    let care_of = care_of
        .strip_prefix("c/o ")
        .or_else(|| care_of.strip_prefix("C/O "))
        .unwrap_or(care_of);
    for (name, text, max) in [
        ("street_address", street, MAX_ADDRESS_LINE_CHARS),
        ("town", town, MAX_TOWN_CHARS),
    ] {
        if text.is_empty() {
            v.add(f(name), "REQUIRED", "required in a postal address");
        }
        check_text(text, max, &f(name), v);
    }
    let postal_code = if code.is_empty() {
        v.add(f("postal_code"), "REQUIRED", "required in a postal address");
        None
    } else {
        let parsed = postal_code(code);
        if parsed.is_none() {
            v.add(
                f("postal_code"),
                "POSTAL_CODE_INVALID",
                "a Swedish postnummer: five digits, as 12345 or 123 45",
            );
        }
        parsed
    };
    if v.iter().count() != before {
        return None;
    }
    Some(PostalAddress {
        care_of: care_of.to_owned(),
        street: street.to_owned(),
        postal_code: postal_code?,
        town: town.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes_are_five_digits_spaced_after_the_third() {
        assert_eq!(postal_code("11122").as_deref(), Some("111 22"));
        assert_eq!(postal_code("111 22").as_deref(), Some("111 22"));
        assert_eq!(postal_code("1112"), None);
        assert_eq!(postal_code("11 122"), None);
        assert_eq!(postal_code("111222"), None);
        assert_eq!(postal_code("111a2"), None);
    }

    #[test]
    fn an_address_needs_street_code_and_town_and_names_each_bad_field() {
        let mut v = Violations::new();
        assert_eq!(address("a", "", "", "", "", &mut v), None);
        assert!(v.is_empty());
        let got = address("a", "c/o Berg", "Storgatan 1", "11122", "Ort", &mut v);
        assert!(v.is_empty());
        let got = got.unwrap();
        assert_eq!(got.care_of, "Berg");
        assert_eq!(got.lines(), vec!["c/o Berg", "Storgatan 1", "111 22 ORT"]);
        assert_eq!(address("a", "Berg", "", "1", "Ort\n", &mut v), None);
        let fields: Vec<_> = v.iter().map(|f| f.field.clone()).collect();
        assert!(
            fields.contains(&"a.street_address".to_owned()),
            "{fields:?}"
        );
        assert!(fields.contains(&"a.postal_code".to_owned()), "{fields:?}");
        assert!(fields.contains(&"a.town".to_owned()), "{fields:?}");
    }

    #[test]
    fn names_hold_a_letter_and_no_control_characters() {
        let mut v = Violations::new();
        check_name("Anna-Karin Öberg", "n", &mut v);
        check_name("", "n", &mut v);
        assert!(v.is_empty());
        check_name("123", "n", &mut v);
        check_name("A\u{7}", "n", &mut v);
        check_name(" A", "n", &mut v);
        check_name(&"a".repeat(MAX_NAME_CHARS + 1), "n", &mut v);
        assert_eq!(v.iter().count(), 4);
    }
}
