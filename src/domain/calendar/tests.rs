use super::*;
use proptest::prelude::*;

/// A test date; panics on a typo in the test itself.
fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("bad test date {year}-{month}-{day}"),
    }
}

fn ym(year: i32, month: u32) -> YearMonth {
    match YearMonth::new(year, month) {
        Some(m) => m,
        None => panic!("bad test month {year}-{month}"),
    }
}

/// An independent computus for cross-checking: Gauss's Easter algorithm with its two
/// exceptions (Lichtenberg's form of the century terms), which shares no intermediate
/// quantity with the anonymous Gregorian algorithm above.
fn gauss_easter(year: i32) -> (u32, u32) {
    let a = year % 19;
    let b = year % 4;
    let c = year % 7;
    let k = year / 100;
    let p = (13 + 8 * k) / 25;
    let q = k / 4;
    let m = (15 - p + k - q) % 30;
    let n = (4 + k - q) % 7;
    let dd = (19 * a + m) % 30;
    let e = (2 * b + 4 * c + 6 * dd + n) % 7;
    let march = 22 + dd + e;
    let (month, day) = if march <= 31 {
        (3, march)
    } else {
        (4, march - 31)
    };
    // The two exceptions keep Easter on or before 25 April.
    let (month, day) = if dd == 29 && e == 6 {
        (4, 19)
    } else if dd == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
        (4, 18)
    } else {
        (month, day)
    };
    (month as u32, day as u32)
}

#[test]
fn easter_known_years() {
    // Well-known dates, including both extremes (22 March, 25 April); each is checked
    // against both the production algorithm and the independent Gauss algorithm.
    let known = [
        (1818, 3, 22), // earliest possible date
        (1943, 4, 25), // latest possible date
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2028, 4, 16),
        (2029, 4, 1),
        (2030, 4, 21),
        (2038, 4, 25),
        (2285, 3, 22),
    ];
    for (year, month, day) in known {
        assert_eq!(easter_sunday(year), d(year, month, day), "Easter {year}");
        assert_eq!(gauss_easter(year), (month, day), "Gauss Easter {year}");
    }
}

#[test]
fn easter_agrees_with_gauss_and_is_a_sunday_in_range() {
    for year in 1583..=4099 {
        let easter = easter_sunday(year);
        assert_eq!((easter.month(), easter.day()), gauss_easter(year), "{year}");
        assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
        assert!(
            easter >= d(year, 3, 22) && easter <= d(year, 4, 25),
            "{year}"
        );
    }
}

#[test]
fn easter_is_total_for_extreme_years() {
    for year in [i32::MIN, -1, 0, 1, i32::MAX] {
        assert_eq!(easter_sunday(year).weekday(), Weekday::Sun, "{year}");
    }
}

#[test]
fn holidays_2025() {
    let expected = [
        (d(2025, 1, 1), "nyårsdagen"),
        (d(2025, 1, 6), "trettondedag jul"),
        (d(2025, 4, 18), "långfredagen"),
        (d(2025, 4, 20), "påskdagen"),
        (d(2025, 4, 21), "annandag påsk"),
        (d(2025, 5, 1), "första maj"),
        (d(2025, 5, 29), "Kristi himmelsfärdsdag"),
        (d(2025, 6, 8), "pingstdagen"),
        (d(2025, 6, 6), "nationaldagen"),
        (d(2025, 6, 21), "midsommardagen"),
        (d(2025, 11, 1), "alla helgons dag"),
        (d(2025, 12, 25), "juldagen"),
        (d(2025, 12, 26), "annandag jul"),
        (d(2025, 3, 2), "söndag"),
    ];
    for (date, name) in expected {
        assert_eq!(public_holiday(date), Some(name), "{date}");
        assert_eq!(non_working_reason(date), Some(name), "{date}");
        assert!(!is_vardag(date), "{date}");
    }
    // Annandag pingst is an ordinary Monday since 2005.
    assert_eq!(public_holiday(d(2025, 6, 9)), None);
    assert!(is_vardag(d(2025, 6, 9)));
    // Skärtorsdagen and påskafton are not helgdagar (påskafton is a Saturday anyway).
    assert_eq!(public_holiday(d(2025, 4, 17)), None);
    assert!(is_vardag(d(2025, 4, 17)));
    assert_eq!(public_holiday(d(2025, 4, 19)), None);
    assert_eq!(non_working_reason(d(2025, 4, 19)), Some("lördag"));
}

