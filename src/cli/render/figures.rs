//! Figures for people: amounts in kronor (`14 350,00 kr`), numbers with a
//! decimal comma, each figure's basis in the run's language, and instants
//! in Swedish civil time. Amounts are the server's exact decimal strings;
//! they are only regrouped here, never parsed into numbers.

use chrono::{DateTime, Utc};

use crate::cli::names::words::{Lang, lang, w};
use crate::pb;

/// An amount for display: "14350.00" becomes "14 350,00 kr" (in English
/// "SEK 14,350.00"); a missing amount is a dash. Text that is not a plain
/// decimal is shown as the server sent it.
pub fn kr(m: &Option<pb::Money>) -> String {
    match m {
        Some(m) => amount(&m.amount),
        None => "–".to_owned(),
    }
}

/// A decimal string from the server as an amount in kronor for people.
pub fn amount(text: &str) -> String {
    let grouped = group_thousands(text);
    if grouped == text && !is_plain_decimal(text) {
        return text.to_owned();
    }
    match lang() {
        Lang::Sv => format!("{} kr", grouped.replace('.', ",")),
        Lang::En => format!("SEK {}", grouped.replace(' ', ",")),
    }
}

fn is_plain_decimal(text: &str) -> bool {
    let rest = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Whether an amount the server sent is above zero: any digit other than
/// 0 (amounts are never parsed here).
pub fn is_nonzero(m: &Option<pb::Money>) -> bool {
    m.as_ref()
        .is_some_and(|m| m.amount.bytes().any(|b| (b'1'..=b'9').contains(&b)))
}

/// Digits grouped by thousands with a space (`14 350.00`); anything that is
/// not a plain decimal number is returned as it is.
pub(crate) fn group_thousands(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    if !is_plain_decimal(text) {
        return text.to_owned();
    }
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut grouped = String::with_capacity(text.len() + int.len() / 3);
    grouped.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push('.');
        grouped.push_str(f);
    }
    grouped
}

/// A number in this run's language: `2,25` in Swedish, `2.25` in English.
pub(crate) fn decimal_comma(text: &str) -> String {
    match lang() {
        Lang::Sv => text.replace('.', ","),
        Lang::En => text.replace(' ', ","),
    }
}

/// The basis of a figure as lines: the rule, the row read, the arithmetic.
/// The arithmetic is figures and operators, so it is printed in the run's
/// language: in Swedish with a decimal comma (`10 616,67`).
pub(crate) fn basis(b: &Option<pb::Basis>) -> String {
    match b {
        Some(b) => [
            rule_words(&b.rule_code).map_or_else(|| b.rule.clone(), str::to_owned),
            source_words(&b.rule_code).map_or_else(|| b.source.clone(), str::to_owned),
            decimal_commas(&b.arithmetic),
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n"),
        None => String::new(),
    }
}

/// The rule of a basis with a stable code, in the run's language; `None`
/// for a rule without one, which is printed as the server words it.
fn rule_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "NOTICE_DEADLINE" => w(
            "hyresgästen behåller bostaden genom att betala inom tre veckor från delgivningen av underrättelsen; en sista dag som inte är en vardag flyttas till nästa vardag",
        ),
        "RENT_DUE" => w("hyran betalas i förskott, senast sista vardagen före månadens början"),
        "LEASE_FORFEITABLE" => w(
            "ett bostadskontrakt är förverkat när hyran är mer än en vecka sen efter förfallodagen; en sista dag som inte är en vardag flyttas till nästa vardag",
        ),
        "OFFER_AMOUNT_GIVEN" => w("månadsbeloppet till borgenärerna, som det angavs"),
        "OFFER_NO_BUDGET" => w("ingen sparad budget och inget belopp angivet"),
        "OFFER_ROOM" => w(
            "tillgängligt för borgenärer utan förtur = budgetens överskott − förtursskuldernas avtalade månadsbetalningar − månadens avbetalningar på hyresskuldsplaner, aldrig under noll (förtursskulder betalas först)",
        ),
        "PRO_RATA_SHARE" => w(
            "pro rata: andel = skuldens saldo ÷ summan av saldona × tillgängligt belopp, i hela ören så att andelarna summerar exakt",
        ),
        _ => return None,
    })
}

/// The source of a basis whose rule code says it is the request itself,
/// in the run's language; `None` keeps the server's source.
fn source_words(code: &str) -> Option<&'static str> {
    match code {
        "OFFER_AMOUNT_GIVEN" => Some(w("angivet med --available")),
        _ => None,
    }
}

/// A point between two digits as a decimal comma, in Swedish.
fn decimal_commas(text: &str) -> String {
    if lang() == Lang::En {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let digit_at = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|c| c.is_ascii_digit())
            };
            if c == '.' && digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)) {
                ','
            } else {
                c
            }
        })
        .collect()
}

/// An instant in Swedish civil time with its zone (`2026-12-04 15:37 CET`),
/// which is what a counsellor's calendar and the household's letters use.
pub(crate) fn local_time(t: &Option<prost_types::Timestamp>) -> String {
    let Some(t) = t else {
        return "–".to_owned();
    };
    let Ok(nanos) = u32::try_from(t.nanos) else {
        return "–".to_owned();
    };
    match DateTime::<Utc>::from_timestamp(t.seconds, nanos) {
        Some(d) => d
            .with_timezone(&chrono_tz::Europe::Stockholm)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        None => "–".to_owned(),
    }
}
