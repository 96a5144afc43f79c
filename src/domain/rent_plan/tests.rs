use super::checks::*;
use super::schedule::*;
use super::tracking::*;
use super::*;
use crate::domain::calendar::{easter_sunday, is_vardag, non_working_reason};
use crate::domain::testkit::{date, kr, ore, ym};
use proptest::prelude::*;

fn fields(error: DomainError) -> Vec<String> {
    match error {
        DomainError::Invalid(v) => v.into_vec().into_iter().map(|f| f.field).collect(),
        other => panic!("expected field violations, got {other:?}"),
    }
}

fn history(changes: &[(YearMonth, Money)]) -> RentHistory {
    RentHistory::new(
        changes
            .iter()
            .map(|(from, amount)| RentChange {
                from: *from,
                amount: *amount,
            })
            .collect(),
        "rent_changes",
    )
    .unwrap()
}

/// Rent 7 000 from 2024-01, 7 350 from 2025-04 (a yearly increase).
fn lease() -> RentHistory {
    history(&[(ym(2024, 1), kr(7000)), (ym(2025, 4), kr(7350))])
}

fn by_months(arrears: Money, start: YearMonth, months: u32) -> PlanTerms {
    PlanTerms {
        arrears,
        start,
        instalment: None,
        months: Some(months),
    }
}

fn by_instalment(arrears: Money, start: YearMonth, instalment: Money) -> PlanTerms {
    PlanTerms {
        arrears,
        start,
        instalment: Some(instalment),
        months: None,
    }
}

fn amounts(schedule: &Schedule) -> Vec<Money> {
    schedule.instalments.iter().map(|i| i.instalment).collect()
}

// --- rent history ----------------------------------------------------------------------

#[test]
fn rent_for_takes_the_latest_change_at_or_before_the_month() {
    let h = lease();
    assert_eq!(h.rent_for(ym(2023, 12)), None);
    assert_eq!(h.rent_for(ym(2024, 1)), Some(kr(7000)));
    assert_eq!(h.rent_for(ym(2025, 3)), Some(kr(7000)));
    assert_eq!(h.rent_for(ym(2025, 4)), Some(kr(7350)));
    assert_eq!(h.rent_for(ym(2030, 1)), Some(kr(7350)));
    assert_eq!(h.first_month(), Some(ym(2024, 1)));
}

#[test]
fn rent_history_sorts_changes_given_in_any_order() {
    let h = history(&[
        (ym(2025, 4), kr(7350)),
        (ym(2024, 1), kr(7000)),
        (ym(2024, 7), ore(710_050)),
    ]);
    let months: Vec<YearMonth> = h.changes().iter().map(|c| c.from).collect();
    assert_eq!(months, vec![ym(2024, 1), ym(2024, 7), ym(2025, 4)]);
    assert_eq!(h.rent_for(ym(2024, 6)), Some(kr(7000)));
    assert_eq!(h.rent_for(ym(2024, 12)), Some(ore(710_050)));
}

#[test]
fn an_empty_history_has_no_rent() {
    let h = RentHistory::new(Vec::new(), "rent_changes").unwrap();
    assert_eq!(h.rent_for(ym(2025, 1)), None);
    assert_eq!(h.first_month(), None);
}

#[test]
fn rent_history_rejects_negative_fractional_and_duplicate_changes() {
    let changes = vec![
        RentChange {
            from: ym(2024, 1),
            amount: kr(-1),
        },
        RentChange {
            from: ym(2024, 2),
            amount: Money::from_decimal(rust_decimal::Decimal::new(1, 3)),
        },
        RentChange {
            from: ym(2024, 1),
            amount: kr(7000),
        },
        RentChange {
            from: ym(2024, 3),
            amount: Money::ZERO,
        },
    ];
    let error = RentHistory::new(changes, "lease.rent_changes").unwrap_err();
    assert_eq!(
        fields(error),
        vec![
            "lease.rent_changes[0].amount",
            "lease.rent_changes[1].amount",
            "lease.rent_changes[2].from",
        ]
    );
}

// --- legal dates ----------------------------------------------------------------------

#[test]
fn worked_example_8_rent_due_dates() {
    // docs/sources.md §7 example 8.
    assert_eq!(rent_due_date(ym(2025, 3)), date(2025, 2, 28));
    assert_eq!(rent_due_date(ym(2025, 6)), date(2025, 5, 30));
    assert_eq!(rent_due_date(ym(2026, 1)), date(2025, 12, 30));
}

