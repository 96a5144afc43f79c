use super::late_interest::*;
use super::offer::*;
use super::payoff::*;
use super::protected::*;
use super::skuldsanering::*;
use super::*;
use crate::domain::error::DomainError;
use crate::domain::household::{AgeBasis, Role};
use crate::domain::money::Money;
use crate::domain::norms::{NormKind, NormTable, TableStatus};
use crate::domain::testkit::{date, kr, ore};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::dec;
use uuid::Uuid;

use crate::domain::rate::Rate;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n + 1)
}

fn fields(error: DomainError) -> Vec<String> {
    match error {
        DomainError::Invalid(v) => v.into_vec().into_iter().map(|f| f.field).collect(),
        other => panic!("expected field violations, got {other:?}"),
    }
}

/// A table as the store builds it from the migration's rows (values in
/// hundredths: öre, or hundredths of a percent).
fn table(
    id: &str,
    kind: NormKind,
    from: NaiveDate,
    to: NaiveDate,
    status: TableStatus,
    source: &str,
    rows: &[(&str, i64)],
) -> NormTable {
    NormTable {
        id: id.to_owned(),
        kind,
        valid_from: from,
        valid_to: to,
        status,
        source: source.to_owned(),
        version: 1,
        loaded_by: "test".to_owned(),
        loaded_at: DateTime::<Utc>::from_timestamp(0, 0).unwrap(),
        rows: rows
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Decimal::new(*v, 2)))
            .collect(),
    }
}

/// normalbelopp-2024 as shipped in migrations/sqlite/20261122000002_insert_norm_tables.sql.
fn normalbelopp_2024() -> NormTable {
    table(
        "normalbelopp-2024",
        NormKind::Normalbelopp,
        date(2024, 1, 1),
        date(2024, 12, 31),
        TableStatus::Official,
        "Kronofogden, kronofogden.se \"Vad du får behålla i en löneutmätning\" (från den 1 januari 2024)",
        &[
            ("single_adult", 609_000),
            ("cohabiting_pair", 1_006_100),
            ("child_0_6", 325_500),
            ("child_7_10", 390_600),
            ("child_11_14", 455_800),
            ("child_15_plus", 520_800),
        ],
    )
}

/// normalbelopp-2026 as shipped: third-party, so provisional.
fn normalbelopp_2026() -> NormTable {
    table(
        "normalbelopp-2026",
        NormKind::Normalbelopp,
        date(2026, 1, 1),
        date(2026, 12, 31),
        TableStatus::Provisional,
        "THIRD-PARTY: public repository Offrix/Swedish-ERP",
        &[
            ("single_adult", 624_300),
            ("cohabiting_pair", 1_031_400),
            ("child_0_6", 333_600),
            ("child_7_10", 400_400),
            ("child_11_14", 467_200),
            ("child_15_plus", 533_900),
        ],
    )
}

/// The referensränta tables shipped in the migration (hundredths of a percent).
fn referensranta_tables() -> Vec<NormTable> {
    let half = |id: &str, from: NaiveDate, to: NaiveDate, source: &str, rate: i64| {
        table(
            id,
            NormKind::Referensranta,
            from,
            to,
            TableStatus::Official,
            source,
            &[("referensranta", rate)],
        )
    };
    vec![
        half(
            "referensranta-2023-07",
            date(2023, 7, 1),
            date(2023, 12, 31),
            "Riksbanken, riksbank.se (räntelagen 1975:635 9 §)",
            350,
        ),
        half(
            "referensranta-2024-01",
            date(2024, 1, 1),
            date(2024, 6, 30),
            "SFS 2023:954 (räntelagen 1975:635 9 §)",
            400,
        ),
        half(
            "referensranta-2024-07",
            date(2024, 7, 1),
            date(2024, 12, 31),
            "SFS 2024:613 (räntelagen 1975:635 9 §)",
            400,
        ),
        half(
            "referensranta-2025-01",
            date(2025, 1, 1),
            date(2025, 6, 30),
            "SFS 2024:1373 (räntelagen 1975:635 9 §)",
            300,
        ),
        half(
            "referensranta-2025-07",
            date(2025, 7, 1),
            date(2025, 12, 31),
            "SFS 2025:809 (räntelagen 1975:635 9 §)",
            200,
        ),
        half(
            "referensranta-2026-01",
            date(2026, 1, 1),
            date(2026, 6, 30),
            "SFS 2025:1582 (räntelagen 1975:635 9 §)",
            200,
        ),
    ]
}

fn child(age: u32) -> ChildInput {
    ChildInput {
        age,
        barnbidrag: Money::ZERO,
        underhallsstod: Money::ZERO,
        studiebidrag: Money::ZERO,
    }
}

fn housing(adults: Adults, children: Vec<ChildInput>, rent: i64) -> ProtectedAmountInput {
    ProtectedAmountInput {
        adults,
        children,
        housing_cost: kr(rent),
        housing_allowances: Vec::new(),
        additions: Vec::new(),
    }
}

fn terms(balance: Money, rate: Decimal, fee: Money, payment: Money) -> DebtTerms {
    DebtTerms {
        balance,
        annual_interest_rate: Rate::percent(rate),
        monthly_fee: fee,
        monthly_payment: payment,
    }
}

fn balances(amounts: &[Money]) -> Vec<DebtBalance> {
    amounts
        .iter()
        .enumerate()
        .map(|(i, b)| DebtBalance {
            debt_id: id(i as u128),
            balance: *b,
        })
        .collect()
}

// --- kinds, statuses, priority ------------------------------------------------

#[test]
fn kinds_and_statuses_round_trip_their_storage_names() {
    for kind in DebtKind::ALL {
        assert_eq!(DebtKind::from_str_opt(kind.as_str()), Some(kind));
        assert!(
            kind.as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        );
    }
    for status in DebtStatus::ALL {
        assert_eq!(DebtStatus::from_str_opt(status.as_str()), Some(status));
        assert!(
            status
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        );
    }
    let names: Vec<&str> = DebtKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "hyresskuld",
            "elskuld",
            "skatteskuld",
            "csn",
            "vard",
            "konsumtionskredit",
            "sms_lan",
            "kronofogden_mal",
            "underhallsskuld",
            "other"
        ]
    );
    let names: Vec<&str> = DebtStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "active",
            "debt_collection",
            "kronofogden",
            "skuldsanering",
            "settled"
        ]
    );
}

#[test]
fn unknown_names_are_not_kinds_or_statuses() {
    for bad in [
        "",
        "Hyresskuld",
        "sms-lån",
        "sms-lan",
        "vård",
        " csn",
        "unknown",
    ] {
        assert_eq!(DebtKind::from_str_opt(bad), None, "{bad:?}");
    }
    for bad in ["", "Active", "debt-collection", "kronofogden_mal"] {
        assert_eq!(DebtStatus::from_str_opt(bad), None, "{bad:?}");
    }
}