#[test]
fn holidays_before_2005_had_annandag_pingst_not_nationaldagen() {
    // 2004: Easter 11 April, pingstdagen 30 May, annandag pingst Monday 31 May;
    // 6 June 2004 was a Sunday, so take 2003 for a weekday 6 June (a Friday).
    assert_eq!(easter_sunday(2004), d(2004, 4, 11));
    assert_eq!(public_holiday(d(2004, 5, 31)), Some("annandag pingst"));
    assert_eq!(public_holiday(d(2003, 6, 6)), None);
    assert!(is_vardag(d(2003, 6, 6)));
    // 2005 is the first year under lag 2004:1320: 6 June 2005 was a Monday.
    assert_eq!(public_holiday(d(2005, 6, 6)), Some("nationaldagen"));
    assert_eq!(public_holiday(d(2005, 5, 16)), None); // the would-be annandag pingst
}

#[test]
fn aftnar_and_saturdays() {
    assert_eq!(non_working_reason(d(2025, 6, 20)), Some("midsommarafton"));
    assert_eq!(public_holiday(d(2025, 6, 20)), None);
    assert_eq!(non_working_reason(d(2025, 12, 24)), Some("julafton"));
    assert_eq!(non_working_reason(d(2025, 12, 31)), Some("nyårsafton"));
    assert_eq!(public_holiday(d(2025, 12, 31)), None);
    assert_eq!(non_working_reason(d(2025, 3, 1)), Some("lördag"));
    // Julafton on a Sunday (2023) is still reported as julafton, the more specific name;
    // public_holiday only knows it as a Sunday.
    assert_eq!(non_working_reason(d(2023, 12, 24)), Some("julafton"));
    assert_eq!(public_holiday(d(2023, 12, 24)), Some("söndag"));
    // Midsommarafton is the Friday 19–25 June: 19 June 2026 and 25 June 2021.
    assert_eq!(non_working_reason(d(2026, 6, 19)), Some("midsommarafton"));
    assert_eq!(non_working_reason(d(2026, 6, 20)), Some("midsommardagen"));
    assert_eq!(non_working_reason(d(2021, 6, 25)), Some("midsommarafton"));
    // Alla helgons dag on 31 October (2020) and on 6 November (2021).
    assert_eq!(public_holiday(d(2020, 10, 31)), Some("alla helgons dag"));
    assert_eq!(public_holiday(d(2021, 11, 6)), Some("alla helgons dag"));
    // Ordinary weekdays.
    assert!(is_vardag(d(2025, 2, 28)));
    assert!(is_vardag(d(2025, 12, 23)));
    assert!(is_vardag(d(2025, 6, 19)));
}

#[test]
fn every_day_classified_consistently() {
    // Over 1950–2150, a day is a vardag exactly when it has no reason, every helgdag is a
    // reason, and each year has exactly one midsommardagen and one alla helgons dag.
    let mut day = d(1950, 1, 1);
    let end = d(2150, 12, 31);
    let mut midsommar = 0;
    let mut helgons = 0;
    // The longest run of consecutive non-vardagar, which last_vardag_before's doc states.
    let (mut run, mut longest) = (0, 0);
    while day <= end {
        let holiday = public_holiday(day);
        let reason = non_working_reason(day);
        assert_eq!(is_vardag(day), reason.is_none(), "{day}");
        if holiday.is_some() {
            assert!(reason.is_some(), "{day}");
        }
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            assert!(!is_vardag(day), "{day}");
        }
        run = if is_vardag(day) { 0 } else { run + 1 };
        longest = longest.max(run);
        midsommar += usize::from(holiday == Some("midsommardagen"));
        helgons += usize::from(holiday == Some("alla helgons dag"));
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }
    assert_eq!(midsommar, 201);
    assert_eq!(helgons, 201);
    assert_eq!(longest, 5);
}

#[test]
fn worked_examples_from_sources() {
    // docs/sources.md §7 example 8.
    // 1 March 2025 is a Saturday; Friday 28 February is a vardag.
    assert_eq!(rent_due_date(ym(2025, 3)), d(2025, 2, 28));
    // 1 June 2025 is a Sunday, 31 May a Saturday; Friday 30 May is a vardag (the
    // klämdag after Kristi himmelsfärdsdag on Thursday 29 May).
    assert_eq!(rent_due_date(ym(2025, 6)), d(2025, 5, 30));
    // 31 December 2025 is nyårsafton (a Wednesday); Tuesday 30 December is a vardag.
    assert_eq!(rent_due_date(ym(2026, 1)), d(2025, 12, 30));
}

