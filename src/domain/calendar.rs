//! The Swedish calendar: months, public holidays, vardagar and the rent due date.
//!
//! Rent for a home is due "senast sista vardagen före varje kalendermånads början"
//! (jordabalken 12 kap. 20 §), and the forfeiture and notice periods of 12:42–44 run from that
//! day. Working out "the last vardag" needs three legal sources, and this module is the one place
//! that combines them:
//!
//! - **Lag (1989:253) om allmänna helgdagar** lists the allmänna helgdagar: every söndag
//!   (among them påskdagen and pingstdagen), nyårsdagen (1 Jan), trettondedag jul (6 Jan),
//!   första maj, juldagen (25 Dec) and annandag jul (26 Dec) on whatever weekday they fall, and
//!   långfredagen, annandag påsk, Kristi himmelsfärdsdag (the sixth Thursday after påskdagen),
//!   nationaldagen (6 June), midsommardagen (the Saturday 20–26 June) and alla helgons dag (the
//!   Saturday 31 Oct – 6 Nov). Påskdagen is the Sunday after the ecclesiastical full moon on or
//!   after 21 March, which is the Gregorian computus in [`easter_sunday`].
//! - **Lag (2004:1320)**, in force 2005-04-01, made nationaldagen a helgdag and removed annandag
//!   pingst. The module applies the list in force in the year asked about: before 2005 annandag
//!   pingst (the day after pingstdagen) is a helgdag and 6 June is not. Years before 1990, when
//!   older statutes applied, get the 1989 list too: the service has no use for older calendars.
//! - **Lag (1930:173) om beräkning av lagstadgad tid, 2 §** treats lördag, midsommarafton,
//!   julafton and nyårsafton like a helgdag when a deadline falls on them: the act may then be
//!   done on the next vardag ([`statutory_last_day`]). Jordabalken does not
//!   say which days are "vardagar"; the service reads 12:20 through 1930:173, so none of those
//!   days is a vardag either (docs/sources.md §4.5: an interpretation, kept here and only here).
//!
//! Invariants:
//! - [`YearMonth`] always holds a month 1..=12 of a year in [`YearMonth::MIN_YEAR`] ..=
//!   [`YearMonth::MAX_YEAR`], so its first and last day always exist; every constructor that
//!   takes outside input checks that and returns `None` instead of panicking.
//! - [`is_vardag`] is `false` exactly when [`non_working_reason`] names a reason, and
//!   [`last_vardag_before`] returns a vardag strictly before its argument (saturating only at
//!   chrono's first representable date, far outside any real use).
//! - [`statutory_last_day`] is the one place where a statutory deadline moves under lag
//!   (1930:173) 2 §: its `last_day` is the first vardag on or after the counted day, and
//!   `moved_because` names why the counted day is not one (docs/sources.md §4.6).

use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt;
use std::str::FromStr;