#[test]
fn priority_debts_are_rent_electricity_and_what_kronofogden_enforces() {
    for status in [DebtStatus::Active, DebtStatus::DebtCollection] {
        assert!(is_priority(DebtKind::Hyresskuld, status));
        assert!(is_priority(DebtKind::Elskuld, status));
        assert!(is_priority(DebtKind::KronofogdenMal, status));
        for kind in [
            DebtKind::Skatteskuld,
            DebtKind::Csn,
            DebtKind::Vard,
            DebtKind::Konsumtionskredit,
            DebtKind::SmsLan,
            DebtKind::Underhallsskuld,
            DebtKind::Other,
        ] {
            assert!(!is_priority(kind, status), "{kind:?} {status:?}");
        }
    }
    // Any debt Kronofogden is enforcing.
    for kind in DebtKind::ALL {
        assert!(is_priority(kind, DebtStatus::Kronofogden), "{kind:?}");
    }
}

#[test]
fn settled_debts_are_never_priority() {
    for kind in DebtKind::ALL {
        assert!(!is_priority(kind, DebtStatus::Settled), "{kind:?}");
    }
}

// --- months to pay off -----------------------------------------------------------

#[test]
fn a_debt_without_interest_pays_off_with_a_smaller_last_payment() {
    let t = terms(kr(1000), Decimal::ZERO, Money::ZERO, kr(300));
    assert_eq!(
        months_to_pay_off(&t, "debt").unwrap(),
        Payoff::PaidOff {
            months: 4,
            total_paid: kr(1000),
            total_interest_and_fees: Money::ZERO,
            last_payment: kr(100),
        }
    );
    // An exact multiple ends with a full payment.
    let t = terms(kr(900), Decimal::ZERO, Money::ZERO, kr(300));
    assert_eq!(
        months_to_pay_off(&t, "debt").unwrap(),
        Payoff::PaidOff {
            months: 3,
            total_paid: kr(900),
            total_interest_and_fees: Money::ZERO,
            last_payment: kr(300),
        }
    );
}

#[test]
fn interest_is_rounded_each_month_and_fees_are_added() {
    // 12 % a year = 1 % a month; worked by hand:
    // 1: 10 000 + 100.00 + 25 − 2 000 = 8 125.00
    // 2: 8 125 + 81.25 + 25 − 2 000 = 6 231.25
    // 3: 6 231.25 + 62.31 (62.3125) + 25 − 2 000 = 4 318.56
    // 4: 4 318.56 + 43.19 (43.1856) + 25 − 2 000 = 2 386.75
    // 5: 2 386.75 + 23.87 (23.8675) + 25 − 2 000 = 435.62
    // 6: 435.62 + 4.36 (4.3562) + 25 = 464.98, the last payment.
    let t = terms(kr(10_000), dec!(12), kr(25), kr(2000));
    let payoff = months_to_pay_off(&t, "debt").unwrap();
    assert_eq!(
        payoff,
        Payoff::PaidOff {
            months: 6,
            total_paid: ore(1_046_498),
            total_interest_and_fees: ore(46_498),
            last_payment: ore(46_498),
        }
    );
    let basis = explain_payoff(&t, &payoff);
    assert!(
        basis
            .arithmetic
            .starts_with("månad 1: ränta 10 000 × 12 / 100 / 12 = 100;"),
        "{}",
        basis.arithmetic
    );
    assert!(basis.arithmetic.contains("betald efter 6 månader"));
}

#[test]
fn monthly_interest_rounds_half_away_from_zero_to_whole_ore() {
    // 100.50 × 12 / 1200 = 1.005 → 1.01 (banker's rounding would give 1.00).
    assert_eq!(
        monthly_interest(ore(10_050), Rate::percent(dec!(12))),
        Some(ore(101))
    );
    // 100.40 × 12 / 1200 = 1.004 → 1.00.
    assert_eq!(
        monthly_interest(ore(10_040), Rate::percent(dec!(12))),
        Some(ore(100))
    );
    // 12.5 %: 1 000 × 12.5 / 1200 = 10.41666… → 10.42.
    assert_eq!(
        monthly_interest(kr(1000), Rate::percent(dec!(12.5))),
        Some(ore(1042))
    );
}

#[test]
fn a_payment_not_above_the_first_months_interest_and_fee_never_pays_off() {
    // 10 000 at 12 %: 100 interest + 25 fee = 125.
    for payment in [Money::ZERO, kr(100), kr(125)] {
        let t = terms(kr(10_000), dec!(12), kr(25), payment);
        assert_eq!(
            months_to_pay_off(&t, "debt").unwrap(),
            Payoff::NeverPaysOff {
                first_month_charges: kr(125)
            },
            "payment {payment:?}"
        );
    }
    // One öre more and the balance falls.
    let t = terms(kr(10_000), dec!(12), kr(25), ore(12_501));
    assert!(matches!(
        months_to_pay_off(&t, "debt").unwrap(),
        Payoff::LongerThan { .. } | Payoff::PaidOff { .. }
    ));
    // Zero payment on an interest-free debt never pays off either.
    let t = terms(kr(10), Decimal::ZERO, Money::ZERO, Money::ZERO);
    assert_eq!(
        months_to_pay_off(&t, "debt").unwrap(),
        Payoff::NeverPaysOff {
            first_month_charges: Money::ZERO
        }
    );
}

#[test]
fn a_zero_balance_is_already_paid_off() {
    let t = terms(Money::ZERO, dec!(20), kr(50), Money::ZERO);
    assert_eq!(
        months_to_pay_off(&t, "debt").unwrap(),
        Payoff::PaidOff {
            months: 0,
            total_paid: Money::ZERO,
            total_interest_and_fees: Money::ZERO,
            last_payment: Money::ZERO,
        }
    );
}

#[test]
fn the_count_stops_at_the_cap() {
    let t = terms(kr(1_000_000), Decimal::ZERO, Money::ZERO, kr(1));
    assert_eq!(
        months_to_pay_off(&t, "debt").unwrap(),
        Payoff::LongerThan {
            months: PAYOFF_MONTHS_CAP,
            balance_left: kr(1_000_000 - 1200),
        }
    );
    // The largest balance the wire allows, paid one öre above the first
    // month's interest: at 0.01 % the balance falls by about an öre a month,
    // so the count stops at the cap.
    let huge = Money::parse("999999999999999.99").unwrap();
    let first = monthly_interest(huge, Rate::percent(dec!(0.01))).unwrap();
    let t = terms(huge, dec!(0.01), Money::ZERO, first + ore(1));
    let r = months_to_pay_off(&t, "debt");
    assert!(
        matches!(r, Ok(Payoff::LongerThan { months: 1200, balance_left }) if balance_left < huge),
        "{r:?}"
    );
    // At 100 % the falling interest speeds the repayment up, and it ends
    // within the cap; the totals still agree.
    let first = monthly_interest(huge, Rate::percent(dec!(100))).unwrap();
    let t = terms(huge, dec!(100), Money::ZERO, first + ore(1));
    let Ok(Payoff::PaidOff {
        months,
        total_paid,
        total_interest_and_fees,
        last_payment,
    }) = months_to_pay_off(&t, "debt")
    else {
        panic!("expected PaidOff");
    };
    assert!(months < PAYOFF_MONTHS_CAP);
    assert_eq!(total_paid - total_interest_and_fees, huge);
    assert_eq!(
        total_paid,
        (first + ore(1))
            .mul_ratio(i64::from(months) - 1, 1)
            .unwrap()
            + last_payment
    );
}

