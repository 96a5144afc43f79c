//! The TOML and JSON parsers' messages about a field (serde's: an unknown
//! or missing field, a value of the wrong type) in the run's language. A
//! message in no known form, such as a syntax error, is printed as the
//! parser wrote it.

use crate::cli::names::words::{Lang, lang, w, wf};

/// `message` in the run's language.
pub fn translate(message: &str) -> String {
    if lang() == Lang::En {
        return message.to_owned();
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = split_expected(rest);
        return match expected {
            Some(e) => wf("okänt fält {}; fälten är {}", &[&field, &e]),
            None => wf("okänt fält {}", &[&field]),
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return wf("fältet {} saknas", &[&field]);
    }
    for prefix in ["duplicate field ", "duplicate key "] {
        if let Some(field) = message.strip_prefix(prefix) {
            return wf("{} står två gånger", &[&field]);
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = split_expected(rest);
        return wf(
            "okänt värde {}; möjliga: {}",
            &[&value, &expected.unwrap_or_default()],
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((got, expected)) = rest.split_once(", expected ")
    {
        return wf("fel slags värde ({}); skriv {}", &[&kind(got), &expected]);
    }
    message.to_owned()
}

/// "`x`, expected one of `a`, `b`" as ("`x`", "`a`, `b`").
fn split_expected(rest: &str) -> (String, Option<String>) {
    match rest.split_once(", expected ") {
        Some((name, expected)) => (
            name.to_owned(),
            Some(
                expected
                    .strip_prefix("one of ")
                    .unwrap_or(expected)
                    .to_owned(),
            ),
        ),
        None => (rest.split(", ").next().unwrap_or(rest).to_owned(), None),
    }
}

/// serde's name of what was found (`floating point `1.5``) in Swedish.
fn kind(got: &str) -> String {
    for (en, sv) in [
        ("floating point ", w("decimaltal ")),
        ("integer ", w("heltal ")),
        ("string ", w("text ")),
        ("boolean ", w("sant/falskt ")),
        ("map", w("tabell")),
        ("sequence", w("lista")),
    ] {
        if let Some(rest) = got.strip_prefix(en) {
            return format!("{sv}{rest}");
        }
    }
    got.to_owned()
}
