//! Exact money in Swedish kronor.
//!
//! [`Money`] wraps a [`Decimal`] behind a private field: nothing on a money path
//! uses floating point. Intermediate results may carry more than two fraction
//! digits (`2 030 / 4 = 507.5`, `450 × 52 / 12 = 1 950`); rounding happens only at
//! named points through [`Rounding`], and [`Money::to_wire`] refuses nothing
//! because every value that reaches the wire has been rounded to whole öre first.
//!
//! Bounds: the wire format allows at most 15 integer digits, so a sum of even
//! millions of parsed amounts stays far inside `Decimal`'s 28 digits and the
//! plain `+`/`-` operators cannot overflow on values that came through
//! [`Money::parse`] or storage.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use rust_decimal::{Decimal, RoundingStrategy};

/// The largest number of integer digits the wire format accepts.
pub const MAX_INTEGER_DIGITS: usize = 15;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// Why a wire amount was rejected. The messages never repeat the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("an amount is required")]
    Empty,
    #[error("an amount is digits with an optional '.' and one or two decimals, such as 1234.50")]
    Malformed,
    #[error("at most two decimals (whole öre) are allowed")]
    TooManyDecimals,
    #[error("at most 15 digits before the decimal point are allowed")]
    TooLarge,
    #[error("must not be negative")]
    Negative,
}

impl MoneyParseError {
    /// The field violation's reason code (`domain::error::REASONS`).
    pub fn reason(self) -> &'static str {
        match self {
            MoneyParseError::Empty => "REQUIRED",
            MoneyParseError::Malformed => "AMOUNT_INVALID",
            MoneyParseError::TooManyDecimals => "TOO_MANY_DECIMALS",
            MoneyParseError::TooLarge => "TOO_LARGE",
            MoneyParseError::Negative => "NEGATIVE",
        }
    }
}