/// A calendar month, e.g. 2026-03. Ordered chronologically (year first, then month).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    // Field order matters: the derived `Ord` compares `year` before `month`.
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The first year a [`YearMonth`] can hold: far enough back for any lease, debt or norm the
    /// service handles, and a narrow range keeps all month arithmetic far from overflow.
    pub const MIN_YEAR: i32 = 1900;
    /// The last year a [`YearMonth`] can hold (payment plans and norms never reach it).
    pub const MAX_YEAR: i32 = 2200;
    /// The earliest month: 1900-01.
    pub const MIN: YearMonth = YearMonth {
        year: Self::MIN_YEAR,
        month: 1,
    };
    /// The latest month: 2200-12.
    pub const MAX: YearMonth = YearMonth {
        year: Self::MAX_YEAR,
        month: 12,
    };

    /// The month `year`-`month`, or `None` unless `month` is 1..=12 and `year` is
    /// [`Self::MIN_YEAR`]..=[`Self::MAX_YEAR`].
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) && (1..=12).contains(&month) {
            Some(YearMonth { year, month })
        } else {
            None
        }
    }

    /// Parses exactly `YYYY-MM` (four ASCII digits, `-`, two ASCII digits) as on the wire
    /// (the month fields of `proto/budgetrad/v1`). No whitespace, sign, day or short form is
    /// accepted, so one month has exactly one spelling.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return None;
        }
        let year = decimal(&b[0..4])?;
        let month = decimal(&b[5..7])?;
        Self::new(i32::try_from(year).ok()?, month)
    }

    /// The month containing `date`.
    ///
    /// Saturates: a date before 1900 gives 1900-01 and one after 2200 gives 2200-12, because the
    /// type cannot hold other years. Code that turns outside input into a month should use
    /// `YearMonth::new(date.year(), date.month())` and reject `None` instead.
    pub fn of(date: NaiveDate) -> Self {
        match Self::new(date.year(), date.month()) {
            Some(ym) => ym,
            None if date.year() < Self::MIN_YEAR => Self::MIN,
            None => Self::MAX,
        }
    }

    /// The year, 1900..=2200.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        ymd_in_range(self.year, self.month, 1)
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        ymd_in_range(self.year, self.month, self.days())
    }

    /// The number of days in the month, 28..=31 (Gregorian leap years).
    pub fn days(self) -> u32 {
        match self.month {
            2 if is_leap_year(self.year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The month before, saturating at [`Self::MIN`].
    pub fn pred(self) -> Self {
        self.add_months(-1)
    }

    /// The month after, saturating at [`Self::MAX`].
    pub fn succ(self) -> Self {
        self.add_months(1)
    }

    /// The month `n` months later (earlier for negative `n`), saturating at [`Self::MIN`] and
    /// [`Self::MAX`].
    pub fn add_months(self, n: i32) -> Self {
        // Count months from year 0 in i64 so that no i32 `n` can overflow, then clamp.
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(n);
        let lowest = i64::from(Self::MIN_YEAR) * 12;
        let highest = i64::from(Self::MAX_YEAR) * 12 + 11;
        let index = index.clamp(lowest, highest);
        // After the clamp both parts are in range, so the conversions cannot fail; the
        // fallbacks only keep the function total.
        let year = i32::try_from(index.div_euclid(12)).unwrap_or(Self::MAX_YEAR);
        let month = u32::try_from(index.rem_euclid(12) + 1).unwrap_or(12);
        YearMonth { year, month }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The year is always four digits (1900..=2200), so this is exactly `YYYY-MM`.
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Why a string is not a month: it is not `YYYY-MM` with a month 01–12 of 1900–2200.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseYearMonthError;

impl fmt::Display for ParseYearMonthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a month as YYYY-MM between 1900-01 and 2200-12")
    }
}

impl std::error::Error for ParseYearMonthError {}

impl FromStr for YearMonth {
    type Err = ParseYearMonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or(ParseYearMonthError)
    }
}

/// The value of a run of ASCII digits, or `None` if any byte is not one. Only ever called on
/// 2 or 4 bytes, so the value fits easily.
fn decimal(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// A date known to exist. Callers guarantee that (a checked month of a checked year, or a
/// computed Easter date in a representable year); the fallback only keeps the code free of
/// panics and is never taken.
fn ymd_in_range(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Påskdagen (Easter Sunday) of `year` in the Gregorian calendar.
///
/// Uses the anonymous Gregorian algorithm (Meeus/Jones/Butcher): it computes the
/// ecclesiastical full moon from the Metonic cycle (`a`), the solar correction for the
/// century leap-year rule (`b`, `d`, `e`) and the lunar correction (`f`, `g`), then the next
/// Sunday. The result is always between 22 March and 25 April.
///
/// Years outside chrono's representable range are clamped to it (proleptic Gregorian before
/// 1583 and far-future years are meaningless for this service, but the function stays total).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let year = year.clamp(NaiveDate::MIN.year(), NaiveDate::MAX.year());
    // Euclidean division keeps every step right for the (meaningless) negative years too.
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is 1..=31, so both conversions succeed.
    let month = u32::try_from(n / 31).unwrap_or(4);
    let day = u32::try_from(n % 31 + 1).unwrap_or(1);
    ymd_in_range(year, month, day)
}

/// The named allmän helgdag on `date`, if any (Sundays without a name of their own excluded).
fn named_holiday(date: NaiveDate) -> Option<&'static str> {
    let (month, day) = (date.month(), date.day());
    let fixed = match (month, day) {
        (1, 1) => Some("nyårsdagen"),
        (1, 6) => Some("trettondedag jul"),
        (5, 1) => Some("första maj"),
        // Lag 2004:1320 made 6 June a helgdag from 2005 (in force 1 April 2005).
        (6, 6) if date.year() >= 2005 => Some("nationaldagen"),
        (12, 25) => Some("juldagen"),
        (12, 26) => Some("annandag jul"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let weekday = date.weekday();
    if weekday == Weekday::Sat && month == 6 && (20..=26).contains(&day) {
        return Some("midsommardagen");
    }
    if weekday == Weekday::Sat && ((month == 10 && day == 31) || (month == 11 && day <= 6)) {
        return Some("alla helgons dag");
    }
    // Every movable feast is in the same year as its Easter (22 Mar + 50 days is still
    // May), so the day-of-year difference is the distance in days.
    let easter = easter_sunday(date.year());
    let from_easter = i64::from(date.ordinal()) - i64::from(easter.ordinal());
    match from_easter {
        -2 => Some("långfredagen"),
        0 => Some("påskdagen"),
        1 => Some("annandag påsk"),
        39 => Some("Kristi himmelsfärdsdag"),
        49 => Some("pingstdagen"),
        // Annandag pingst was a helgdag until lag 2004:1320 replaced it with nationaldagen.
        50 if date.year() < 2005 => Some("annandag pingst"),
        _ => None,
    }
}

/// The allmän helgdag on this date (lag 1989:253), Sundays included, as its Swedish name:
/// "nyårsdagen", "trettondedag jul", "långfredagen", "påskdagen", "annandag påsk",
/// "första maj", "Kristi himmelsfärdsdag", "pingstdagen", "nationaldagen", "midsommardagen",
/// "alla helgons dag", "juldagen", "annandag jul" (and "annandag pingst" before 2005), or
/// "söndag" for any other Sunday. A named day wins over "söndag" because it says more.
pub fn public_holiday(date: NaiveDate) -> Option<&'static str> {
    named_holiday(date).or_else(|| (date.weekday() == Weekday::Sun).then_some("söndag"))
}

/// Why this day is not a vardag, or `None` if it is one: every [`public_holiday`], and
/// midsommarafton (the Friday before midsommardagen), julafton (24 Dec), nyårsafton (31 Dec)
/// and Saturdays ("lördag"), which lag 1930:173 2 § treats like holidays.
///
/// The most specific name wins: a named helgdag, then an afton, then "söndag"/"lördag".
pub fn non_working_reason(date: NaiveDate) -> Option<&'static str> {
    if let Some(name) = named_holiday(date) {
        return Some(name);
    }
    let (month, day) = (date.month(), date.day());
    let weekday = date.weekday();
    if weekday == Weekday::Fri && month == 6 && (19..=25).contains(&day) {
        return Some("midsommarafton");
    }
    match (month, day) {
        (12, 24) => return Some("julafton"),
        (12, 31) => return Some("nyårsafton"),
        _ => {}
    }
    match weekday {
        Weekday::Sun => Some("söndag"),
        Weekday::Sat => Some("lördag"),
        _ => None,
    }
}

/// Whether `date` is a vardag: not a helgdag, not a Saturday, not midsommar-, jul- or
/// nyårsafton.
pub fn is_vardag(date: NaiveDate) -> bool {
    non_working_reason(date).is_none()
}

/// The last vardag strictly before `date`.
///
/// The longest run of non-vardagar is five days (e.g. Saturday 22 Dec to Wednesday 26 Dec),
/// so the loop is short. It saturates at `NaiveDate::MIN`, which has no day before it.
pub fn last_vardag_before(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while let Some(previous) = day.pred_opt() {
        if is_vardag(previous) {
            return previous;
        }
        day = previous;
    }
    NaiveDate::MIN
}

/// The first vardag on or after `date`: `date` itself when it is a vardag.
///
/// Like [`last_vardag_before`] the loop is short (at most five non-vardagar in a row); it
/// saturates at `NaiveDate::MAX`.
pub fn first_vardag_from(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    loop {
        if is_vardag(day) {
            return day;
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => return NaiveDate::MAX,
        }
    }
}

/// The last day of a statutory period after lag (1930:173) 2 §: when the period's last day by
/// the count (`counted`) is a söndag or other allmän helgdag, a lördag, midsommarafton,
/// julafton or nyårsafton, the act may be done on the next vardag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatutoryLastDay {
    /// The last day by the count alone.
    pub counted: NaiveDate,
    /// Why `counted` is not a vardag ([`non_working_reason`]); `None` when it is one.
    pub moved_because: Option<&'static str>,
    /// The last day the act may be done: `counted`, or the next vardag after it.
    pub last_day: NaiveDate,
}

/// Applies lag (1930:173) 2 § to a period whose last day by the count is `counted`. This is the
/// one place that moves a deadline; every legal deadline the service shows goes through it.
pub fn statutory_last_day(counted: NaiveDate) -> StatutoryLastDay {
    StatutoryLastDay {
        counted,
        moved_because: non_working_reason(counted),
        last_day: first_vardag_from(counted),
    }
}

/// JB 12 kap. 20 §: rent for `month` is due "senast sista vardagen före varje kalendermånads
/// början", i.e. the last vardag before the month's first day.
pub fn rent_due_date(month: YearMonth) -> NaiveDate {
    last_vardag_before(month.first_day())
}

/// The Swedish month names, lower case as running text writes them.
const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date as Swedish running text writes it: "2 december 2026".
pub fn date_sv(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name_sv(date.month()),
        date.year()
    )
}

/// A month as Swedish running text writes it: "december 2026".
pub fn year_month_sv(month: YearMonth) -> String {
    format!("{} {}", month_name_sv(month.month()), month.year())
}

fn month_name_sv(month: u32) -> &'static str {
    // chrono's months are 1..=12.
    MONTHS_SV[(month.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests;