#[test]
fn every_due_date_2024_to_2030_is_the_last_vardag_before_the_month() {
    for year in 2024..=2030 {
        for month in 1..=12 {
            let m = ym(year, month);
            let due = rent_due_date(m);
            assert!(is_vardag(due), "{m}: {due} is not a vardag");
            assert!(due < m.first_day(), "{m}: {due} is not before the month");
            let mut day = due.succ_opt().unwrap();
            while day < m.first_day() {
                assert!(
                    !is_vardag(day),
                    "{m}: {day} is a later vardag than the due date {due}"
                );
                day = day.succ_opt().unwrap();
            }
            // Never more than a long holiday weekend before the month.
            assert!((m.first_day() - due).num_days() <= 5, "{m}: {due}");
        }
    }
}

#[test]
fn easter_moves_the_due_date_for_april() {
    // 2024: påskdagen 31 March, so 1 April is annandag påsk; the 30th is a
    // Saturday and the 29th långfredagen: rent for April is due Thursday the 28th.
    assert_eq!(easter_sunday(2024), date(2024, 3, 31));
    assert_eq!(non_working_reason(date(2024, 3, 29)), Some("långfredagen"));
    assert_eq!(rent_due_date(ym(2024, 4)), date(2024, 3, 28));
    // 2029: påskdagen is 1 April itself; 31 March is a Saturday and the 30th
    // långfredagen: due Thursday 29 March.
    assert_eq!(easter_sunday(2029), date(2029, 4, 1));
    assert_eq!(non_working_reason(date(2029, 3, 30)), Some("långfredagen"));
    assert_eq!(rent_due_date(ym(2029, 4)), date(2029, 3, 29));
    // 2027: påskdagen 28 March is well before the month: Wednesday 31 March.
    assert_eq!(easter_sunday(2027), date(2027, 3, 28));
    assert_eq!(rent_due_date(ym(2027, 4)), date(2027, 3, 31));
}

#[test]
fn nyarsafton_and_weekends_move_the_due_date() {
    // Nyårsafton 2024 is a Tuesday: rent for January 2025 is due Monday 30 December.
    assert_eq!(non_working_reason(date(2024, 12, 31)), Some("nyårsafton"));
    assert_eq!(rent_due_date(ym(2025, 1)), date(2024, 12, 30));
    // 2028-12-31 is a Sunday and the 30th a Saturday: Friday 29 December.
    assert_eq!(rent_due_date(ym(2029, 1)), date(2028, 12, 29));
    // 30 November 2024 is a Saturday: rent for December is due Friday the 29th.
    assert_eq!(rent_due_date(ym(2024, 12)), date(2024, 11, 29));
    // An ordinary weekday month end stays: Monday 31 March 2025.
    assert_eq!(rent_due_date(ym(2025, 4)), date(2025, 3, 31));
}

#[test]
fn forfeiture_is_possible_from_the_day_after_the_last_day_to_pay() {
    // March 2025 rent due Friday 28 Feb; one week is up on Friday 7 March, a vardag;
    // more than a week late on Saturday 8 March.
    let pay = last_day_to_pay(ym(2025, 3));
    assert_eq!(
        (pay.counted, pay.last_day),
        (date(2025, 3, 7), date(2025, 3, 7))
    );
    assert_eq!(pay.moved_because, None);
    assert_eq!(first_forfeitable_day(ym(2025, 3)), date(2025, 3, 8));
    // docs/sources.md §7 example 10: January 2026 rent due 30 Dec 2025; one week later is
    // trettondedag jul, so payment on Wednesday 7 January is in time (lag 1930:173 2 §) and
    // the lease is forfeitable from 8 January.
    let pay = last_day_to_pay(ym(2026, 1));
    assert_eq!(pay.counted, date(2026, 1, 6));
    assert_eq!(pay.moved_because, Some("trettondedag jul"));
    assert_eq!(pay.last_day, date(2026, 1, 7));
    assert_eq!(first_forfeitable_day(ym(2026, 1)), date(2026, 1, 8));
    for year in 2024..=2030 {
        for month in 1..=12 {
            let m = ym(year, month);
            let pay = last_day_to_pay(m);
            assert_eq!((pay.counted - rent_due_date(m)).num_days(), 7);
            assert!(is_vardag(pay.last_day), "{m}");
            assert_eq!((first_forfeitable_day(m) - pay.last_day).num_days(), 1);
        }
    }
}