#[test]
fn invalid_terms_are_reported_by_field() {
    let t = terms(kr(-1), dec!(100.01), kr(-5), ore(-1));
    assert_eq!(
        fields(months_to_pay_off(&t, "debts[3]").unwrap_err()),
        [
            "debts[3].balance",
            "debts[3].annual_interest_rate",
            "debts[3].monthly_fee",
            "debts[3].monthly_payment"
        ]
    );
    let t = terms(kr(1), dec!(-0.5), Money::ZERO, Money::ZERO);
    assert_eq!(
        fields(months_to_pay_off(&t, "").unwrap_err()),
        ["annual_interest_rate"]
    );
    // The bounds themselves are accepted.
    assert!(check_terms(&terms(kr(1), dec!(100), kr(0), kr(0)), "d").is_empty());
    assert!(check_terms(&terms(kr(1), dec!(0), kr(0), kr(0)), "d").is_empty());
    // Fractions of an öre and more than 15 digits are refused.
    let t = terms(
        Money::from_decimal(dec!(1.001)),
        dec!(5),
        Money::from_decimal(dec!(1_000_000_000_000_000)),
        kr(1),
    );
    let v = check_terms(&t, "d");
    let found: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(found, ["d.balance", "d.monthly_fee"]);
}

#[test]
fn violation_descriptions_never_repeat_the_amount() {
    let t = terms(ore(-123_456), dec!(150), ore(-987_654), kr(1));
    let DomainError::Invalid(v) = months_to_pay_off(&t, "d").unwrap_err() else {
        panic!("expected violations");
    };
    for f in v.iter() {
        for needle in ["1234", "1 234", "9876", "9 876", "150"] {
            assert!(!f.description.contains(needle), "{}", f.description);
        }
    }
}

// --- validation helpers ------------------------------------------------------------

#[test]
fn creditor_organisation_number_is_parsed_when_given() {
    let mut v = Violations::new();
    let parsed = parse_creditor_organisation_number("212000-0142", "creditor_org", &mut v);
    assert_eq!(parsed.unwrap().as_str(), "2120000142");
    assert!(parse_creditor_organisation_number("", "creditor_org", &mut v).is_none());
    assert!(parse_creditor_organisation_number("  ", "creditor_org", &mut v).is_none());
    assert!(v.is_empty());
    assert!(parse_creditor_organisation_number("212000-0143", "creditor_org", &mut v).is_none());
    // A personnummer (month below 20) is not an organisationsnummer.
    assert!(parse_creditor_organisation_number("640823-3234", "creditor_org", &mut v).is_none());
    let found: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(found, ["creditor_org", "creditor_org"]);
    assert!(v.iter().all(|f| !f.description.contains("2120")));
}

#[test]
fn the_debtor_must_be_a_member_of_the_household() {
    let member = |n: u128| Member {
        id: Some(id(n)),
        role: Role::Applicant,
        age: AgeBasis::Years(40),
        personal_identity_number: None,
        residence: None,
        lunch_at_school: false,
        given_name: String::new(),
        family_name: String::new(),
    };
    let members = [member(1), member(2)];
    let mut v = Violations::new();
    check_debtor(id(2), &members, "debt.debtor_id", &mut v);
    assert!(v.is_empty());
    check_debtor(id(7), &members, "debt.debtor_id", &mut v);
    check_debtor(Uuid::nil(), &members, "debt.debtor_id", &mut v);
    let found: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(found, ["debt.debtor_id", "debt.debtor_id"]);
}

#[test]
fn interest_rate_and_amount_helpers() {
    let mut v = Violations::new();
    check_interest_rate(Rate::percent(dec!(0)), "r", &mut v);
    check_interest_rate(Rate::percent(dec!(39.95)), "r", &mut v);
    check_interest_rate(Rate::percent(dec!(100.00)), "r", &mut v);
    check_balance(Money::ZERO, "b", &mut v);
    check_non_negative_amount(kr(50), "fee", &mut v);
    assert!(v.is_empty());
    check_interest_rate(Rate::percent(dec!(-0.01)), "r1", &mut v);
    check_interest_rate(Rate::percent(dec!(100.01)), "r2", &mut v);
    check_balance(ore(-1), "b", &mut v);
    check_non_negative_amount(ore(-1), "payment", &mut v);
    let found: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(found, ["r1", "r2", "b", "payment"]);
}

// --- pro-rata offer ------------------------------------------------------------------

#[test]
fn pro_rata_shares_follow_the_balances_and_sum_exactly() {
    let input = ProRataInput {
        available: kr(1000),
        debts: balances(&[kr(3000), kr(1000), Money::ZERO, kr(2000)]),
    };
    let offer = pro_rata_offer(&input, "offer").unwrap().unwrap();
    let amounts: Vec<Money> = offer.shares.iter().map(|s| s.amount).collect();
    // 500, 166.666… and 333.333…: the öre left over goes to the largest
    // remainder (166.66|6…).
    assert_eq!(amounts, [kr(500), ore(16_667), Money::ZERO, ore(33_333)]);
    assert_eq!(amounts.iter().copied().sum::<Money>(), kr(1000));
    assert_eq!(offer.total_balance, kr(6000));
    assert_eq!(
        offer.shares[0].basis.arithmetic,
        "3 000 / 6 000 × 1 000 = 500"
    );
    assert!(
        offer.shares[1]
            .basis
            .arithmetic
            .starts_with("1 000 / 6 000 × 1 000 = 166.66… → 166.67"),
        "{}",
        offer.shares[1].basis.arithmetic
    );
    assert_eq!(offer.shares[3].debt_id, id(3));
}

#[test]
fn pro_rata_with_nothing_owed_makes_no_offer() {
    let input = ProRataInput {
        available: kr(1000),
        debts: balances(&[Money::ZERO, Money::ZERO]),
    };
    assert_eq!(pro_rata_offer(&input, "offer").unwrap(), None);
    let input = ProRataInput {
        available: kr(1000),
        debts: Vec::new(),
    };
    assert_eq!(pro_rata_offer(&input, "offer").unwrap(), None);
}

#[test]
fn pro_rata_input_is_checked() {
    let mut debts = balances(&[kr(100), ore(-1), kr(5)]);
    debts[2].debt_id = debts[0].debt_id;
    let input = ProRataInput {
        available: ore(-100),
        debts,
    };
    assert_eq!(
        fields(pro_rata_offer(&input, "offer").unwrap_err()),
        [
            "offer.available",
            "offer.debts[1].balance",
            "offer.debts[2].debt_id"
        ]
    );
    // Balances whose sum has more than 15 integer digits.
    let big = Money::parse("999999999999999").unwrap();
    let input = ProRataInput {
        available: kr(1),
        debts: balances(&[big, big]),
    };
    assert_eq!(fields(pro_rata_offer(&input, "").unwrap_err()), ["debts"]);
}

proptest! {
    #[test]
    fn pro_rata_shares_sum_exactly_and_are_never_negative(
        available in 0_i64..100_000_000_000,
        weights in proptest::collection::vec(
            prop_oneof![Just(0_i64), 1_i64..1000, 1_i64..100_000_000_000_000],
            0..40,
        ),
    ) {
        let amounts: Vec<Money> = weights.iter().map(|w| ore(*w)).collect();
        let input = ProRataInput { available: ore(available), debts: balances(&amounts) };
        let offer = pro_rata_offer(&input, "offer").unwrap();
        if weights.iter().all(|w| *w == 0) {
            prop_assert!(offer.is_none());
        } else {
            let offer = offer.unwrap();
            prop_assert_eq!(offer.shares.len(), weights.len());
            let sum: Money = offer.shares.iter().map(|s| s.amount).sum();
            prop_assert_eq!(sum, ore(available));
            for (share, weight) in offer.shares.iter().zip(&weights) {
                prop_assert!(!share.amount.is_negative());
                prop_assert!(share.amount.to_ore().is_some());
                if *weight == 0 {
                    prop_assert!(share.amount.is_zero());
                }
            }
        }
    }
}