/// The named rounding points of the service. Every rounding in the domain goes
/// through one of these, so a reader can find each place an öre may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Half away from zero to whole öre: displayed lines, instalments, payouts,
    /// shares (docs/sources.md §9).
    HalfAwayFromZeroOre,
    /// Half away from zero to whole kronor, where a rule says whole kronor.
    HalfAwayFromZeroKrona,
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An amount from whole öre (the storage form).
    pub fn from_ore(ore: i64) -> Money {
        Money(Decimal::new(ore, 2))
    }

    pub fn from_kronor(kronor: i64) -> Money {
        Money(Decimal::from(kronor))
    }

    /// An exact decimal amount, e.g. from a norm table already validated.
    pub fn from_decimal(value: Decimal) -> Money {
        Money(value)
    }

    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Parses the wire format (`Money` in `proto/budgetrad/v1/common.proto`):
    /// optional `-`, 1–15 digits, and optionally `.` with one or two digits.
    /// Nothing else: no exponent, no comma, no spaces, no `+`.
    pub fn parse(input: &str) -> Result<Money, MoneyParseError> {
        if input.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let unsigned = input.strip_prefix('-').unwrap_or(input);
        let (int_part, frac_part) = match unsigned.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (unsigned, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) {
            return Err(MoneyParseError::Malformed);
        }
        if let Some(frac) = frac_part {
            if !all_digits(frac) {
                return Err(MoneyParseError::Malformed);
            }
            if frac.len() > 2 {
                return Err(MoneyParseError::TooManyDecimals);
            }
        }
        if int_part.len() > MAX_INTEGER_DIGITS {
            return Err(MoneyParseError::TooLarge);
        }
        // The string is now a plain decimal well inside Decimal's range.
        let value = Decimal::from_str_exact(input).map_err(|_| MoneyParseError::Malformed)?;
        Ok(Money(value))
    }

    /// As [`Money::parse`], and not negative.
    pub fn parse_non_negative(input: &str) -> Result<Money, MoneyParseError> {
        let money = Money::parse(input)?;
        if money.is_negative() {
            return Err(MoneyParseError::Negative);
        }
        Ok(money)
    }

    /// The wire form with exactly two decimals ("1234.50", "-3.00", "0.00").
    /// Values are rounded to whole öre at their named point before they get
    /// here; should a finer value arrive anyway, it is rounded half away from
    /// zero rather than truncated.
    pub fn to_wire(&self) -> String {
        // The common case, whole öre, is formatted from the integer.
        if let Some(ore) = self.to_ore() {
            let abs = ore.unsigned_abs();
            let mut out = String::with_capacity(24);
            if ore < 0 {
                out.push('-');
            }
            push_digits(&mut out, abs / 100, false);
            push_cents(&mut out, abs % 100);
            return out;
        }
        let mut d = self.round(Rounding::HalfAwayFromZeroOre).0;
        d.rescale(2);
        if d.is_zero() {
            // "-0.00" is not a meaningful amount.
            return "0.00".to_owned();
        }
        d.to_string()
    }

    /// Whole öre, for storage. `None` when the amount has a fraction of an öre
    /// (it was not rounded at a named point) or does not fit an `i64`.
    pub fn to_ore(&self) -> Option<i64> {
        // Straight from the mantissa and scale: this runs for every amount
        // that is stored or sent, so it avoids decimal multiplication.
        let mantissa = self.0.mantissa();
        let scale = self.0.scale();
        if scale == 2 {
            // What `from_ore` and the wire's two decimals give: no arithmetic.
            return i64::try_from(mantissa).ok();
        }
        let ore = if scale < 2 {
            mantissa.checked_mul(10_i128.pow(2 - scale))?
        } else {
            let divisor = 10_i128.pow(scale - 2);
            if mantissa % divisor != 0 {
                return None;
            }
            mantissa / divisor
        };
        i64::try_from(ore).ok()
    }

    pub fn round(self, rounding: Rounding) -> Money {
        let (dp, strategy) = match rounding {
            Rounding::HalfAwayFromZeroOre => (2, RoundingStrategy::MidpointAwayFromZero),
            Rounding::HalfAwayFromZeroKrona => (0, RoundingStrategy::MidpointAwayFromZero),
        };
        Money(self.0.round_dp_with_strategy(dp, strategy))
    }

    /// `self × numerator / denominator`, exact (no rounding). `None` when the
    /// denominator is zero.
    pub fn mul_ratio(self, numerator: i64, denominator: i64) -> Option<Money> {
        if denominator == 0 {
            return None;
        }
        let value = self
            .0
            .checked_mul(Decimal::from(numerator))?
            .checked_div(Decimal::from(denominator))?;
        Some(Money(value))
    }

    /// `self × numerator / denominator` rounded half away from zero to whole
    /// öre: the same as [`Money::mul_ratio`] then [`Money::round`] with
    /// [`Rounding::HalfAwayFromZeroOre`], computed on integer öre when the
    /// amount is whole öre (every amount from the wire is). `None` when the
    /// denominator is zero.
    pub fn mul_ratio_to_ore(self, numerator: i64, denominator: i64) -> Option<Money> {
        if denominator == 0 {
            return None;
        }
        if let Some(ore) = self.to_ore() {
            // i64 × i64 fits i128, and so does twice it.
            let product = i128::from(ore) * i128::from(numerator);
            let negative = (product < 0) != (denominator < 0);
            let (product, divisor) = (
                product.unsigned_abs(),
                u128::from(denominator.unsigned_abs()),
            );
            // Half away from zero: floor((2 × |p| + |d|) / (2 × |d|)).
            let rounded = (2 * product + divisor) / (2 * divisor);
            if let Ok(rounded) = i64::try_from(rounded) {
                return Some(Money::from_ore(if negative { -rounded } else { rounded }));
            }
        }
        // Finer than öre, or beyond i64 öre: decimal arithmetic.
        Some(
            self.mul_ratio(numerator, denominator)?
                .round(Rounding::HalfAwayFromZeroOre),
        )
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    pub fn max(self, other: Money) -> Money {
        if self >= other { self } else { other }
    }

    pub fn min(self, other: Money) -> Money {
        if self <= other { self } else { other }
    }

    /// Human form for explanations: thousands grouped by a space, decimals only
    /// when the amount is not whole kronor ("4 390", "507.50", "-1 950.25").
    pub fn display_kr(&self) -> String {
        let mut out = String::with_capacity(24);
        self.push_kr(&mut out);
        out
    }

    /// Appends [`Money::display_kr`] to `out`, for texts built of several
    /// amounts.
    pub fn push_kr(&self, out: &mut String) {
        // Whole öre (nearly every amount shown) is formatted from the integer.
        if let Some(ore) = self.to_ore() {
            let abs = ore.unsigned_abs();
            if ore < 0 {
                out.push('-');
            }
            push_digits(out, abs / 100, true);
            if abs % 100 != 0 {
                push_cents(out, abs % 100);
            }
            return;
        }
        out.push_str(&display_decimal(self.0));
    }
}