#[test]
fn the_notice_deadline_is_three_weeks_after_service_moved_to_a_vardag() {
    // Served Monday 3 March 2025: pay by Monday 24 March.
    assert_eq!(
        eviction_notice_deadline(date(2025, 3, 3)),
        date(2025, 3, 24)
    );
    // Across a year end: served Saturday 20 December 2025, three weeks later is Saturday
    // 10 January 2026 → Monday 12 January.
    assert_eq!(
        eviction_notice_deadline(date(2025, 12, 20)),
        date(2026, 1, 12)
    );
    // docs/sources.md §7 example 9: served 2026-04-23, three weeks later is Kristi
    // himmelsfärdsdag 2026-05-14 → Friday 2026-05-15.
    let period = eviction_notice_period(date(2026, 4, 23));
    assert_eq!(period.counted, date(2026, 5, 14));
    assert_eq!(period.moved_because, Some("Kristi himmelsfärdsdag"));
    assert_eq!(period.last_day, date(2026, 5, 15));
    // Issue 18: served Saturday 2026-10-17 → Saturday 2026-11-07 → Monday 2026-11-09.
    let period = eviction_notice_period(date(2026, 10, 17));
    assert_eq!(period.counted, date(2026, 11, 7));
    assert_eq!(period.moved_because, Some("lördag"));
    assert_eq!(period.last_day, date(2026, 11, 9));
}

// --- schedule ----------------------------------------------------------------------

#[test]
fn months_split_gives_the_extra_ore_to_the_first_months() {
    let s = schedule(&by_months(ore(1_200_005), ym(2025, 3), 6), &lease(), "").unwrap();
    assert_eq!(
        amounts(&s),
        vec![
            ore(200_001),
            ore(200_001),
            ore(200_001),
            ore(200_001),
            ore(200_001),
            kr(2000)
        ]
    );
    assert_eq!(
        s.basis.arithmetic,
        "12 000.05 / 6 = 2 000 rest 5 öre: 5 × 2 000.01 + 1 × 2 000 = 12 000.05"
    );
    let s = schedule(&by_months(kr(10_000), ym(2025, 3), 3), &lease(), "").unwrap();
    assert_eq!(amounts(&s), vec![ore(333_334), ore(333_333), ore(333_333)]);
    let s = schedule(&by_months(kr(12_000), ym(2025, 3), 6), &lease(), "").unwrap();
    assert_eq!(amounts(&s), vec![kr(2000); 6]);
    assert_eq!(
        s.basis.arithmetic,
        "12 000 / 6 = 2 000 rest 0 öre: 6 × 2 000 = 12 000"
    );
}

#[test]
fn instalment_split_puts_the_remainder_last_and_never_a_zero_month() {
    let s = schedule(
        &by_instalment(kr(10_500), ym(2025, 3), kr(2000)),
        &lease(),
        "",
    )
    .unwrap();
    assert_eq!(
        amounts(&s),
        vec![kr(2000), kr(2000), kr(2000), kr(2000), kr(2000), kr(500)]
    );
    assert_eq!(s.basis.arithmetic, "5 × 2 000 + 1 × 500 = 10 500");
    // An exact multiple ends a month earlier instead of adding a zero month.
    let s = schedule(
        &by_instalment(kr(12_000), ym(2025, 3), kr(2000)),
        &lease(),
        "",
    )
    .unwrap();
    assert_eq!(amounts(&s), vec![kr(2000); 6]);
    assert_eq!(s.basis.arithmetic, "6 × 2 000 = 12 000");
    // The instalment equal to the arrears: one month.
    let s = schedule(&by_instalment(kr(900), ym(2025, 3), kr(900)), &lease(), "").unwrap();
    assert_eq!(amounts(&s), vec![kr(900)]);
}

#[test]
fn each_month_has_its_rent_due_date_and_the_rent_in_force() {
    // Starts in February 2025; the rent rises in April 2025.
    let s = schedule(&by_months(kr(8000), ym(2025, 2), 4), &lease(), "").unwrap();
    let rows: Vec<(u32, YearMonth, NaiveDate, Money, Money, Money)> = s
        .instalments
        .iter()
        .map(|i| {
            (
                i.number,
                i.month,
                i.due_date,
                i.ordinary_rent,
                i.instalment,
                i.total_due,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                1,
                ym(2025, 2),
                date(2025, 1, 31),
                kr(7000),
                kr(2000),
                kr(9000)
            ),
            (
                2,
                ym(2025, 3),
                date(2025, 2, 28),
                kr(7000),
                kr(2000),
                kr(9000)
            ),
            (
                3,
                ym(2025, 4),
                date(2025, 3, 31),
                kr(7350),
                kr(2000),
                kr(9350)
            ),
            (
                4,
                ym(2025, 5),
                date(2025, 4, 30),
                kr(7350),
                kr(2000),
                kr(9350)
            ),
        ]
    );
    assert_eq!(
        s.instalments[2].basis.arithmetic,
        "hyra 7 350 + avbetalning 2 000 = 9 350"
    );
    assert!(
        s.instalments[2]
            .basis
            .rule
            .contains("månad 3 av 4 (2025-04)")
    );
    assert_eq!(s.largest_instalment(), kr(2000));
}