// --- förbehållsbelopp ----------------------------------------------------------------

#[test]
fn worked_example_5_forbehallsbelopp_2024_sambor_with_two_children() {
    // docs/sources.md §7 example 5: 10 061 + 3 255 + 4 558 + 9 000 = 26 874; net
    // 30 000 → löneutmätning 3 126.
    let input = housing(Adults::Couple, vec![child(4), child(12)], 9000);
    let result = protected_amount(&input, &normalbelopp_2024(), "household").unwrap();
    let amounts: Vec<Money> = result.lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, [kr(10_061), kr(3255), kr(4558), kr(9000)]);
    assert_eq!(result.total, kr(26_874));
    assert_eq!(
        result.basis.arithmetic,
        "10 061 + 3 255 + 4 558 + 9 000 = 26 874"
    );
    assert_eq!(garnishable(kr(30_000), result.total), kr(3126));
    assert_eq!(
        garnishable_line(kr(30_000), result.total).basis.arithmetic,
        "max(0, 30 000 − 26 874) = 3 126"
    );
    // Each normalbelopp line cites the table and its row.
    assert!(
        result.lines[0]
            .basis
            .source
            .starts_with("normalbelopp 2024 (Kronofogden"),
        "{}",
        result.lines[0].basis.source
    );
    assert!(
        result.lines[0]
            .basis
            .source
            .ends_with("makar/sambor: 10 061")
    );
    assert!(result.lines[1].basis.source.ends_with("barn 0–6 år: 3 255"));
    assert!(
        result.lines[2]
            .basis
            .source
            .ends_with("barn 11–14 år: 4 558")
    );
    assert!(!result.provisional);
    assert!(result.warnings.is_empty());
    assert_eq!(result.tables[0].id, "normalbelopp-2024");
}

#[test]
fn garnishable_is_never_below_zero() {
    assert_eq!(garnishable(kr(20_000), kr(26_874)), Money::ZERO);
    assert_eq!(garnishable(kr(26_874), kr(26_874)), Money::ZERO);
    assert_eq!(garnishable(ore(2_687_401), kr(26_874)), ore(1));
}

#[test]
fn child_age_bands() {
    let table = normalbelopp_2024();
    let ages = [0, 6, 7, 10, 11, 14, 15, 19];
    let input = housing(Adults::Single, ages.iter().map(|a| child(*a)).collect(), 0);
    let result = protected_amount(&input, &table, "").unwrap();
    let amounts: Vec<Money> = result.lines[1..=ages.len()]
        .iter()
        .map(|l| l.amount)
        .collect();
    assert_eq!(
        amounts,
        [
            kr(3255),
            kr(3255),
            kr(3906),
            kr(3906),
            kr(4558),
            kr(4558),
            kr(5208),
            kr(5208)
        ]
    );
    assert_eq!(result.lines[0].amount, kr(6090));
}

#[test]
fn support_received_reduces_a_childs_amount_but_never_below_zero() {
    let mut partly = child(4);
    partly.barnbidrag = kr(1250);
    partly.underhallsstod = kr(1673);
    let mut fully = child(16);
    fully.barnbidrag = kr(1250);
    fully.underhallsstod = kr(2873);
    fully.studiebidrag = kr(1250);
    let input = housing(Adults::Single, vec![partly, fully], 0);
    let result = protected_amount(&input, &normalbelopp_2024(), "").unwrap();
    // 3 255 − 1 250 − 1 673 = 332.
    assert_eq!(result.lines[1].amount, kr(332));
    assert_eq!(
        result.lines[1].basis.arithmetic,
        "3 255 − 1 250 (barnbidrag) − 1 673 (underhållsstöd) = 332"
    );
    // 5 208 − 5 373 = −165 → 0.
    assert_eq!(result.lines[2].amount, Money::ZERO);
    assert!(
        result.lines[2]
            .basis
            .arithmetic
            .ends_with("= -165 → 0 (aldrig under noll)"),
        "{}",
        result.lines[2].basis.arithmetic
    );
    assert_eq!(result.total, kr(6090 + 332));
}

#[test]
fn housing_allowances_reduce_the_housing_cost_but_never_below_zero() {
    let mut input = housing(Adults::Single, Vec::new(), 7000);
    input.housing_allowances = vec![HousingAllowance {
        kind: HousingAllowanceKind::Bostadsbidrag,
        amount: kr(1500),
    }];
    let result = protected_amount(&input, &normalbelopp_2024(), "").unwrap();
    assert_eq!(result.lines[1].amount, kr(5500));
    assert_eq!(
        result.lines[1].basis.arithmetic,
        "7 000 − 1 500 (bostadsbidrag) = 5 500"
    );
    input.housing_allowances.push(HousingAllowance {
        kind: HousingAllowanceKind::Bostadstillagg,
        amount: kr(6000),
    });
    let result = protected_amount(&input, &normalbelopp_2024(), "").unwrap();
    assert_eq!(result.lines[1].amount, Money::ZERO);
    assert_eq!(result.total, kr(6090));
}

#[test]
fn approved_additions_are_added_line_by_line() {
    let mut input = housing(Adults::Single, Vec::new(), 7000);
    input.additions = vec![
        Addition {
            kind: AdditionKind::WorkTravel,
            description: "bil, 40 mil".to_owned(),
            amount: kr(1000),
        },
        Addition {
            kind: AdditionKind::MedicineAndCare,
            description: String::new(),
            amount: ore(45_050),
        },
    ];
    let result = protected_amount(&input, &normalbelopp_2024(), "").unwrap();
    assert_eq!(result.lines.len(), 4);
    assert_eq!(result.lines[2].label, "tillägg: arbetsresor (bil, 40 mil)");
    assert_eq!(result.lines[3].label, "tillägg: medicin och vård");
    assert_eq!(result.total, ore(609_000 + 700_000 + 100_000 + 45_050));
    let sum: Money = result.lines.iter().map(|l| l.amount).sum();
    assert_eq!(sum, result.total);
}

#[test]
fn a_provisional_normalbelopp_table_is_flagged() {
    let input = housing(Adults::Single, Vec::new(), 7000);
    let result = protected_amount(&input, &normalbelopp_2026(), "").unwrap();
    assert_eq!(result.total, kr(6243 + 7000));
    assert!(result.provisional);
    assert_eq!(result.warnings.len(), 1);
    assert!(result.warnings[0].contains("normalbelopp-2026"));
}