impl Money {
    /// The form letters and statements print: rounded to whole öre, the
    /// thousands grouped and the unit separated by no-break spaces (so an
    /// amount never breaks over two lines), always two decimals after a
    /// comma ("14 350,00 kr", "-507,50 kr").
    pub fn display_sv(&self) -> String {
        const NBSP: char = '\u{a0}';
        let rounded = self.round(Rounding::HalfAwayFromZeroOre);
        let Some(ore) = rounded.to_ore() else {
            // Beyond i64 öre: far outside the wire's 15 digits.
            return format!("{} kr", rounded.display_kr());
        };
        let mut out = String::with_capacity(28);
        if ore < 0 {
            out.push('-');
        }
        let abs = ore.unsigned_abs();
        let mut grouped = String::with_capacity(24);
        push_digits(&mut grouped, abs / 100, true);
        out.extend(grouped.chars().map(|c| if c == ' ' { NBSP } else { c }));
        out.push(',');
        out.push(char::from(b'0' + (abs % 100 / 10) as u8));
        out.push(char::from(b'0' + (abs % 10) as u8));
        out.push(NBSP);
        out.push_str("kr");
        out
    }
}

/// [`Money::display_kr`] for any decimal, including fractions of an öre.
fn display_decimal(value: Decimal) -> String {
    let value = value.normalize();
    let negative = value.is_sign_negative() && !value.is_zero();
    let abs = value.abs();
    let whole = abs.trunc();
    let frac = abs - whole;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    // A fraction of an öre only appears mid-calculation, on amounts far
    // below u64's range.
    push_digits(&mut out, u64::try_from(whole).unwrap_or(u64::MAX), true);
    if !frac.is_zero() {
        let mut f = frac;
        if f.scale() < 2 {
            f.rescale(2);
        }
        // "0.50" → ".50"; finer fractions keep all their digits.
        let text = f.to_string();
        out.push_str(text.trim_start_matches('0'));
    }
    out
}

/// Appends the decimal digits of `n`, with the thousands separated by a
/// space ("1 234 567") when `grouped`. Written out by hand because money is
/// formatted for every line of every response.
fn push_digits(out: &mut String, mut n: u64, grouped: bool) {
    // Filled from the right: 20 digits and 6 group spaces fit u64::MAX.
    let mut text = [b' '; 26];
    let mut start = text.len();
    let mut digits = 0;
    loop {
        if grouped && digits > 0 && digits % 3 == 0 {
            start -= 1; // the space is already there
        }
        start -= 1;
        text[start] = b'0' + (n % 10) as u8;
        digits += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits and spaces only, so this never fails.
    out.push_str(std::str::from_utf8(&text[start..]).unwrap_or_default());
}

/// Appends ".cc" for `cents` in 0..100.
fn push_cents(out: &mut String, cents: u64) {
    out.push('.');
    out.push(char::from(b'0' + (cents / 10) as u8));
    out.push(char::from(b'0' + (cents % 10) as u8));
}

impl fmt::Debug for Money {
    // Debug is what ends up in logs if anything does: keep it recognisable but
    // it is still the caller's job never to log a household's amounts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_kr())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// Why an allocation could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("there is nothing to share by: every weight is zero")]
    NoWeight,
    #[error("a weight is negative")]
    NegativeWeight,
    #[error("the amount to share is not whole öre")]
    NotWholeOre,
}

/// Splits `total` over `weights` by the largest-remainder method, in whole öre:
/// each part is first floored to `total × weight / Σweights`, then the öre left
/// over go one each to the parts with the largest remainders (ties to the
/// earlier part). The parts always sum exactly to `total`, and no part of a
/// non-negative total is negative.
///
/// Weights are whole numbers (typically balances in öre); integer arithmetic
/// in `i128` keeps every step exact.
pub fn allocate(total: Money, weights: &[i64]) -> Result<Vec<Money>, AllocationError> {
    let total_ore = total.to_ore().ok_or(AllocationError::NotWholeOre)?;
    if weights.iter().any(|w| *w < 0) {
        return Err(AllocationError::NegativeWeight);
    }
    let weight_sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if weight_sum == 0 {
        return Err(AllocationError::NoWeight);
    }
    // Work on the magnitude and put the sign back, so a negative total splits
    // symmetrically.
    let sign: i128 = if total_ore < 0 { -1 } else { 1 };
    let magnitude = i128::from(total_ore).abs();
    let mut parts: Vec<i128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let product = magnitude * i128::from(*weight);
        parts.push(product / weight_sum);
        remainders.push((product % weight_sum, index));
    }
    let handed_out: i128 = parts.iter().sum();
    let mut left = magnitude - handed_out;
    // Largest remainder first; among equals, the earlier part.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders {
        if left == 0 {
            break;
        }
        parts[index] += 1;
        left -= 1;
    }
    Ok(parts
        .into_iter()
        .map(|p| {
            // |p| ≤ |total_ore|, which came from an i64.
            let signed = i64::try_from(sign * p).unwrap_or(i64::MAX);
            Money::from_ore(signed)
        })
        .collect())
}

#[cfg(test)]
mod tests;
