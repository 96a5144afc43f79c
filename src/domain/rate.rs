//! Rates in percent a year: a debt's interest rate, a half-year's
//! referensränta and the dröjsmålsränta built on it.
//!
//! [`Rate`] wraps a [`Decimal`] behind a private field, as [`super::money::Money`]
//! does: nothing on a rate path uses floating point. A rate from the wire or
//! from storage has at most two decimals (`12.5` is 12.5 % a year); storage
//! keeps it as whole hundredths of a percent. A rate computed from others
//! (referensränta + 8 percentage points) stays exact.

use std::fmt;
use std::ops::Add;

use rust_decimal::Decimal;

/// The longest rate text the wire accepts, decimal point included.
const MAX_WIRE_CHARS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(Decimal);

impl Rate {
    pub const ZERO: Rate = Rate(Decimal::ZERO);

    /// A rate of `percent` % a year.
    pub fn percent(percent: Decimal) -> Rate {
        Rate(percent)
    }

    /// A rate from whole hundredths of a percent (the storage form).
    pub fn from_hundredths(hundredths: i64) -> Rate {
        Rate(Decimal::new(hundredths, 2))
    }

    /// Whole hundredths of a percent, or `None` for a rate with more than two
    /// decimals or beyond `i64`.
    pub fn to_hundredths(self) -> Option<i64> {
        let scaled = self.0.checked_mul(Decimal::ONE_HUNDRED)?;
        if !scaled.fract().is_zero() {
            return None;
        }
        i64::try_from(scaled).ok()
    }

    /// A rate as the wire gives it: digits, optionally a `.` and one or two
    /// decimals, at most ten characters; never negative. `None` for anything
    /// else (the caller names the field and says what is accepted).
    pub fn parse(text: &str) -> Option<Rate> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let shape = text.len() <= MAX_WIRE_CHARS
            && match text.split_once('.') {
                None => digits(text),
                Some((whole, fraction)) => digits(whole) && digits(fraction) && fraction.len() <= 2,
            };
        if !shape {
            return None;
        }
        text.parse::<Decimal>().ok().map(Rate)
    }

    /// The rate in percent, for arithmetic.
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// The shortest exact form, as the wire carries it: `12.5`, `8`, `0.25`.
    pub fn to_wire(self) -> String {
        self.0.normalize().to_string()
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
}

impl Add for Rate {
    type Output = Rate;
    fn add(self, other: Rate) -> Rate {
        Rate(self.0 + other.0)
    }
}

/// The value with the decimals it was given (`4.00` as a table holds it),
/// for an arithmetic text that shows its inputs as read.
impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests;