#[test]
fn only_a_normalbelopp_table_is_used() {
    let riksnorm_like = table(
        "riksnorm-2024",
        NormKind::Riksnorm,
        date(2024, 1, 1),
        date(2024, 12, 31),
        TableStatus::Official,
        "test",
        &[("single_adult", 380_000)],
    );
    let input = housing(Adults::Single, Vec::new(), 7000);
    assert_eq!(
        protected_amount(&input, &riksnorm_like, "").unwrap_err(),
        DomainError::NormTableMissing {
            kind: NormKind::Normalbelopp,
            date: date(2024, 1, 1)
        }
    );
    // A normalbelopp table lacking a row names it.
    let mut partial = normalbelopp_2024();
    partial.rows.remove("child_7_10");
    let input = housing(Adults::Single, vec![child(8)], 0);
    assert_eq!(
        protected_amount(&input, &partial, "").unwrap_err(),
        DomainError::NormRowMissing {
            table_id: "normalbelopp-2024".to_owned(),
            key: "child_7_10".to_owned()
        }
    );
}

#[test]
fn protected_amount_input_is_checked() {
    let mut bad_child = child(3);
    bad_child.barnbidrag = kr(-1);
    bad_child.studiebidrag = ore(-1);
    let input = ProtectedAmountInput {
        adults: Adults::Couple,
        children: vec![child(1), bad_child],
        housing_cost: kr(-7000),
        housing_allowances: vec![HousingAllowance {
            kind: HousingAllowanceKind::Boendetillagg,
            amount: kr(-1),
        }],
        additions: vec![Addition {
            kind: AdditionKind::Other,
            description: "x".repeat(MAX_DESCRIPTION_CHARS + 1),
            amount: kr(-3),
        }],
    };
    assert_eq!(
        fields(protected_amount(&input, &normalbelopp_2024(), "p").unwrap_err()),
        [
            "p.children[1].barnbidrag",
            "p.children[1].studiebidrag",
            "p.housing_cost",
            "p.housing_allowances[0].amount",
            "p.additions[0].amount",
            "p.additions[0].description"
        ]
    );
}

#[test]
fn storage_names_of_the_input_enums_round_trip() {
    for adults in [Adults::Single, Adults::Couple] {
        assert_eq!(Adults::from_str_opt(adults.as_str()), Some(adults));
    }
    for kind in HousingAllowanceKind::ALL {
        assert_eq!(
            HousingAllowanceKind::from_str_opt(kind.as_str()),
            Some(kind)
        );
    }
    for kind in AdditionKind::ALL {
        assert_eq!(AdditionKind::from_str_opt(kind.as_str()), Some(kind));
    }
}

// --- skuldsanering ---------------------------------------------------------------------

fn skuldsanering(
    protected: Money,
    net_income: Money,
    debts: &[Money],
    years: Option<u32>,
) -> SkuldsaneringInput {
    SkuldsaneringInput {
        protected_amount: protected,
        buffer: None,
        net_income,
        years,
        debts: balances(debts),
    }
}

#[test]
fn worked_example_6_skuldsanering_2024_ensamstaende() {
    // docs/sources.md §7 example 6: förbehållsbelopp 6 090 + 7 000 + 500 = 13 590;
    // 6 410 a month × 10 = 64 100; − 500 = 63 600 a year; pro rata over
    // 120 000 / 60 000 / 20 000 → 38 160 / 19 080 / 6 360.
    let protected = protected_amount(
        &housing(Adults::Single, Vec::new(), 7000),
        &normalbelopp_2024(),
        "",
    )
    .unwrap();
    assert_eq!(protected.total, kr(13_090));
    let input = skuldsanering(
        protected.total,
        kr(20_000),
        &[kr(120_000), kr(60_000), kr(20_000)],
        None,
    );
    let estimate = skuldsanering_estimate(&input, "s").unwrap();
    let line = |label: &str| {
        estimate
            .lines
            .iter()
            .find(|l| l.label == label)
            .unwrap()
            .amount
    };
    assert_eq!(line("förbehållsbelopp i skuldsanering"), kr(13_590));
    // Kronofogden's förbehållsbelopp includes the buffer, shown as its own line.
    assert_eq!(line("buffert"), kr(500));
    assert_eq!(estimate.protected_amount_with_buffer, kr(13_590));
    assert_eq!(estimate.monthly_payment, kr(6410));
    assert_eq!(line("inbetalt per år"), kr(64_100));
    assert_eq!(line("årsavgift till Kronofogden"), kr(500));
    assert_eq!(line("till borgenärerna per år"), kr(63_600));
    assert_eq!(estimate.buffer, kr(500));
    assert_eq!(estimate.length_years, 5);
    assert_eq!(estimate.years.len(), 5);
    let first = &estimate.years[0];
    let payouts: Vec<Money> = first.payouts.iter().map(|p| p.amount).collect();
    assert_eq!(payouts, [kr(38_160), kr(19_080), kr(6360)]);
    assert_eq!(
        first.payouts[0].basis.arithmetic,
        "120 000 / 200 000 × 63 600 = 38 160"
    );
    assert_eq!(first.distributed, kr(63_600));
    assert_eq!(first.undistributed, Money::ZERO);

    // These debts are paid in full in the fourth year: 3 × 63 600 = 190 800,
    // leaving 9 200, which the fourth year pays; the rest is not distributed.
    let fourth: Vec<Money> = estimate.years[3].payouts.iter().map(|p| p.amount).collect();
    assert_eq!(fourth, [kr(5520), kr(2760), kr(920)]);
    assert_eq!(estimate.years[3].undistributed, kr(54_400));
    assert!(estimate.years[4].payouts.iter().all(|p| p.amount.is_zero()));
    assert_eq!(estimate.years[4].undistributed, kr(63_600));
    let received: Vec<Money> = estimate.creditors.iter().map(|c| c.received).collect();
    assert_eq!(received, [kr(120_000), kr(60_000), kr(20_000)]);
    assert!(estimate.creditors.iter().all(|c| c.unpaid.is_zero()));
    assert_eq!(estimate.total_debt, kr(200_000));
    assert_eq!(estimate.total_paid_in, kr(320_500));
    assert_eq!(estimate.total_fees, kr(2500));
    assert_eq!(estimate.total_distributed, kr(200_000));
    assert_eq!(estimate.total_undistributed, kr(118_000));
    assert_eq!(estimate.total_unpaid, Money::ZERO);
}

#[test]
fn skuldsanering_leaves_the_rest_unpaid_after_five_years() {
    let input = skuldsanering(
        kr(13_090),
        kr(20_000),
        &[kr(500_000), kr(300_000), kr(200_000)],
        None,
    );
    let estimate = skuldsanering_estimate(&input, "").unwrap();
    let received: Vec<Money> = estimate.creditors.iter().map(|c| c.received).collect();
    assert_eq!(received, [kr(159_000), kr(95_400), kr(63_600)]);
    let unpaid: Vec<Money> = estimate.creditors.iter().map(|c| c.unpaid).collect();
    assert_eq!(unpaid, [kr(341_000), kr(204_600), kr(136_400)]);
    assert_eq!(estimate.total_unpaid, kr(682_000));
    assert_eq!(estimate.total_distributed, kr(318_000));
    assert_eq!(estimate.total_undistributed, Money::ZERO);
}

