use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::domain::identity::OcrReference;

fn month() -> YearMonth {
    YearMonth::parse("2026-11").unwrap()
}

fn payout(kind: RentPaymentKind, amount_ore: i64, ocr: bool) -> PayoutDraft {
    PayoutDraft {
        lease_id: Uuid::from_u128(1),
        rent_month: month(),
        kind,
        amount: Money::from_ore(amount_ore),
        decision_reference: "BESLUT-1".to_owned(),
        ocr_reference: ocr.then(|| OcrReference::parse("1234567897", false).unwrap()),
        payout_date: NaiveDate::from_ymd_opt(2026, 10, 27).unwrap(),
    }
}

fn state(rent_ore: Option<i64>, paid_ore: i64) -> PayoutState {
    PayoutState {
        rent: rent_ore.map(Money::from_ore),
        requires_ocr: false,
        paid_as_rent: Money::from_ore(paid_ore),
        received_as_rent: Money::ZERO,
        newest_plan: Some(Uuid::from_u128(9)),
        // Enough open arrears for the arrears payouts below.
        open_arrears: Money::from_ore(1_000_000),
        end_month: None,
    }
}

/// The default ceiling, 100 000 kr.
fn limit() -> Money {
    Money::from_kronor(i64::from(DEFAULT_MAX_PAYOUT_KR))
}