#[test]
fn tricky_months() {
    // January 2025: 31 Dec 2024 is nyårsafton (Tuesday) → Monday 30 December.
    assert_eq!(rent_due_date(ym(2025, 1)), d(2024, 12, 30));
    // April 2024: Easter is 31 March. 31 Mar påskdagen, 30 Mar Saturday (påskafton),
    // 29 Mar långfredagen → skärtorsdagen, Thursday 28 March.
    assert_eq!(rent_due_date(ym(2024, 4)), d(2024, 3, 28));
    // April 2026: Easter is 5 April, långfredagen 3 April, both after the month starts;
    // 1 April is a Wednesday, so Tuesday 31 March: Easter does not move it.
    assert_eq!(rent_due_date(ym(2026, 4)), d(2026, 3, 31));
    // April 2029: Easter is 1 April itself; 31 Mar Saturday, 30 Mar långfredagen →
    // Thursday 29 March.
    assert_eq!(rent_due_date(ym(2029, 4)), d(2029, 3, 29));
    // May 2027: 1 May (första maj) is a Saturday, but it is the month start, not before
    // it; 30 April is a Friday and a vardag.
    assert_eq!(rent_due_date(ym(2027, 5)), d(2027, 4, 30));
    // June 2030: Easter 21 April → Kristi himmelsfärdsdag Thursday 30 May; 1 June is a
    // Saturday and Friday 31 May a vardag.
    assert_eq!(rent_due_date(ym(2030, 6)), d(2030, 5, 31));
    // April 2059: Easter 30 March, so the month starts right after annandag påsk: 31 Mar
    // annandag påsk, 30 påskdagen, 29 Saturday, 28 långfredagen → Thursday 27 March.
    assert_eq!(easter_sunday(2059), d(2059, 3, 30));
    assert_eq!(rent_due_date(ym(2059, 4)), d(2059, 3, 27));
    // June 2057: Easter 22 April → Kristi himmelsfärdsdag Thursday 31 May, the day before
    // the month starts (1 June 2057 is a Friday) → Wednesday 30 May.
    assert_eq!(easter_sunday(2057), d(2057, 4, 22));
    assert_eq!(rent_due_date(ym(2057, 6)), d(2057, 5, 30));
    // January 2030: 31 Dec 2029 nyårsafton (Monday), 30 Sunday, 29 Saturday → Friday 28.
    assert_eq!(rent_due_date(ym(2030, 1)), d(2029, 12, 28));
    // July 2028: midsommar is 23–24 June, far from the month start; 30 June is a Friday.
    assert_eq!(rent_due_date(ym(2028, 7)), d(2028, 6, 30));
    // November 2026: alla helgons dag is Saturday 31 October → Friday 30 October.
    assert_eq!(rent_due_date(ym(2026, 11)), d(2026, 10, 30));
}

#[test]
fn christmas_longest_run() {
    // 2018: 22 Dec Saturday, 23 Sunday, 24 julafton (Monday), 25 juldagen, 26 annandag
    // jul (Wednesday): five non-vardagar in a row, so the answer is Friday 21 December.
    assert_eq!(last_vardag_before(d(2018, 12, 27)), d(2018, 12, 21));
}

#[test]
fn due_dates_2024_to_2030() {
    for year in 2024..=2030 {
        for month in 1..=12 {
            let m = ym(year, month);
            let due = rent_due_date(m);
            let start = m.first_day();
            assert!(is_vardag(due), "{m}: {due}");
            assert!(due < start, "{m}: {due}");
            let mut between = match due.succ_opt() {
                Some(next) => next,
                None => panic!("no day after {due}"),
            };
            while between < start {
                assert!(!is_vardag(between), "{m}: {between} is a vardag");
                between = match between.succ_opt() {
                    Some(next) => next,
                    None => panic!("no day after {between}"),
                };
            }
        }
    }
}

#[test]
fn last_vardag_before_saturates_at_min() {
    assert_eq!(last_vardag_before(NaiveDate::MIN), NaiveDate::MIN);
}