#[test]
fn skuldsanering_length_and_buffer_can_be_chosen() {
    let mut input = skuldsanering(kr(13_090), kr(20_000), &[kr(1_000_000)], Some(3));
    input.buffer = Some(kr(1000));
    let estimate = skuldsanering_estimate(&input, "").unwrap();
    assert_eq!(estimate.years.len(), 3);
    // 20 000 − 14 090 = 5 910 × 10 = 59 100 − 500 = 58 600 a year.
    assert_eq!(estimate.monthly_payment, kr(5910));
    assert_eq!(estimate.total_distributed, kr(3 * 58_600));
    assert_eq!(estimate.creditors[0].unpaid, kr(1_000_000 - 3 * 58_600));
}

#[test]
fn an_income_below_the_protected_amount_pays_nothing_and_the_fee_is_not_negative() {
    let input = skuldsanering(kr(13_090), kr(12_000), &[kr(50_000)], None);
    let estimate = skuldsanering_estimate(&input, "").unwrap();
    assert_eq!(estimate.monthly_payment, Money::ZERO);
    for year in &estimate.years {
        assert_eq!(year.paid_in, Money::ZERO);
        assert_eq!(year.fee, Money::ZERO);
        assert_eq!(year.to_distribute, Money::ZERO);
        assert_eq!(year.payouts[0].amount, Money::ZERO);
    }
    // 13 590 + 30 = 13 620: 30 × 10 = 300 a year, all of it taken by the fee.
    let input = skuldsanering(kr(13_090), kr(13_620), &[kr(50_000)], None);
    let estimate = skuldsanering_estimate(&input, "").unwrap();
    assert_eq!(estimate.years[0].paid_in, kr(300));
    assert_eq!(estimate.years[0].fee, kr(300));
    assert_eq!(estimate.years[0].to_distribute, Money::ZERO);
    assert_eq!(estimate.total_unpaid, kr(50_000));
}

#[test]
fn a_share_above_what_is_owed_is_capped_and_split_again() {
    // 1 000 a year over debts still owing 0.01 and 5 000 by weights 1:1 (the
    // starting balances): the first would get 500 but is owed 0.01.
    let (first, paid) = split_capped(100_000, &[500_000, 500_000], &[1, 500_000]);
    assert_eq!(first, [50_000, 50_000]);
    assert_eq!(paid, [1, 99_999]);
    // Everything owed, exactly.
    let (_, paid) = split_capped(300, &[100, 200], &[100, 200]);
    assert_eq!(paid, [100, 200]);
    let (first, paid) = split_capped(0, &[100, 200], &[100, 200]);
    assert_eq!((first, paid), (vec![0, 0], vec![0, 0]));
}

#[test]
fn skuldsanering_input_is_checked() {
    let mut input = skuldsanering(kr(-1), kr(-1), &[kr(100), ore(-5)], Some(0));
    input.buffer = Some(ore(49_999));
    assert_eq!(
        fields(skuldsanering_estimate(&input, "s").unwrap_err()),
        [
            "s.protected_amount",
            "s.net_income",
            "s.buffer",
            "s.years",
            "s.debts[1].balance"
        ]
    );
    let input = skuldsanering(kr(1), kr(1), &[kr(1)], Some(SKULDSANERING_MAX_YEARS + 1));
    assert_eq!(
        fields(skuldsanering_estimate(&input, "").unwrap_err()),
        ["years"]
    );
    for years in [1, SKULDSANERING_MAX_YEARS] {
        let input = skuldsanering(kr(1), kr(1), &[kr(1)], Some(years));
        assert!(skuldsanering_estimate(&input, "").is_ok());
    }
    let mut input = skuldsanering(kr(1), kr(1), &[kr(1)], None);
    input.buffer = Some(kr(500));
    assert!(skuldsanering_estimate(&input, "").is_ok());
    let input = skuldsanering(kr(1), kr(1), &[Money::ZERO], None);
    assert_eq!(
        fields(skuldsanering_estimate(&input, "s").unwrap_err()),
        ["s.debts"]
    );
    let input = skuldsanering(kr(1), kr(1), &[], None);
    assert_eq!(
        fields(skuldsanering_estimate(&input, "s").unwrap_err()),
        ["s.debts"]
    );
}

proptest! {
    #[test]
    fn skuldsanering_payouts_sum_exactly_and_never_exceed_what_is_owed(
        protected in 0_i64..5_000_000,
        net_income in 0_i64..20_000_000,
        years in 1_u32..=10,
        weights in proptest::collection::vec(
            prop_oneof![Just(0_i64), 1_i64..1000, 1_i64..100_000_000_000],
            1..12,
        ),
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let amounts: Vec<Money> = weights.iter().map(|w| ore(*w)).collect();
        let input = skuldsanering(ore(protected), ore(net_income), &amounts, Some(years));
        let estimate = skuldsanering_estimate(&input, "").unwrap();
        prop_assert_eq!(estimate.years.len(), years as usize);
        let mut owed = weights.clone();
        for year in &estimate.years {
            let sum: Money = year.payouts.iter().map(|p| p.amount).sum();
            prop_assert_eq!(sum, year.distributed);
            prop_assert_eq!(year.distributed + year.undistributed, year.to_distribute);
            prop_assert_eq!(year.to_distribute + year.fee, year.paid_in);
            prop_assert!(!year.fee.is_negative() && !year.undistributed.is_negative());
            let still_owed: i64 = owed.iter().sum();
            let expected = year.to_distribute.to_ore().unwrap().min(still_owed);
            prop_assert_eq!(year.distributed, ore(expected));
            for (i, payout) in year.payouts.iter().enumerate() {
                let p = payout.amount.to_ore().unwrap();
                prop_assert!(p >= 0);
                prop_assert!(p <= owed[i]);
                owed[i] -= p;
            }
        }
        for (creditor, weight) in estimate.creditors.iter().zip(&weights) {
            prop_assert!(!creditor.unpaid.is_negative());
            prop_assert_eq!(creditor.received + creditor.unpaid, ore(*weight));
        }
        prop_assert_eq!(
            estimate.total_distributed + estimate.total_undistributed + estimate.total_fees,
            estimate.total_paid_in
        );
    }
}

// --- dröjsmålsränta ---------------------------------------------------------------------

fn late(principal: Money, from: NaiveDate, to: NaiveDate) -> LateInterestInput {
    LateInterestInput {
        principal,
        from_date: from,
        to_date: to,
    }
}

#[test]
fn both_end_dates_are_counted() {
    // docs/sources.md §4.4 and §7 example 11: 2021-01-01..2021-04-20 is 110 days.
    assert_eq!(days_inclusive(date(2021, 1, 1), date(2021, 4, 20)), 110);
    assert_eq!(days_inclusive(date(2024, 1, 1), date(2024, 1, 30)), 30);
    assert_eq!(days_inclusive(date(2024, 1, 1), date(2024, 1, 1)), 1);
    assert_eq!(days_inclusive(date(2024, 1, 2), date(2024, 1, 1)), 0);
}