fn reason(error: DomainError) -> &'static str {
    match error {
        DomainError::Refused { reason, .. } => reason,
        DomainError::Invalid(v) => {
            assert_eq!(
                v.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
                ["ocr_reference"]
            );
            "INVALID"
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn rent_payouts_fill_the_month_up_to_its_rent_and_no_further() {
    let draft = payout(RentPaymentKind::Rent, 300_000, false);
    assert_eq!(
        accept_payout(&draft, &state(Some(700_000), 400_000), limit()),
        Ok(None)
    );
    let refused = accept_payout(&draft, &state(Some(700_000), 400_001), limit()).unwrap_err();
    assert_eq!(reason(refused), "PAYOUT_EXCEEDS_RENT");
}

#[test]
fn arrears_payouts_count_towards_the_newest_plan_and_are_not_capped_by_the_rent() {
    let draft = payout(RentPaymentKind::Arrears, 900_000, false);
    assert_eq!(
        accept_payout(&draft, &state(Some(700_000), 700_000), limit()),
        Ok(Some(Uuid::from_u128(9)))
    );
}

#[test]
fn a_month_without_rent_and_a_missing_ocr_are_refused() {
    let draft = payout(RentPaymentKind::Rent, 100, false);
    assert_eq!(
        reason(accept_payout(&draft, &state(None, 0), limit()).unwrap_err()),
        "NO_RENT_FOR_MONTH"
    );
    let ocr_state = PayoutState {
        requires_ocr: true,
        ..state(Some(700_000), 0)
    };
    assert_eq!(
        reason(accept_payout(&draft, &ocr_state, limit()).unwrap_err()),
        "INVALID"
    );
    let with_ocr = payout(RentPaymentKind::Rent, 100, true);
    assert_eq!(accept_payout(&with_ocr, &ocr_state, limit()), Ok(None));
}

#[test]
fn receipts_need_a_month_with_rent_and_arrears_receipts_find_the_plan() {
    let receipt = |kind| ReceiptDraft {
        lease_id: Uuid::from_u128(1),
        rent_month: month(),
        kind,
        amount: Money::from_ore(1_000_000_000),
        paid_date: NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
        source: ReceiptSource::ClientReceipt,
    };
    let plan = Some(Uuid::from_u128(9));
    let rent = Some(Money::from_ore(700_000));
    assert_eq!(
        accept_receipt(&receipt(RentPaymentKind::Rent), rent, plan, None),
        Ok(None)
    );
    assert_eq!(
        accept_receipt(&receipt(RentPaymentKind::Arrears), rent, plan, None),
        Ok(plan)
    );
    let refused = accept_receipt(&receipt(RentPaymentKind::Rent), None, plan, None).unwrap_err();
    assert_eq!(reason(refused), "NO_RENT_FOR_MONTH");
    // The lease's last month takes receipts; the month after it none.
    let ended = |end: &str| YearMonth::parse(end);
    assert_eq!(
        accept_receipt(
            &receipt(RentPaymentKind::Rent),
            rent,
            plan,
            ended("2026-11")
        ),
        Ok(None)
    );
    let refused = accept_receipt(
        &receipt(RentPaymentKind::Arrears),
        rent,
        plan,
        ended("2026-10"),
    );
    assert_eq!(reason(refused.unwrap_err()), "LEASE_ENDED");
}

#[test]
fn no_payout_for_a_month_after_the_lease_ended() {
    let ended = |end: &str| PayoutState {
        end_month: YearMonth::parse(end),
        ..state(Some(700_000), 0)
    };
    for kind in [RentPaymentKind::Rent, RentPaymentKind::Arrears] {
        let draft = payout(kind, 100_000, false);
        assert!(accept_payout(&draft, &ended("2026-11"), limit()).is_ok());
        assert_eq!(
            reason(accept_payout(&draft, &ended("2026-10"), limit()).unwrap_err()),
            "LEASE_ENDED"
        );
    }
}

#[test]
fn a_payout_is_reversed_once() {
    assert_eq!(accept_reversal(false), Ok(()));
    assert_eq!(
        reason(accept_reversal(true).unwrap_err()),
        "ALREADY_REVERSED"
    );
}

#[test]
fn rent_receipts_count_against_the_rent_like_payouts() {
    let draft = payout(RentPaymentKind::Rent, 300_000, false);
    let with_receipt = |received_ore| PayoutState {
        received_as_rent: Money::from_ore(received_ore),
        ..state(Some(700_000), 100_000)
    };
    assert_eq!(
        accept_payout(&draft, &with_receipt(300_000), limit()),
        Ok(None)
    );
    let refused = accept_payout(&draft, &with_receipt(300_001), limit()).unwrap_err();
    assert_eq!(reason(refused), "PAYOUT_EXCEEDS_RENT");
    // A receipt of the whole rent leaves no room for any payout.
    let one_ore = payout(RentPaymentKind::Rent, 1, false);
    let paid = PayoutState {
        received_as_rent: Money::from_ore(700_000),
        ..state(Some(700_000), 0)
    };
    assert_eq!(
        reason(accept_payout(&one_ore, &paid, limit()).unwrap_err()),
        "PAYOUT_EXCEEDS_RENT"
    );
}

#[test]
fn arrears_payouts_need_open_arrears_and_stay_within_them() {
    let with_open = |open_ore| PayoutState {
        open_arrears: Money::from_ore(open_ore),
        ..state(Some(700_000), 0)
    };
    let draft = payout(RentPaymentKind::Arrears, 300_000, false);
    assert_eq!(
        reason(accept_payout(&draft, &with_open(0), limit()).unwrap_err()),
        "NO_OPEN_ARREARS"
    );
    assert_eq!(
        reason(accept_payout(&draft, &with_open(299_999), limit()).unwrap_err()),
        "PAYOUT_EXCEEDS_ARREARS"
    );
    assert_eq!(
        accept_payout(&draft, &with_open(300_000), limit()),
        Ok(Some(Uuid::from_u128(9)))
    );
}

#[test]
fn the_ceiling_comes_first_and_is_inclusive() {
    let at = payout(RentPaymentKind::Arrears, 10_000_000, false);
    let open = PayoutState {
        open_arrears: Money::from_ore(100_000_000),
        ..state(Some(700_000), 0)
    };
    assert_eq!(
        accept_payout(&at, &open, limit()),
        Ok(Some(Uuid::from_u128(9)))
    );
    let above = payout(RentPaymentKind::Arrears, 10_000_001, false);
    assert_eq!(
        reason(accept_payout(&above, &open, limit()).unwrap_err()),
        "PAYOUT_ABOVE_LIMIT"
    );
    // Before anything else, even a month without rent.
    let huge = payout(RentPaymentKind::Rent, 999_999_999_999_999, false);
    assert_eq!(
        reason(accept_payout(&huge, &state(None, 0), limit()).unwrap_err()),
        "PAYOUT_ABOVE_LIMIT"
    );
}

#[test]
fn a_payout_pays_at_most_the_month_after_its_payout_month() {
    let on = |date: NaiveDate, month: &str| PayoutDraft {
        payout_date: date,
        rent_month: YearMonth::parse(month).unwrap(),
        ..payout(RentPaymentKind::Rent, 100, false)
    };
    let ok = state(Some(700_000), 0);
    let december = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
    assert_eq!(
        accept_payout(&on(december, "2027-01"), &ok, limit()),
        Ok(None)
    );
    assert_eq!(
        accept_payout(&on(december, "2026-12"), &ok, limit()),
        Ok(None)
    );
    assert_eq!(
        accept_payout(&on(december, "2020-01"), &ok, limit()),
        Ok(None)
    );
    assert_eq!(
        reason(accept_payout(&on(december, "2027-02"), &ok, limit()).unwrap_err()),
        "RENT_MONTH_TOO_FAR_AHEAD"
    );
    let first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    assert_eq!(
        reason(accept_payout(&on(first, "2099-12"), &ok, limit()).unwrap_err()),
        "RENT_MONTH_TOO_FAR_AHEAD"
    );
}

#[test]
fn open_arrears_are_the_larger_of_plans_and_debts_never_their_sum() {
    let kr = |k: i64| Money::from_ore(k * 100);
    let plan = |arrears, paid| PlanArrears {
        arrears: kr(arrears),
        paid: kr(paid),
    };
    let debts = |balance, paid| DebtArrears {
        balance: kr(balance),
        paid_since: kr(paid),
    };
    assert_eq!(open_arrears(&[], debts(0, 0)), Money::ZERO);
    // Plans: what remains of each, a plan paid beyond its arrears counting
    // as nothing (not as a credit towards another).
    assert_eq!(
        open_arrears(&[plan(10_000, 4_000), plan(3_000, 5_000)], debts(0, 0)),
        kr(6_000)
    );
    // Debts: less what was paid since, never below zero.
    assert_eq!(open_arrears(&[], debts(8_000, 3_000)), kr(5_000));
    assert_eq!(open_arrears(&[], debts(8_000, 9_000)), Money::ZERO);
    // The same arrears as a plan and a debt: the larger, not the sum.
    assert_eq!(
        open_arrears(&[plan(10_000, 4_000)], debts(8_000, 0)),
        kr(8_000)
    );
    assert_eq!(
        open_arrears(&[plan(10_000, 0)], debts(8_000, 0)),
        kr(10_000)
    );
    // A plan paid in full for the debt's arrears: the plan's payments count
    // against the debt too, so nothing stays open to be paid twice.
    assert_eq!(
        open_arrears(&[plan(14_350, 14_350)], debts(14_350, 14_350)),
        Money::ZERO
    );
}

#[test]
fn overpaid_is_what_payouts_and_receipts_put_above_the_rent() {
    let kr = |k: i64| Money::from_ore(k * 100);
    assert_eq!(overpaid(kr(7_000), kr(0), kr(7_000)), Money::ZERO);
    assert_eq!(overpaid(kr(7_000), kr(7_000), kr(7_000)), kr(7_000));
    assert_eq!(overpaid(kr(7_000), kr(2_000), kr(100)), Money::ZERO);
}