#[test]
fn year_month_basics() {
    let m = ym(2026, 3);
    assert_eq!((m.year(), m.month()), (2026, 3));
    assert_eq!(m.first_day(), d(2026, 3, 1));
    assert_eq!(m.last_day(), d(2026, 3, 31));
    assert_eq!(ym(2024, 2).days(), 29);
    assert_eq!(ym(2025, 2).days(), 28);
    assert_eq!(ym(2000, 2).days(), 29);
    assert_eq!(ym(2100, 2).days(), 28);
    assert_eq!(ym(2025, 4).last_day(), d(2025, 4, 30));
    assert_eq!(ym(2025, 1).pred(), ym(2024, 12));
    assert_eq!(ym(2025, 12).succ(), ym(2026, 1));
    assert_eq!(ym(2025, 1).add_months(-13), ym(2023, 12));
    assert_eq!(ym(2025, 1).add_months(24), ym(2027, 1));
    assert_eq!(YearMonth::MIN.pred(), YearMonth::MIN);
    assert_eq!(YearMonth::MAX.succ(), YearMonth::MAX);
    assert_eq!(m.add_months(i32::MAX), YearMonth::MAX);
    assert_eq!(m.add_months(i32::MIN), YearMonth::MIN);
    assert_eq!(YearMonth::of(d(2026, 3, 17)), m);
    assert_eq!(YearMonth::of(d(1850, 6, 1)), YearMonth::MIN);
    assert_eq!(YearMonth::of(d(2500, 6, 1)), YearMonth::MAX);
    assert!(ym(2025, 12) < ym(2026, 1));
    assert!(ym(2026, 1) < ym(2026, 2));
    assert_eq!(YearMonth::new(2026, 0), None);
    assert_eq!(YearMonth::new(2026, 13), None);
    assert_eq!(YearMonth::new(1899, 12), None);
    assert_eq!(YearMonth::new(2201, 1), None);
    assert_eq!(m.to_string(), "2026-03");
    assert_eq!(YearMonth::MIN.to_string(), "1900-01");
}

#[test]
fn year_month_parse_rejects() {
    for bad in [
        "2026-3",
        "2026-13",
        "2026-00",
        "26-03",
        "2026-03-01",
        "",
        " 2026-03",
        "2026-03 ",
        "2026/03",
        "+026-03",
        "1899-12",
        "2201-01",
        "２０２6-03",
        "2026-0a",
    ] {
        assert_eq!(YearMonth::parse(bad), None, "{bad:?}");
        assert_eq!(
            bad.parse::<YearMonth>(),
            Err(ParseYearMonthError),
            "{bad:?}"
        );
    }
    assert_eq!(YearMonth::parse("2026-03"), Some(ym(2026, 3)));
    assert_eq!("1900-01".parse::<YearMonth>(), Ok(YearMonth::MIN));
    assert_eq!("2200-12".parse::<YearMonth>(), Ok(YearMonth::MAX));
    assert!(!ParseYearMonthError.to_string().is_empty());
}

proptest! {
    #[test]
    fn last_vardag_before_is_an_earlier_vardag(offset in 0i64..73_414) {
        // 73 414 days from 1950-01-01 reaches 2150-12-31.
        let date = d(1950, 1, 1) + chrono::Days::new(offset.unsigned_abs());
        let before = last_vardag_before(date);
        prop_assert!(before < date);
        prop_assert!(is_vardag(before));
        // And nothing in between is a vardag.
        let mut between = before.succ_opt().unwrap_or(date);
        while between < date {
            prop_assert!(!is_vardag(between));
            between = between.succ_opt().unwrap_or(date);
        }
    }

    #[test]
    fn year_month_display_parse_round_trip(year in 1900i32..=2200, month in 1u32..=12) {
        let m = ym(year, month);
        let text = m.to_string();
        prop_assert_eq!(text.len(), 7);
        prop_assert_eq!(YearMonth::parse(&text), Some(m));
        prop_assert_eq!(text.parse::<YearMonth>(), Ok(m));
        prop_assert_eq!(YearMonth::of(m.first_day()), m);
        prop_assert_eq!(YearMonth::of(m.last_day()), m);
        prop_assert_eq!(m.last_day().succ_opt().map(YearMonth::of).unwrap_or(YearMonth::MAX),
            m.succ());
        prop_assert_eq!(m.last_day().day(), m.days());
    }

    #[test]
    fn year_month_add_months_is_consistent(year in 1900i32..=2200, month in 1u32..=12,
                                           n in -500i32..500) {
        let m = ym(year, month);
        let moved = m.add_months(n);
        prop_assert!(moved >= YearMonth::MIN && moved <= YearMonth::MAX);
        let unclamped = m.add_months(n).add_months(-n);
        if moved != YearMonth::MIN && moved != YearMonth::MAX {
            prop_assert_eq!(unclamped, m);
        }
        match n.cmp(&0) {
            std::cmp::Ordering::Greater => prop_assert!(moved > m || moved == YearMonth::MAX),
            std::cmp::Ordering::Less => prop_assert!(moved < m || moved == YearMonth::MIN),
            std::cmp::Ordering::Equal => prop_assert_eq!(moved, m),
        }
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,12}") {
        let _ = YearMonth::parse(&s);
    }
}

