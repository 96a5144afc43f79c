//! The service's notion of "now" and "today". Today is the civil date in
//! Europe/Stockholm, not UTC: a check run at 00:30 Swedish time belongs to the
//! new day. Tests pin the clock with [`FixedClock`].

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// The civil date in Sweden at [`Clock::now`].
    fn today(&self) -> NaiveDate {
        stockholm_date(self.now())
    }
}

pub fn stockholm_date(instant: DateTime<Utc>) -> NaiveDate {
    instant
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    /// To the microsecond, the precision the store keeps: an instant a write
    /// returns is the one a later read of it returns.
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that always says the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests;