#[test]
fn plan_checks_name_their_fields() {
    let h = lease();
    let start = ym(2025, 3);
    let check = |terms: PlanTerms| fields(schedule(&terms, &h, "plan").unwrap_err());
    assert_eq!(
        check(by_months(Money::ZERO, start, 6)),
        vec!["plan.arrears"]
    );
    assert_eq!(check(by_months(kr(-5), start, 6)), vec!["plan.arrears"]);
    assert_eq!(
        check(by_months(
            Money::from_decimal(rust_decimal::Decimal::new(1, 3)),
            start,
            6
        )),
        vec!["plan.arrears"]
    );
    assert_eq!(check(by_months(kr(1000), start, 0)), vec!["plan.months"]);
    assert_eq!(
        check(by_months(kr(1000), start, MAX_PLAN_MONTHS + 1)),
        vec!["plan.months"]
    );
    // 120 months of at least one öre need 1.20 kr.
    assert_eq!(check(by_months(ore(119), start, 120)), vec!["plan.months"]);
    assert!(schedule(&by_months(ore(120), start, 120), &h, "plan").is_ok());
    assert_eq!(
        check(by_instalment(kr(1000), start, Money::ZERO)),
        vec!["plan.instalment"]
    );
    assert_eq!(
        check(by_instalment(kr(1000), start, kr(1001))),
        vec!["plan.instalment"]
    );
    // 121 months of 100 kr.
    assert_eq!(
        check(by_instalment(kr(12_001), start, kr(100))),
        vec!["plan.instalment"]
    );
    assert!(schedule(&by_instalment(kr(12_000), start, kr(100)), &h, "plan").is_ok());
    let neither = PlanTerms {
        arrears: kr(1000),
        start,
        instalment: None,
        months: None,
    };
    assert_eq!(check(neither), vec!["plan.instalment", "plan.months"]);
    let both = PlanTerms {
        arrears: kr(1000),
        start,
        instalment: Some(kr(100)),
        months: Some(10),
    };
    assert_eq!(check(both), vec!["plan.instalment", "plan.months"]);
    // Before the lease's first rent.
    assert_eq!(
        check(by_months(kr(1000), ym(2023, 12), 2)),
        vec!["plan.start_month"]
    );
    // Several at once, and an empty path gives bare names.
    let error = schedule(
        &by_months(Money::ZERO, ym(2023, 1), 0),
        &RentHistory::default(),
        "",
    )
    .unwrap_err();
    assert_eq!(fields(error), vec!["arrears", "months", "start_month"]);
    // Running past the last supported month.
    let late = history(&[(ym(2200, 1), kr(7000))]);
    assert_eq!(
        fields(schedule(&by_months(kr(1000), ym(2200, 10), 4), &late, "plan").unwrap_err()),
        vec!["plan.start_month"]
    );
    assert!(schedule(&by_months(kr(1000), ym(2200, 10), 3), &late, "plan").is_ok());
}

#[test]
fn violation_descriptions_repeat_no_amount() {
    let terms = by_instalment(kr(123_456), ym(2025, 3), kr(987_654));
    match schedule(&terms, &lease(), "").unwrap_err() {
        DomainError::Invalid(v) => {
            for violation in v.iter() {
                assert!(!violation.description.contains("123"), "{violation:?}");
                assert!(!violation.description.contains("987"), "{violation:?}");
            }
        }
        other => panic!("{other:?}"),
    }
}

fn budget(surplus: Money) -> Option<BudgetSurplus> {
    Some(BudgetSurplus {
        budget_id: Uuid::from_u128(7),
        month: ym(2025, 2),
        surplus,
    })
}

