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
        newest_plan: Some(Uuid::from_u128(9)),
    }
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
        accept_payout(&draft, &state(Some(700_000), 400_000)),
        Ok(None)
    );
    let refused = accept_payout(&draft, &state(Some(700_000), 400_001)).unwrap_err();
    assert_eq!(reason(refused), "PAYOUT_EXCEEDS_RENT");
}

#[test]
fn arrears_payouts_count_towards_the_newest_plan_and_are_not_capped_by_the_rent() {
    let draft = payout(RentPaymentKind::Arrears, 900_000, false);
    assert_eq!(
        accept_payout(&draft, &state(Some(700_000), 700_000)),
        Ok(Some(Uuid::from_u128(9)))
    );
}

#[test]
fn a_month_without_rent_and_a_missing_ocr_are_refused() {
    let draft = payout(RentPaymentKind::Rent, 100, false);
    assert_eq!(
        reason(accept_payout(&draft, &state(None, 0)).unwrap_err()),
        "NO_RENT_FOR_MONTH"
    );
    let ocr_state = PayoutState {
        requires_ocr: true,
        ..state(Some(700_000), 0)
    };
    assert_eq!(
        reason(accept_payout(&draft, &ocr_state).unwrap_err()),
        "INVALID"
    );
    let with_ocr = payout(RentPaymentKind::Rent, 100, true);
    assert_eq!(accept_payout(&with_ocr, &ocr_state), Ok(None));
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
        accept_receipt(&receipt(RentPaymentKind::Rent), rent, plan),
        Ok(None)
    );
    assert_eq!(
        accept_receipt(&receipt(RentPaymentKind::Arrears), rent, plan),
        Ok(plan)
    );
    let refused = accept_receipt(&receipt(RentPaymentKind::Rent), None, plan).unwrap_err();
    assert_eq!(reason(refused), "NO_RENT_FOR_MONTH");
}

#[test]
fn a_payout_is_reversed_once() {
    assert_eq!(accept_reversal(false), Ok(()));
    assert_eq!(
        reason(accept_reversal(true).unwrap_err()),
        "ALREADY_REVERSED"
    );
}
