//! The service's notion of "now" and "today". Today is the civil date in
//! Europe/Stockholm, not UTC: a check run at 00:30 Swedish time belongs to the
//! new day. Tests pin the clock with [`FixedClock`].

use chrono::{DateTime, NaiveDate, Utc};

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
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
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
mod tests {
    use super::*;

    #[test]
    fn half_past_midnight_in_stockholm_is_the_new_day() {
        // 2026-03-01 23:30 UTC is 00:30 on 2 March in Stockholm (CET, +1).
        let t = DateTime::parse_from_rfc3339("2026-03-01T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            stockholm_date(t),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        // Summer time: 2026-07-01 22:30 UTC is 00:30 on 2 July (CEST, +2).
        let t = DateTime::parse_from_rfc3339("2026-07-01T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            stockholm_date(t),
            NaiveDate::from_ymd_opt(2026, 7, 2).unwrap()
        );
        let t = DateTime::parse_from_rfc3339("2026-07-01T21:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            stockholm_date(t),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
    }
}