#[test]
fn the_surplus_check_warns_with_the_figures_when_the_instalment_exceeds_the_surplus() {
    let s = schedule(
        &by_instalment(kr(10_500), ym(2025, 3), kr(6000)),
        &lease(),
        "",
    )
    .unwrap();
    let not_checked = surplus_check(&s, None);
    assert_eq!(not_checked.outcome, PlanCheckOutcome::NotChecked);
    assert_eq!(not_checked.surplus, None);
    let passed = surplus_check(&s, budget(kr(6000)));
    assert_eq!(passed.outcome, PlanCheckOutcome::Passed);
    assert_eq!(
        passed.message,
        "instalment 6 000 ≤ surplus 6 000 (budget for 2025-02): the budget covers the instalment"
    );
    let warned = surplus_check(&s, budget(kr(4937)));
    assert_eq!(warned.kind, PlanCheckKind::Surplus);
    assert_eq!(warned.outcome, PlanCheckOutcome::Warning);
    assert!(
        warned
            .message
            .starts_with("instalment 6 000 > surplus 4 937 (budget for 2025-02)"),
        "{}",
        warned.message
    );
    assert_eq!(
        (warned.instalment, warned.surplus, warned.budget_id),
        (Some(kr(6000)), Some(kr(4937)), Some(Uuid::from_u128(7)))
    );
    assert_eq!(
        surplus_check(&s, budget(kr(-300))).outcome,
        PlanCheckOutcome::Warning
    );
    // The largest instalment counts: the front-loaded öre of a months split.
    let s = schedule(&by_months(kr(10_000), ym(2025, 3), 3), &lease(), "").unwrap();
    assert_eq!(
        surplus_check(&s, budget(ore(333_333))).outcome,
        PlanCheckOutcome::Warning
    );
    assert_eq!(
        surplus_check(&s, budget(ore(333_334))).outcome,
        PlanCheckOutcome::Passed
    );
}

#[test]
fn the_notice_check_warns_when_the_first_instalment_falls_due_after_the_deadline() {
    // The first instalment, for 2025-03, falls due 2025-02-28 (§7 example 8).
    let s = schedule(&by_months(kr(9000), ym(2025, 3), 3), &lease(), "").unwrap();
    assert_eq!(s.instalments[0].due_date, date(2025, 2, 28));
    let none = notice_checks(&s, &[]);
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].outcome, PlanCheckOutcome::Passed);
    assert_eq!(none[0].message, "no open eviction notice on the lease");
    let notice = |id: u128, deadline: NaiveDate| OpenNotice {
        id: Uuid::from_u128(id),
        deadline,
    };
    let checks = notice_checks(
        &s,
        &[
            notice(1, date(2025, 2, 27)),
            notice(2, date(2025, 2, 28)),
            notice(3, date(2025, 3, 21)),
        ],
    );
    let outcomes: Vec<PlanCheckOutcome> = checks.iter().map(|c| c.outcome).collect();
    assert_eq!(
        outcomes,
        [
            PlanCheckOutcome::Warning,
            PlanCheckOutcome::Passed,
            PlanCheckOutcome::Passed
        ]
    );
    assert!(
        checks[0]
            .message
            .starts_with("first instalment due 2025-02-28, notice deadline 2025-02-27:"),
        "{}",
        checks[0].message
    );
    assert_eq!(checks[0].notice_id, Some(Uuid::from_u128(1)));
    assert_eq!(checks[0].notice_deadline, Some(date(2025, 2, 27)));
    assert_eq!(checks[0].first_due_date, Some(date(2025, 2, 28)));
    // Every check, surplus first; only the warnings' messages are warnings.
    let all = plan_checks(&s, budget(kr(100)), &[notice(1, date(2025, 2, 27))]);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].kind, PlanCheckKind::Surplus);
    assert_eq!(
        check_warnings(&all),
        vec![all[0].message.clone(), all[1].message.clone()]
    );
    let passing = plan_checks(&s, budget(kr(5000)), &[]);
    assert!(check_warnings(&passing).is_empty());
}

// --- tracking ----------------------------------------------------------------------

fn pay(y: i32, m: u32, d: u32, amount: Money) -> Payment {
    Payment {
        date: date(y, m, d),
        amount,
    }
}

fn states(status: &PlanStatus) -> Vec<InstalmentState> {
    status.instalments.iter().map(|i| i.state).collect()
}

fn paid(status: &PlanStatus) -> Vec<Money> {
    status.instalments.iter().map(|i| i.paid).collect()
}

