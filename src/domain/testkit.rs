//! Shorthands the domain's unit tests share: amounts, dates and months
//! written as the examples in the rules are.

use chrono::NaiveDate;

use super::calendar::YearMonth;
use super::money::Money;

pub fn kr(kronor: i64) -> Money {
    Money::from_kronor(kronor)
}

pub fn ore(ore: i64) -> Money {
    Money::from_ore(ore)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::new(y, m).unwrap()
}