#[test]
fn worked_example_7_drojsmalsranta_2024_h1() {
    // docs/sources.md §7 example 7: 10 000 × 0.12 × 30/365 = 98.63.
    let tables = referensranta_tables();
    let input = late(kr(10_000), date(2024, 1, 1), date(2024, 1, 30));
    let result = late_payment_interest(&input, &tables, "").unwrap();
    assert_eq!(result.days, 30);
    assert_eq!(result.periods.len(), 1);
    let period = &result.periods[0];
    assert_eq!(period.half_year.to_string(), "2024-H1");
    assert_eq!(period.days, 30);
    assert_eq!(period.referensranta, Rate::percent(dec!(4.00)));
    assert_eq!(period.rate, Rate::percent(dec!(12.00)));
    assert_eq!(period.interest, ore(9863));
    assert_eq!(result.total, ore(9863));
    assert_eq!(
        period.basis.arithmetic,
        "10 000 × (4.00 + 8) % × 30 / 365 = 98.63"
    );
    assert!(
        period
            .basis
            .source
            .starts_with("referensränta 2024-01-01–2024-06-30 (SFS 2023:954"),
        "{}",
        period.basis.source
    );
    assert_eq!(result.tables.len(), 1);
    assert!(!result.provisional);
}

#[test]
fn drojsmalsranta_is_split_at_half_year_boundaries() {
    let tables = referensranta_tables();
    // 2024-12-17..2025-01-15: 15 days at 12 % and 15 days at 11 %.
    // 10 000 × 0.12 × 15/365 = 49.315… → 49.32; 10 000 × 0.11 × 15/365 =
    // 45.205… → 45.21; total 94.53.
    let input = late(kr(10_000), date(2024, 12, 17), date(2025, 1, 15));
    let result = late_payment_interest(&input, &tables, "").unwrap();
    assert_eq!(result.days, 30);
    let summary: Vec<_> = result
        .periods
        .iter()
        .map(|p| (p.from, p.to, p.days, p.rate.as_decimal(), p.interest))
        .collect();
    assert_eq!(
        summary,
        [
            (
                date(2024, 12, 17),
                date(2024, 12, 31),
                15,
                dec!(12.00),
                ore(4932)
            ),
            (
                date(2025, 1, 1),
                date(2025, 1, 15),
                15,
                dec!(11.00),
                ore(4521)
            ),
        ]
    );
    assert_eq!(result.total, ore(9453));
    assert_eq!(result.basis.arithmetic, "49.32 + 45.21 = 94.53");
    assert_eq!(result.tables.len(), 2);

    // Across 1 July at an unchanged rate the periods are still rounded one by
    // one: 2 × 49.32 = 98.64, where 30 days in one period give 98.63.
    let input = late(kr(10_000), date(2024, 6, 16), date(2024, 7, 15));
    let result = late_payment_interest(&input, &tables, "").unwrap();
    let days: Vec<i64> = result.periods.iter().map(|p| p.days).collect();
    assert_eq!(days, [15, 15]);
    assert_eq!(result.total, ore(9864));

    // A whole year and more: one period per half-year, days adding up.
    let input = late(kr(6780), date(2023, 7, 1), date(2026, 6, 30));
    let result = late_payment_interest(&input, &tables, "").unwrap();
    assert_eq!(result.periods.len(), 6);
    let sum: i64 = result.periods.iter().map(|p| p.days).sum();
    assert_eq!(sum, result.days);
    assert_eq!(result.days, 1096);
    let total: Money = result.periods.iter().map(|p| p.interest).sum();
    assert_eq!(total, result.total);
}

#[test]
fn a_missing_referensranta_names_the_half_year() {
    let tables = referensranta_tables();
    // 2023-H1 has no table: never the 2023-H2 rate instead.
    let input = late(kr(10_000), date(2023, 6, 20), date(2023, 7, 10));
    assert_eq!(
        late_payment_interest(&input, &tables, "").unwrap_err(),
        DomainError::NormTableMissing {
            kind: NormKind::Referensranta,
            date: date(2023, 1, 1)
        }
    );
    // A gap in the middle: 2024-H2 removed.
    let gap: Vec<NormTable> = tables
        .into_iter()
        .filter(|t| t.id != "referensranta-2024-07")
        .collect();
    let input = late(kr(10_000), date(2024, 6, 1), date(2025, 2, 1));
    let error = late_payment_interest(&input, &gap, "").unwrap_err();
    assert_eq!(
        error,
        DomainError::NormTableMissing {
            kind: NormKind::Referensranta,
            date: date(2024, 7, 1)
        }
    );
    assert!(error.to_string().contains("2024-07-01"));
    assert!(!error.to_string().contains("10 000"));
}

#[test]
fn drojsmalsranta_input_is_checked() {
    let tables = referensranta_tables();
    let input = late(kr(-1), date(2024, 2, 1), date(2024, 1, 31));
    assert_eq!(
        fields(late_payment_interest(&input, &tables, "claim").unwrap_err()),
        ["claim.principal", "claim.to_date"]
    );
    // One day is fine; a zero principal is zero interest.
    let input = late(Money::ZERO, date(2024, 2, 1), date(2024, 2, 1));
    let result = late_payment_interest(&input, &tables, "").unwrap();
    assert_eq!(result.total, Money::ZERO);
    assert_eq!(result.days, 1);
}

#[test]
fn a_provisional_referensranta_is_flagged() {
    let mut tables = referensranta_tables();
    tables[1].status = TableStatus::Provisional;
    let input = late(kr(10_000), date(2024, 1, 1), date(2024, 1, 30));
    let result = late_payment_interest(&input, &tables, "").unwrap();
    assert!(result.provisional);
    assert!(result.warnings[0].contains("referensranta-2024-01"));
}

// --- the room for the offer ------------------------------------------------------

fn commitment(label: &str, amount: Money) -> Commitment {
    Commitment {
        label: label.to_owned(),
        source: format!("källa för {label}"),
        amount,
        paid_by_plan: None,
    }
}

#[test]
fn the_room_is_the_surplus_less_priority_payments_and_instalments_never_below_zero() {
    let input = RoomInput {
        surplus: kr(4937),
        surplus_source: "budget B för 2026-11".to_owned(),
        priority_payments: vec![commitment("elskuld", kr(600))],
        instalments: vec![commitment("avbetalning", kr(2000))],
    };
    let room = available_for_offer(&input);
    assert_eq!(room.amount, kr(2337));
    assert_eq!(room.basis.arithmetic, "max(0, 4 937 − 600 − 2 000) = 2 337");
    assert_eq!(room.basis.source, "budget B för 2026-11");
    let lines: Vec<(&str, Money)> = room
        .lines
        .iter()
        .map(|l| (l.label.as_str(), l.amount))
        .collect();
    assert_eq!(
        lines,
        [
            ("budgetens överskott", kr(4937)),
            ("elskuld", kr(-600)),
            ("avbetalning", kr(-2000)),
            ("tillgängligt för borgenärer utan förtur", kr(2337)),
        ]
    );
    // Each subtraction names its record.
    assert_eq!(room.lines[1].basis.source, "källa för elskuld");
    // The lines above the last sum to it while it is not negative.
    let steps: Money = room.lines[..3].iter().map(|l| l.amount).sum();
    assert_eq!(steps, room.amount);

    // More committed than the surplus, or a deficit: zero, never negative.
    let over = RoomInput {
        priority_payments: vec![commitment("elskuld", kr(4000))],
        ..input.clone()
    };
    let room = available_for_offer(&over);
    assert_eq!(room.amount, Money::ZERO);
    assert_eq!(room.basis.arithmetic, "max(0, 4 937 − 4 000 − 2 000) = 0");
    let deficit = RoomInput {
        surplus: kr(-250),
        priority_payments: Vec::new(),
        instalments: Vec::new(),
        ..input
    };
    let room = available_for_offer(&deficit);
    assert_eq!(room.amount, Money::ZERO);
    assert_eq!(room.basis.arithmetic, "max(0, -250) = 0");
    assert_eq!(room.lines.len(), 2);
}

