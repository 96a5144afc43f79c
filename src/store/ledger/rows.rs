//! Ledger rows read back: payouts (with their reversal) and receipts.

use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::domain::calendar::YearMonth;
use crate::domain::identity::{Bankgiro, OcrReference, Plusgiro};
use crate::domain::lease::PaymentAccount;
use crate::domain::ledger::{
    PayoutDraft, PayoutReversal, ReceiptDraft, ReceiptSource, RentPaymentKind, RentPayout,
    RentReceipt,
};
use crate::store::StoreError;
use crate::store::sql::{corrupt, get_date, get_money, get_str, get_time, get_uuid};

pub(super) fn optional_uuid(row: &AnyRow, column: &str) -> Result<Option<Uuid>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| Uuid::parse_str(&t).map_err(|_| corrupt(column)))
        .transpose()
}

fn month(row: &AnyRow, column: &str) -> Result<YearMonth, StoreError> {
    YearMonth::parse(&get_str(row, column)?).ok_or_else(|| corrupt(column))
}

fn kind(row: &AnyRow) -> Result<RentPaymentKind, StoreError> {
    RentPaymentKind::from_str_opt(&get_str(row, "kind")?).ok_or_else(|| corrupt("kind"))
}

pub(super) fn payout_from_row(row: &AnyRow) -> Result<RentPayout, StoreError> {
    let payee = payee_from(
        row.try_get("payee_bankgiro")?,
        row.try_get("payee_plusgiro")?,
    )?;
    let ocr: Option<String> = row.try_get("ocr_reference")?;
    let ocr_reference = ocr
        .map(|o| OcrReference::parse(&o, false).map_err(|_| corrupt("ocr_reference")))
        .transpose()?;
    let reversal = match optional_uuid(row, "reversal_id")? {
        None => None,
        Some(id) => Some(PayoutReversal {
            id,
            reason: get_str(row, "reversal_reason")?,
            recorded_by: get_str(row, "reversal_by")?,
            recorded_at: get_time(row, "reversal_at")?,
        }),
    };
    Ok(RentPayout {
        id: get_uuid(row, "id")?,
        household_id: get_uuid(row, "household_id")?,
        draft: PayoutDraft {
            lease_id: get_uuid(row, "lease_id")?,
            rent_month: month(row, "rent_month")?,
            kind: kind(row)?,
            amount: get_money(row, "amount_ore")?,
            decision_reference: get_str(row, "decision_reference")?,
            ocr_reference,
            payout_date: get_date(row, "payout_date")?,
        },
        payee,
        plan_id: optional_uuid(row, "plan_id")?,
        recorded_by: get_str(row, "recorded_by")?,
        recorded_at: get_time(row, "recorded_at")?,
        reversal,
    })
}

pub(super) fn receipt_from_row(row: &AnyRow) -> Result<RentReceipt, StoreError> {
    Ok(RentReceipt {
        id: get_uuid(row, "id")?,
        household_id: get_uuid(row, "household_id")?,
        draft: ReceiptDraft {
            lease_id: get_uuid(row, "lease_id")?,
            rent_month: month(row, "rent_month")?,
            kind: kind(row)?,
            amount: get_money(row, "amount_ore")?,
            paid_date: get_date(row, "paid_date")?,
            source: ReceiptSource::from_str_opt(&get_str(row, "source")?)
                .ok_or_else(|| corrupt("source"))?,
        },
        plan_id: optional_uuid(row, "plan_id")?,
        recorded_by: get_str(row, "recorded_by")?,
        recorded_at: get_time(row, "recorded_at")?,
    })
}

pub(super) fn payee_from(
    bankgiro: Option<String>,
    plusgiro: Option<String>,
) -> Result<PaymentAccount, StoreError> {
    match (bankgiro, plusgiro) {
        (Some(bg), None) => Ok(PaymentAccount::Bankgiro(
            Bankgiro::parse(&bg).map_err(|_| corrupt("payee_bankgiro"))?,
        )),
        (None, Some(pg)) => Ok(PaymentAccount::Plusgiro(
            Plusgiro::parse(&pg).map_err(|_| corrupt("payee_plusgiro"))?,
        )),
        _ => Err(corrupt("payee_bankgiro")),
    }
}