/// 12 000 over six months from March 2025: 2 000 due on 2025-02-28, 03-31,
/// 04-30, 05-30, 06-30 and 07-31. Paid on time twice, #3 late, #4 in part,
/// then nothing: three missed instalments in the end, one of them partly paid.
fn scenario() -> (Schedule, Vec<Payment>) {
    let s = schedule(&by_months(kr(12_000), ym(2025, 3), 6), &lease(), "").unwrap();
    let due: Vec<NaiveDate> = s.instalments.iter().map(|i| i.due_date).collect();
    assert_eq!(
        due,
        vec![
            date(2025, 2, 28),
            date(2025, 3, 31),
            date(2025, 4, 30),
            date(2025, 5, 30),
            date(2025, 6, 30),
            date(2025, 7, 31),
        ]
    );
    let payments = vec![
        // Out of order on purpose: tracking sorts by date.
        pay(2025, 5, 20, kr(2000)),
        pay(2025, 2, 27, kr(2000)),
        pay(2025, 3, 31, kr(2000)),
        pay(2025, 5, 28, kr(700)),
    ];
    (s, payments)
}

#[test]
fn scenario_six_months_three_missed_and_a_partial_payment() {
    use InstalmentState::{Missed, Paid, PartiallyPaid, Upcoming};
    let (s, payments) = scenario();
    let on = |d: NaiveDate| status_on(&s, &payments, d, 3).unwrap();

    // Before anything is due or paid.
    let st = on(date(2025, 2, 1));
    assert_eq!(states(&st), vec![Upcoming; 6]);
    assert_eq!(st.state, PlanState::OnTrack);
    assert_eq!(
        (st.paid, st.outstanding, st.overpaid),
        (Money::ZERO, kr(12_000), Money::ZERO)
    );

    // On the first due date, paid the day before.
    let st = on(date(2025, 2, 28));
    assert_eq!(states(&st)[..2], [Paid, Upcoming]);
    assert_eq!(st.instalments[0].paid_on, Some(date(2025, 2, 27)));
    assert_eq!(st.state, PlanState::OnTrack);

    // #2 paid on its due date itself: on time; still on time the next day.
    let st = on(date(2025, 4, 1));
    assert_eq!(
        states(&st),
        vec![Paid, Paid, Upcoming, Upcoming, Upcoming, Upcoming]
    );
    assert_eq!(st.state, PlanState::OnTrack);

    // #3 was due 04-30 and is unpaid: missed. The 05-20 payment does not count yet.
    let st = on(date(2025, 5, 10));
    assert_eq!(
        states(&st),
        vec![Paid, Paid, Missed, Upcoming, Upcoming, Upcoming]
    );
    assert_eq!(st.state, PlanState::Behind);
    assert_eq!((st.missed, st.overdue, st.paid), (1, kr(2000), kr(4000)));

    // After the late payment and a partial one before #4's due date.
    let st = on(date(2025, 5, 29));
    assert_eq!(
        states(&st),
        vec![Paid, Paid, Paid, PartiallyPaid, Upcoming, Upcoming]
    );
    assert_eq!(st.instalments[2].paid_on, Some(date(2025, 5, 20)));
    assert_eq!(paid(&st)[3], kr(700));
    assert_eq!(st.instalments[3].outstanding, kr(1300));
    assert_eq!(st.state, PlanState::OnTrack);

    // On #4's due date it is still only partly paid, not yet missed.
    assert_eq!(on(date(2025, 5, 30)).instalments[3].state, PartiallyPaid);

    // After #4's due date: missed, with the part paid shown.
    let st = on(date(2025, 6, 15));
    assert_eq!(
        states(&st),
        vec![Paid, Paid, Paid, Missed, Upcoming, Upcoming]
    );
    assert_eq!(paid(&st)[3], kr(700));
    assert_eq!((st.missed, st.overdue), (1, kr(1300)));
    assert_eq!(st.state, PlanState::Behind);

    // Two missed: still behind (broken after three).
    let st = on(date(2025, 7, 1));
    assert_eq!(
        states(&st),
        vec![Paid, Paid, Paid, Missed, Missed, Upcoming]
    );
    assert_eq!((st.missed, st.overdue), (2, kr(3300)));
    assert_eq!(st.state, PlanState::Behind);

    // After the last due date: three missed, broken.
    let st = on(date(2025, 8, 15));
    assert_eq!(states(&st), vec![Paid, Paid, Paid, Missed, Missed, Missed]);
    assert_eq!(
        paid(&st),
        vec![
            kr(2000),
            kr(2000),
            kr(2000),
            kr(700),
            Money::ZERO,
            Money::ZERO
        ]
    );
    assert_eq!(st.missed, 3);
    assert_eq!(st.state, PlanState::Broken);
    assert_eq!(
        (st.paid, st.outstanding, st.overdue, st.overpaid),
        (kr(6700), kr(5300), kr(5300), Money::ZERO)
    );
    assert_eq!(
        st.basis.arithmetic,
        "betalt 6 700 av 12 000, kvar 5 300; 3 missade (bruten vid 3); \
         förfallet obetalt 5 300; överbetalt 0"
    );
    // With a higher limit the same facts are only behind.
    assert_eq!(
        status_on(&s, &payments, date(2025, 8, 15), 4)
            .unwrap()
            .state,
        PlanState::Behind
    );
}