// --- deadlines by lag (1930:173) 2 §, against an independent reference ----------------------

/// The days that are not vardagar in `year`, built independently of the module: Easter from
/// [`gauss_easter`] (the module uses the anonymous Gregorian algorithm), the helgdagar of lag
/// (1989:253) as in force since 2005 (lag 2004:1320), and the days lag (1930:173) 2 § treats
/// like them. Each entry is listed by how the statute describes it, not by the module's
/// offsets, and every Saturday and Sunday of the year is added by stepping through it.
fn reference_non_vardagar(year: i32) -> std::collections::HashSet<NaiveDate> {
    assert!(
        year >= 2005,
        "the reference only knows the list in force since 2005"
    );
    let (em, ed) = gauss_easter(year);
    let easter = d(year, em, ed);
    let days = |n: i64| chrono::Duration::days(n);
    // "den sjätte torsdagen efter påskdagen": count Thursdays after Easter.
    let mut ascension = easter;
    let mut thursdays = 0;
    while thursdays < 6 {
        ascension += days(1);
        if ascension.weekday() == Weekday::Thu {
            thursdays += 1;
        }
    }
    // "den lördag som infaller under tiden den 20–26 juni" / "31 oktober–6 november".
    let saturday_in = |from: NaiveDate| {
        (0..7)
            .map(|i| from + days(i))
            .find(|x| x.weekday() == Weekday::Sat)
            .unwrap_or_else(|| panic!("no Saturday in a week from {from}"))
    };
    let midsommardagen = saturday_in(d(year, 6, 20));
    let alla_helgons = saturday_in(d(year, 10, 31));
    let mut set: std::collections::HashSet<NaiveDate> = [
        d(year, 1, 1),            // nyårsdagen
        d(year, 1, 6),            // trettondedag jul
        easter - days(2),         // långfredagen
        easter,                   // påskdagen
        easter + days(1),         // annandag påsk
        d(year, 5, 1),            // första maj
        ascension,                // Kristi himmelsfärdsdag
        easter + days(49),        // pingstdagen (the seventh Sunday after Easter)
        d(year, 6, 6),            // nationaldagen
        midsommardagen,           // midsommardagen
        alla_helgons,             // alla helgons dag
        d(year, 12, 25),          // juldagen
        d(year, 12, 26),          // annandag jul
        midsommardagen - days(1), // midsommarafton (lag 1930:173)
        d(year, 12, 24),          // julafton (lag 1930:173)
        d(year, 12, 31),          // nyårsafton (lag 1930:173)
    ]
    .into_iter()
    .collect();
    let mut day = d(year, 1, 1);
    while day.year() == year {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            set.insert(day);
        }
        day += days(1);
    }
    set
}

/// Reference calendar for a span of years.
struct Reference(std::collections::HashSet<NaiveDate>);

impl Reference {
    fn new(years: std::ops::RangeInclusive<i32>) -> Self {
        Reference(years.flat_map(reference_non_vardagar).collect())
    }
    fn vardag(&self, day: NaiveDate) -> bool {
        !self.0.contains(&day)
    }
    fn next_vardag_from(&self, mut day: NaiveDate) -> NaiveDate {
        while !self.vardag(day) {
            day += chrono::Duration::days(1);
        }
        day
    }
    fn last_vardag_before(&self, mut day: NaiveDate) -> NaiveDate {
        loop {
            day -= chrono::Duration::days(1);
            if self.vardag(day) {
                return day;
            }
        }
    }
}

