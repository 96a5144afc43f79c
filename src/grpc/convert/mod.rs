//! Conversions between proto messages and domain types. Requests are parsed
//! here, once, into the domain's newtypes ("parse, don't validate"); every
//! problem is recorded against the field's request path so that a caller
//! learns of all bad fields at once. Messages are destructured in full, so a
//! new proto field breaks the build until it is handled here.
//!
//! This file holds the scalars every area shares (ids, dates, months,
//! money, rates, enums, text, pages, idempotency) and [`finish`], which
//! turns what a request's parsers found into the parsed values or all the
//! violations; each area's messages have a file of their own.

use chrono::{DateTime, NaiveDate, Utc};
use prost_types::Timestamp;
use rust_decimal::Decimal;
use tonic::Status;
use uuid::Uuid;

use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::explain::{Basis, Line};
use crate::domain::money::Money;
use crate::domain::rate::Rate;
use crate::pb;

pub mod audit;
pub mod budgets;
pub mod checks;
pub mod debts;
pub mod households;
pub mod leases;
pub mod ledger;
pub mod norms;
pub mod payments;
pub mod plans;

/// Page sizes of every List call: the default when 0 is asked, and the most
/// one page holds (a larger request is served with the maximum).
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;

// ------------------------------------------------------------ the outcome

/// What a request's parsers returned: each `None` stands for a field whose
/// violation was recorded, so once no violation was recorded every value is
/// there.
pub trait Parsed {
    type Values;
    fn values(self) -> Option<Self::Values>;
}

impl<T> Parsed for Option<T> {
    type Values = T;
    fn values(self) -> Option<T> {
        self
    }
}

macro_rules! parsed_tuple {
    ($($t:ident),+) => {
        impl<$($t),+> Parsed for ($(Option<$t>,)+) {
            type Values = ($($t,)+);
            #[allow(non_snake_case)]
            fn values(self) -> Option<Self::Values> {
                let ($($t,)+) = self;
                Some(($($t?,)+))
            }
        }
    };
}

parsed_tuple!(A, B);
parsed_tuple!(A, B, C);
parsed_tuple!(A, B, C, D);
parsed_tuple!(A, B, C, D, E);
parsed_tuple!(A, B, C, D, E, F);
parsed_tuple!(A, B, C, D, E, F, G);

/// The parsed values when no violation was recorded, else every violation
/// as INVALID_ARGUMENT. The parsers return `None` only after recording why,
/// so a missing value without a violation is a bug of this layer: it is
/// logged and answered as an internal error, never passed on.
pub fn finish<P: Parsed>(v: Violations, parsed: P) -> Result<P::Values, Status> {
    v.finish(())?;
    parsed.values().ok_or_else(|| {
        tracing::error!("a request parser returned no value and recorded no violation");
        Status::internal("internal error")
    })
}

// ------------------------------------------------------------ scalar parsing

pub fn page_size(field: &str, size: i32, v: &mut Violations) -> u32 {
    match size {
        0 => DEFAULT_PAGE_SIZE,
        n if n < 0 => {
            v.add(field, "NEGATIVE", "must not be negative");
            DEFAULT_PAGE_SIZE
        }
        n => (n as u32).min(MAX_PAGE_SIZE),
    }
}

/// A page token is the id of the last item of the previous page.
pub fn page_token(field: &str, token: &str, v: &mut Violations) -> Option<Uuid> {
    if token.is_empty() {
        return None;
    }
    v.check(
        field,
        "PAGE_TOKEN_INVALID",
        Uuid::parse_str(token).map_err(|_| "not a page token from this service"),
    )
}

/// An idempotent write's request id (a UUID the caller chooses), and a
/// SHA-256 of the rest of the request, which tells a retry from a different
/// request that reuses the id. `request_id` names the message's id field.
pub fn idempotency<M: prost::Message + Clone>(
    message: &M,
    request_id: fn(&mut M) -> &mut String,
    v: &mut Violations,
) -> Option<crate::store::Idempotency> {
    let mut rest = message.clone();
    let id = std::mem::take(request_id(&mut rest));
    let id = uuid("request_id", &id, v)?;
    Some(crate::store::Idempotency {
        request_id: id,
        request_hash: crate::domain::chain::sha256_hex(&rest.encode_to_vec()),
    })
}

/// A page token that is the (positive) sequence number of the last item of
/// the previous page.
pub fn sequence_token(field: &str, token: &str, v: &mut Violations) -> Option<i64> {
    if token.is_empty() {
        return None;
    }
    v.check(
        field,
        "PAGE_TOKEN_INVALID",
        token
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or("not a page token from this service"),
    )
}