#[test]
fn scenario_catching_up_with_an_overpayment_completes_the_plan() {
    use InstalmentState::Paid;
    let (s, mut payments) = scenario();
    payments.push(pay(2025, 8, 20, kr(6000)));
    let before = status_on(&s, &payments, date(2025, 8, 19), 3).unwrap();
    assert_eq!(before.state, PlanState::Broken);
    let after = status_on(&s, &payments, date(2025, 8, 20), 3).unwrap();
    assert_eq!(states(&after), vec![Paid; 6]);
    assert_eq!(after.state, PlanState::Completed);
    assert_eq!(
        (after.paid, after.outstanding, after.overdue, after.overpaid),
        (kr(12_000), Money::ZERO, Money::ZERO, kr(700))
    );
    assert_eq!(after.instalments[5].paid_on, Some(date(2025, 8, 20)));
}

#[test]
fn one_payment_spills_over_several_instalments() {
    use InstalmentState::{Paid, PartiallyPaid, Upcoming};
    let s = schedule(&by_months(kr(6000), ym(2025, 3), 3), &lease(), "").unwrap();
    let st = status_on(&s, &[pay(2025, 2, 1, kr(4500))], date(2025, 2, 2), 2).unwrap();
    assert_eq!(states(&st), vec![Paid, Paid, PartiallyPaid]);
    assert_eq!(paid(&st), vec![kr(2000), kr(2000), kr(500)]);
    let st = status_on(&s, &[pay(2025, 2, 1, kr(4500))], date(2025, 1, 31), 2).unwrap();
    assert_eq!(states(&st), vec![Upcoming; 3]);
}

#[test]
fn tracking_rejects_bad_payments_and_a_zero_limit() {
    let (s, _) = scenario();
    let bad = [
        pay(2025, 3, 1, kr(100)),
        pay(2025, 3, 2, Money::ZERO),
        pay(2025, 3, 3, kr(-1)),
    ];
    let error = status_on(&s, &bad, date(2025, 4, 1), 0).unwrap_err();
    assert_eq!(
        fields(error),
        vec!["payments[1].amount", "payments[2].amount", "broken_after"]
    );
}

#[test]
fn state_names_are_stable() {
    assert_eq!(InstalmentState::PartiallyPaid.as_str(), "partially_paid");
    assert_eq!(InstalmentState::Missed.as_str(), "missed");
    assert_eq!(PlanState::OnTrack.as_str(), "on_track");
    assert_eq!(PlanState::Broken.as_str(), "broken");
}

// --- properties ----------------------------------------------------------------------

fn plan_terms() -> impl Strategy<Value = PlanTerms> {
    let start = (2024_i32..=2030, 1_u32..=12).prop_map(|(y, m)| ym(y, m));
    let by_months = (
        1_i64..1_000_000_000_000,
        start.clone(),
        1_u32..=MAX_PLAN_MONTHS,
    )
        .prop_filter("at least an öre a month", |(a, _, m)| *a >= i64::from(*m))
        .prop_map(|(a, start, m)| by_months(ore(a), start, m));
    let by_instalment =
        (1_i64..1_000_000_000_000, start, 1_i64..=1000).prop_map(|(a, start, parts)| {
            // An instalment that ends the plan within the cap: at least a / 120.
            let floor = (a + i64::from(MAX_PLAN_MONTHS) - 1) / i64::from(MAX_PLAN_MONTHS);
            let instalment = (floor + (a - floor) * parts / 1000).clamp(1, a);
            by_instalment(ore(a), start, ore(instalment))
        });
    prop_oneof![by_months, by_instalment]
}