#[test]
fn the_reference_calendar_agrees_day_by_day_2024_to_2035() {
    let reference = Reference::new(2024..=2035);
    let mut day = d(2024, 1, 1);
    while day <= d(2035, 12, 31) {
        assert_eq!(is_vardag(day), reference.vardag(day), "{day}");
        day += chrono::Duration::days(1);
    }
}

#[test]
fn every_deadline_rule_against_the_reference_2024_to_2035() {
    use crate::domain::rent_plan::{
        eviction_notice_deadline, eviction_notice_period, first_forfeitable_day, last_day_to_pay,
    };
    // One year either side, so deadlines that run over a year end are covered.
    let reference = Reference::new(2023..=2036);
    let week = chrono::Duration::days(7);
    // JB 12:20 and 12:42 for every month.
    for year in 2024..=2035 {
        for month in 1..=12 {
            let m = ym(year, month);
            let due = reference.last_vardag_before(d(year, month, 1));
            assert_eq!(rent_due_date(m), due, "due date of {m}");
            let last = reference.next_vardag_from(due + week);
            let pay = last_day_to_pay(m);
            assert_eq!(pay.counted, due + week, "{m}");
            assert_eq!(pay.last_day, last, "last day to pay {m}");
            assert_eq!(pay.moved_because.is_some(), last != due + week, "{m}");
            assert_eq!(
                first_forfeitable_day(m),
                last + chrono::Duration::days(1),
                "first forfeitable day {m}"
            );
        }
    }
    // JB 12:44 for an underrättelse served on every day.
    let mut served = d(2024, 1, 1);
    while served <= d(2035, 12, 31) {
        let counted = served + chrono::Duration::days(21);
        let expected = reference.next_vardag_from(counted);
        let period = eviction_notice_period(served);
        assert_eq!(period.counted, counted, "served {served}");
        assert_eq!(period.last_day, expected, "served {served}");
        assert_eq!(
            eviction_notice_deadline(served),
            expected,
            "served {served}"
        );
        assert_eq!(
            period.moved_because.is_none(),
            expected == counted,
            "{served}"
        );
        served += chrono::Duration::days(1);
    }
}

#[test]
fn statutory_last_day_moves_only_non_vardagar() {
    // A vardag stays, with no reason.
    let s = statutory_last_day(d(2026, 5, 13));
    assert_eq!((s.last_day, s.moved_because), (d(2026, 5, 13), None));
    // Kristi himmelsfärdsdag 2026 → Friday 15 May.
    let s = statutory_last_day(d(2026, 5, 14));
    assert_eq!(
        (s.last_day, s.moved_because),
        (d(2026, 5, 15), Some("Kristi himmelsfärdsdag"))
    );
    // Julafton 2027 is a Friday; 25 (juldagen, Saturday) and 26 (annandag jul, Sunday)
    // follow, so Monday 27 December.
    let s = statutory_last_day(d(2027, 12, 24));
    assert_eq!(
        (s.last_day, s.moved_because),
        (d(2027, 12, 27), Some("julafton"))
    );
    // Nyårsafton 2027 (Friday) → 1 Jan Saturday, 2 Sunday → Monday 3 January 2028.
    assert_eq!(statutory_last_day(d(2027, 12, 31)).last_day, d(2028, 1, 3));
    // Midsommarafton 2026 (Friday 19 June) → Monday 22 June.
    let s = statutory_last_day(d(2026, 6, 19));
    assert_eq!(
        (s.last_day, s.moved_because),
        (d(2026, 6, 22), Some("midsommarafton"))
    );
    // Långfredagen 2026 (3 April) → Tuesday 7 April, after annandag påsk.
    assert_eq!(statutory_last_day(d(2026, 4, 3)).last_day, d(2026, 4, 7));
    assert_eq!(first_vardag_from(NaiveDate::MAX), NaiveDate::MAX);
}

#[test]
fn running_text_writes_dates_in_swedish() {
    let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    assert_eq!(date_sv(d), "2 december 2026");
    assert_eq!(
        date_sv(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()),
        "31 januari 2027"
    );
    assert_eq!(year_month_sv(YearMonth::new(2026, 3).unwrap()), "mars 2026");
}