/// Free text: required when `required`, at most `max` characters, no
/// control characters.
pub fn text(field: &str, value: &str, max: usize, required: bool, v: &mut Violations) {
    if required && value.trim().is_empty() {
        v.add(field, "REQUIRED", "required");
    } else if value.chars().count() > max {
        v.add(field, "TOO_LONG", format!("at most {max} characters"));
    } else if value.chars().any(char::is_control) {
        v.add(
            field,
            "CONTROL_CHARACTERS",
            "must not contain control characters",
        );
    }
}

/// The day something happened: given and not after today, or today when
/// left empty.
pub fn past_date(
    field: &str,
    value: &str,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<NaiveDate> {
    if value.is_empty() {
        return Some(today);
    }
    let day = date(field, value, v)?;
    if day > today {
        v.add(field, "IN_FUTURE", "must not be in the future");
        return None;
    }
    Some(day)
}

pub fn uuid(field: &str, text: &str, v: &mut Violations) -> Option<Uuid> {
    if text.is_empty() {
        v.add(field, "REQUIRED", "required");
        return None;
    }
    v.check(
        field,
        "ID_INVALID",
        Uuid::parse_str(text).map_err(|_| "not an id of this service (a UUID)"),
    )
}

pub fn month(field: &str, text: &str, v: &mut Violations) -> Option<YearMonth> {
    if text.is_empty() {
        v.add(field, "REQUIRED", "required, as YYYY-MM");
        return None;
    }
    v.check(
        field,
        "MONTH_INVALID",
        YearMonth::parse(text).ok_or("a month as YYYY-MM, such as 2026-03"),
    )
}

pub fn date(field: &str, text: &str, v: &mut Violations) -> Option<NaiveDate> {
    if text.is_empty() {
        v.add(field, "REQUIRED", "required, as YYYY-MM-DD");
        return None;
    }
    v.check(
        field,
        "DATE_INVALID",
        parse_date(text).ok_or("a date as YYYY-MM-DD, such as 2026-03-01"),
    )
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    // Exactly YYYY-MM-DD: chrono alone would also accept "2026-3-1".
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A required amount, zero or more.
pub fn money_non_negative(
    field: &str,
    money: Option<&pb::Money>,
    v: &mut Violations,
) -> Option<Money> {
    let Some(pb::Money { amount }) = money else {
        v.add(
            field,
            "REQUIRED",
            "required, as a decimal string such as \"1234.50\"",
        );
        return None;
    };
    v.money(field, Money::parse_non_negative(amount))
}

/// A required amount above zero.
pub fn positive(field: &str, money: Option<&pb::Money>, v: &mut Violations) -> Option<Money> {
    let amount = money_non_negative(field, money, v)?;
    if amount.is_zero() {
        v.add(field, "NOT_POSITIVE", "must be more than zero");
        return None;
    }
    Some(amount)
}

/// An amount that may be left out (then zero).
pub fn optional_money(field: &str, money: Option<&pb::Money>, v: &mut Violations) -> Money {
    match money {
        None => Money::ZERO,
        Some(m) => money_non_negative(field, Some(m), v).unwrap_or(Money::ZERO),
    }
}

/// An amount that may be left out (then `None`); a bad one is recorded.
pub fn given_money(field: &str, money: Option<&pb::Money>, v: &mut Violations) -> Option<Money> {
    money.and_then(|m| money_non_negative(field, Some(m), v))
}

/// A yearly percentage as the wire gives it ([`Rate::parse`]), 0 to 100.
pub fn rate(field: &str, text: &str, v: &mut Violations) -> Option<Rate> {
    match Rate::parse(text) {
        Some(rate) if rate <= Rate::percent(Decimal::ONE_HUNDRED) => Some(rate),
        Some(_) => {
            v.add(
                field,
                "OUT_OF_RANGE",
                "must be at most 100 (percent a year)",
            );
            None
        }
        None => {
            v.add(
                field,
                "PERCENT_INVALID",
                "a percentage such as \"12.5\": digits with at most two decimals",
            );
            None
        }
    }
}

/// A proto enum field: unknown numbers and UNSPECIFIED are violations.
pub fn enum_value<E: TryFrom<i32>, T>(
    field: &str,
    raw: i32,
    map: impl Fn(E) -> Option<T>,
    v: &mut Violations,
) -> Option<T> {
    match E::try_from(raw) {
        Ok(e) => match map(e) {
            Some(t) => Some(t),
            None => {
                v.add(
                    field,
                    "REQUIRED",
                    "required: choose one of the enum's values",
                );
                None
            }
        },
        Err(_) => {
            v.add(field, "UNKNOWN_VALUE", format!("unknown enum value {raw}"));
            None
        }
    }
}

/// A wire instant, checked: nanos within a second, and a date chrono can
/// hold.
pub fn instant(field: &str, t: &Timestamp, v: &mut Violations) -> Option<DateTime<Utc>> {
    let nanos = u32::try_from(t.nanos).ok().filter(|n| *n < 1_000_000_000);
    v.check(
        field,
        "TIMESTAMP_INVALID",
        nanos
            .and_then(|n| DateTime::from_timestamp(t.seconds, n))
            .ok_or("not a valid timestamp"),
    )
}

pub fn timestamp(t: DateTime<Utc>) -> Timestamp {
    Timestamp {
        seconds: t.timestamp(),
        nanos: i32::try_from(t.timestamp_subsec_nanos()).unwrap_or(0),
    }
}

// ------------------------------------------------------------------ output

pub fn money_to_pb(m: Money) -> Option<pb::Money> {
    Some(pb::Money {
        amount: m.to_wire(),
    })
}

// Results are converted by value: their strings move into the response
// instead of being copied (this is on the path of every calculation).

pub fn basis_to_pb(b: Basis) -> Option<pb::Basis> {
    let Basis {
        rule,
        source,
        arithmetic,
    } = b;
    Some(pb::Basis {
        rule,
        source,
        arithmetic,
        rule_code: String::new(),
    })
}

/// A basis with the stable code of its rule, for a client to word it.
pub fn coded_basis_to_pb(b: Basis, code: &str) -> Option<pb::Basis> {
    basis_to_pb(b).map(|b| pb::Basis {
        rule_code: code.to_owned(),
        ..b
    })
}

pub fn line_to_pb(l: Line) -> pb::AmountLine {
    pb::AmountLine {
        label: l.label,
        amount: money_to_pb(l.amount),
        basis: basis_to_pb(l.basis),
    }
}

// ------------------------------------------- enums, ids and optional fields

/// A required enum field given by a mapping that has no UNSPECIFIED: a
/// known value other than UNSPECIFIED.
pub fn required_enum<T>(
    field: &str,
    raw: i32,
    map: fn(i32) -> Option<T>,
    v: &mut Violations,
) -> Option<T> {
    let parsed = map(raw);
    if parsed.is_none() {
        v.add(
            field,
            "REQUIRED",
            "required: choose one of the enum's values",
        );
    }
    parsed
}

/// An optional enum filter: UNSPECIFIED means any.
pub fn filter_enum<T>(
    field: &str,
    raw: i32,
    map: fn(i32) -> Option<T>,
    v: &mut Violations,
) -> Option<T> {
    if raw == 0 {
        return None;
    }
    let parsed = map(raw);
    if parsed.is_none() {
        v.add(field, "UNKNOWN_VALUE", format!("unknown enum value {raw}"));
    }
    parsed
}

/// The one id a request names (a Get call's): parsed, or its violation.
pub fn id(field: &str, text: &str) -> Result<Uuid, Status> {
    let mut v = Violations::new();
    let id = uuid(field, text, &mut v);
    finish(v, id)
}

/// A list request about one household's items, a page at a time: its
/// household id, page size and page token.
pub trait HouseholdPage {
    fn page(&self) -> (&str, i32, &str);
}

macro_rules! household_page {
    ($($message:ident),+) => {$(
        impl HouseholdPage for pb::$message {
            fn page(&self) -> (&str, i32, &str) {
                let pb::$message { household_id, page_size, page_token } = self;
                (household_id, *page_size, page_token)
            }
        }
    )+};
}

household_page!(
    ListBudgetsRequest,
    ListLeasesRequest,
    ListRentPaymentPlansRequest
);

/// An id that may be left out. The outer `None` is a violation.
pub fn optional_uuid(field: &str, text: &str, v: &mut Violations) -> Option<Option<Uuid>> {
    if text.is_empty() {
        Some(None)
    } else {
        uuid(field, text, v).map(Some)
    }
}

/// A month that may be left out. The outer `None` is a violation.
pub fn optional_month(field: &str, text: &str, v: &mut Violations) -> Option<Option<YearMonth>> {
    if text.is_empty() {
        Some(None)
    } else {
        month(field, text, v).map(Some)
    }
}

/// A date that may be left out (then `when_empty`).
pub fn date_or(
    field: &str,
    text: &str,
    when_empty: NaiveDate,
    v: &mut Violations,
) -> Option<NaiveDate> {
    if text.is_empty() {
        Some(when_empty)
    } else {
        date(field, text, v)
    }
}

/// A date on the wire.
pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests;