proptest! {
    #[test]
    fn instalments_sum_exactly_to_the_arrears(terms in plan_terms()) {
        let h = history(&[(ym(2024, 1), kr(7000))]);
        let s = schedule(&terms, &h, "").unwrap();
        let sum: Money = amounts(&s).iter().sum();
        prop_assert_eq!(sum, terms.arrears);
        prop_assert!(!s.instalments.is_empty());
        prop_assert!(s.instalments.len() <= MAX_PLAN_MONTHS as usize);
        for (i, inst) in s.instalments.iter().enumerate() {
            prop_assert!(inst.instalment.is_positive());
            prop_assert!(inst.instalment.to_ore().is_some());
            prop_assert_eq!(inst.number as usize, i + 1);
            prop_assert_eq!(inst.month, terms.start.add_months(i as i32));
            prop_assert_eq!(inst.due_date, rent_due_date(inst.month));
            prop_assert_eq!(inst.total_due, inst.ordinary_rent + inst.instalment);
        }
        let first = s.instalments[0].instalment;
        prop_assert_eq!(s.largest_instalment(), first);
        match (terms.months, terms.instalment) {
            (Some(months), _) => {
                prop_assert_eq!(s.instalments.len(), months as usize);
                // Non-increasing, at most one öre apart.
                for pair in s.instalments.windows(2) {
                    prop_assert!(pair[0].instalment >= pair[1].instalment);
                }
                let last = s.instalments[s.instalments.len() - 1].instalment;
                prop_assert!(first - last <= ore(1));
            }
            (None, Some(instalment)) => {
                let (last, rest) = s.instalments.split_last().unwrap();
                prop_assert!(rest.iter().all(|i| i.instalment == instalment));
                prop_assert!(last.instalment <= instalment);
            }
            (None, None) => prop_assert!(false, "terms without a length"),
        }
    }

    #[test]
    fn tracking_is_consistent_with_the_payments(
        arrears in 100_i64..5_000_000,
        months in 1_u32..=24,
        raw_payments in proptest::collection::vec((0_u64..900, 1_i64..800_000), 0..20),
        day in 0_u64..900,
        broken_after in 1_u32..5,
    ) {
        let start = ym(2025, 1);
        let s = schedule(&by_months(ore(arrears), start, months), &lease(), "").unwrap();
        let origin = date(2024, 12, 1);
        let payments: Vec<Payment> = raw_payments
            .iter()
            .map(|(offset, amount)| Payment {
                date: origin.checked_add_days(Days::new(*offset)).unwrap(),
                amount: ore(*amount),
            })
            .collect();
        let on = origin.checked_add_days(Days::new(day)).unwrap();
        let st = status_on(&s, &payments, on, broken_after).unwrap();

        let counted: Money = payments.iter().filter(|p| p.date <= on).map(|p| p.amount).sum();
        prop_assert_eq!(st.paid + st.overpaid, counted);
        prop_assert_eq!(st.paid + st.outstanding, ore(arrears));
        prop_assert_eq!(st.instalments.len(), months as usize);

        let mut earlier_open = false;
        let mut missed = 0;
        let mut overdue = Money::ZERO;
        for inst in &st.instalments {
            prop_assert!(!inst.paid.is_negative());
            prop_assert!(inst.paid <= inst.due);
            prop_assert_eq!(inst.outstanding, inst.due - inst.paid);
            prop_assert_eq!(inst.state == InstalmentState::Paid, inst.paid == inst.due);
            prop_assert_eq!(inst.paid_on.is_some(), inst.state == InstalmentState::Paid);
            if earlier_open {
                prop_assert!(inst.paid.is_zero(), "a later instalment is paid before an earlier one");
            }
            earlier_open |= inst.paid < inst.due;
            let expected = if inst.paid == inst.due {
                InstalmentState::Paid
            } else if inst.due_date < on {
                InstalmentState::Missed
            } else if inst.paid.is_positive() {
                InstalmentState::PartiallyPaid
            } else {
                InstalmentState::Upcoming
            };
            prop_assert_eq!(inst.state, expected);
            if inst.state == InstalmentState::Missed {
                missed += 1;
                overdue += inst.due - inst.paid;
            }
        }
        prop_assert_eq!(st.missed, missed);
        prop_assert_eq!(st.overdue, overdue);
        if st.overpaid.is_positive() {
            prop_assert_eq!(st.state, PlanState::Completed);
        }
        let expected_plan = if st.outstanding.is_zero() {
            PlanState::Completed
        } else if missed >= broken_after {
            PlanState::Broken
        } else if missed > 0 {
            PlanState::Behind
        } else {
            PlanState::OnTrack
        };
        prop_assert_eq!(st.state, expected_plan);

        // The order the payments are given in changes nothing.
        let mut reversed = payments.clone();
        reversed.reverse();
        prop_assert_eq!(status_on(&s, &reversed, on, broken_after).unwrap(), st);
    }
}