#[test]
fn a_hyresskuld_paid_through_its_landlords_plan_is_not_subtracted_twice() {
    let landlord = OrganisationNumber::parse("556677-8899").unwrap();
    let other = OrganisationNumber::parse("212000-0142").unwrap();
    let unnamed = PlanDebt {
        landlord: landlord.clone(),
        debt_id: None,
    };
    let debt = Uuid::from_u128(1);
    // A plan that names no debt pays the hyresskuld to its landlord.
    assert!(paid_through_plan(
        debt,
        DebtKind::Hyresskuld,
        Some(&landlord),
        &unnamed
    ));
    assert!(!paid_through_plan(
        debt,
        DebtKind::Hyresskuld,
        Some(&other),
        &unnamed
    ));
    assert!(!paid_through_plan(
        debt,
        DebtKind::Hyresskuld,
        None,
        &unnamed
    ));
    assert!(!paid_through_plan(
        debt,
        DebtKind::Elskuld,
        Some(&landlord),
        &unnamed
    ));
    // A plan that names its debt pays that debt only, whatever the
    // creditor's organisationsnummer says.
    let named = PlanDebt {
        landlord: landlord.clone(),
        debt_id: Some(debt),
    };
    let second = Uuid::from_u128(2);
    assert!(paid_through_plan(
        debt,
        DebtKind::Hyresskuld,
        Some(&landlord),
        &named
    ));
    assert!(!paid_through_plan(
        second,
        DebtKind::Hyresskuld,
        Some(&landlord),
        &named
    ));
    assert!(paid_through_plan(debt, DebtKind::Hyresskuld, None, &named));
    assert!(paid_through_plan(
        debt,
        DebtKind::Hyresskuld,
        Some(&other),
        &named
    ));

    let mut rent = commitment("hyresskuld", kr(2000));
    rent.paid_by_plan = Some("avbetalningsplan P".to_owned());
    let room = available_for_offer(&RoomInput {
        surplus: kr(4937),
        surplus_source: "budget B".to_owned(),
        priority_payments: vec![rent, commitment("elskuld", kr(600))],
        instalments: vec![commitment("avbetalning", kr(2000))],
    });
    assert_eq!(room.amount, kr(2337));
    assert_eq!(room.basis.arithmetic, "max(0, 4 937 − 600 − 2 000) = 2 337");
    assert_eq!(room.lines[1].amount, Money::ZERO);
    assert_eq!(
        room.lines[1].basis.source,
        "källa för hyresskuld; avbetalningsplan P"
    );
    assert!(room.lines[1].basis.arithmetic.starts_with("2 000 ingår"));
}

// ---------------------------------------------------------------------------
// Payments settle debts (issue 18)
// ---------------------------------------------------------------------------

fn hyresskuld(balance: Money, status: DebtStatus) -> Debt {
    let at = DateTime::parse_from_rfc3339("2026-11-01T09:00:00Z")
        .expect("an instant")
        .with_timezone(&Utc);
    Debt {
        id: id(7),
        household_id: id(1),
        terms: DebtDraft {
            debtor_member_id: id(2),
            creditor_name: "Exempel Bostäder AB".into(),
            creditor_organisation_number: None,
            creditor_reference: "F-1".into(),
            creditor_address: None,
            kind: DebtKind::Hyresskuld,
            status,
            annual_interest_rate: Rate::from_hundredths(0),
            monthly_fee: Money::ZERO,
            agreed_monthly_payment: Money::ZERO,
        },
        balance,
        revision: 1,
        created_at: at,
        updated_at: at,
    }
}

#[test]
fn a_payment_settles_the_only_candidate_or_the_one_named() {
    use super::settle::settling_debt;
    assert_eq!(settling_debt(&[id(1)], None), Some(id(1)));
    assert_eq!(settling_debt(&[], None), None);
    // Several and none named: none.
    assert_eq!(settling_debt(&[id(1), id(2)], None), None);
    assert_eq!(settling_debt(&[id(1), id(2)], Some(id(2))), Some(id(2)));
    // A named debt that is no candidate (settled, another landlord's): none,
    // even when another candidate is the only one.
    assert_eq!(settling_debt(&[id(1)], Some(id(3))), None);
}

#[test]
fn a_payment_pays_down_at_most_the_balance_and_settles_at_zero() {
    use super::settle::payment_event;
    let debt = hyresskuld(kr(14_350), DebtStatus::Active);
    let (kind, part) = payment_event(&debt, kr(10_000)).expect("an event");
    assert_eq!(kind, DebtEventKind::Payment);
    assert_eq!(part.change, kr(-10_000));
    assert_eq!(part.balance, kr(4_350));
    assert_eq!(part.status, DebtStatus::Active);
    let (_, all) = payment_event(&debt, kr(14_350)).expect("an event");
    assert_eq!(all.balance, Money::ZERO);
    assert_eq!(all.status, DebtStatus::Settled);
    // More than the balance: the debt never goes below zero.
    let (_, more) = payment_event(&debt, kr(20_000)).expect("an event");
    assert_eq!(more.change, kr(-14_350));
    assert_eq!(more.status, DebtStatus::Settled);
    // Nothing to pay down.
    assert_eq!(
        payment_event(&hyresskuld(Money::ZERO, DebtStatus::Active), kr(1)),
        None
    );
    assert_eq!(
        payment_event(&hyresskuld(kr(5), DebtStatus::Settled), kr(1)),
        None
    );
}

#[test]
fn a_reversal_undoes_the_payment_and_reopens_a_settled_debt() {
    use super::settle::reversal_event;
    let settled = hyresskuld(Money::ZERO, DebtStatus::Settled);
    let (kind, back) = reversal_event(&settled, kr(-14_350));
    assert_eq!(kind, DebtEventKind::Correction);
    assert_eq!(back.change, kr(14_350));
    assert_eq!(back.balance, kr(14_350));
    assert_eq!(back.status, DebtStatus::Active);
    // A debt still open keeps its status (at Kronofogden, say).
    let (_, kept) = reversal_event(&hyresskuld(kr(100), DebtStatus::Kronofogden), kr(-50));
    assert_eq!(kept.balance, kr(150));
    assert_eq!(kept.status, DebtStatus::Kronofogden);
}

#[test]
fn any_event_that_brings_the_balance_to_zero_settles_the_debt() {
    let debt = hyresskuld(kr(800), DebtStatus::DebtCollection);
    for kind in [DebtEventKind::Payment, DebtEventKind::Correction] {
        let applied = apply_event(
            &debt,
            &NewDebtEvent {
                kind,
                date: date(2026, 11, 20),
                change: kr(-800),
                note: String::new(),
            },
        )
        .expect("applied");
        assert_eq!(applied.balance, Money::ZERO);
        assert_eq!(applied.status, DebtStatus::Settled, "{kind:?}");
    }
    let part = apply_event(
        &debt,
        &NewDebtEvent {
            kind: DebtEventKind::Payment,
            date: date(2026, 11, 20),
            change: kr(-300),
            note: String::new(),
        },
    )
    .expect("applied");
    assert_eq!(part.status, DebtStatus::DebtCollection);
}
