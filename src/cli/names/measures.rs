//! The follow-up's measures as people read them: a measure's Swedish
//! label (English with `--lang en`) from its wire code and dimension, used
//! by the CLI's table and the steering group's PDF report alike.

use super::display_name;
use super::words::{w, wf};
use crate::pb;

/// A measure's Swedish label.
pub fn label(m: &pb::FollowUpMeasure) -> String {
    let d = m.dimension.as_str();
    let upper = d.to_uppercase();
    let contract = || {
        display_name::<pb::ContractType>(
            pb::ContractType::from_str_name(&format!("CONTRACT_TYPE_{upper}")).unwrap_or_default()
                as i32,
        )
    };
    match (m.code.as_str(), d) {
        ("notices_received", _) => w("Underrättelser mottagna").to_owned(),
        ("notices_resolved", _) => wf(
            "Underrättelser lösta: {}",
            &[&display_name::<pb::NoticeResolution>(
                pb::NoticeResolution::from_str_name(&format!("NOTICE_RESOLUTION_{upper}"))
                    .unwrap_or_default() as i32,
            )],
        ),
        ("notices_resolved_within_deadline", _) => {
            w("Underrättelser lösta inom tidsfristen").to_owned()
        }
        ("notice_days_to_first_action_median", _) => {
            w("Dagar från underrättelse till första åtgärd (median)").to_owned()
        }
        ("notice_households_with_children", _) => {
            w("Hushåll med barn bland underrättelserna").to_owned()
        }
        ("plans_started", _) => w("Avbetalningsplaner påbörjade").to_owned(),
        ("plans_completed", _) => w("Avbetalningsplaner fullföljda").to_owned(),
        ("plans_broken", _) => w("Avbetalningsplaner brutna").to_owned(),
        ("instalments", "on_time") => w("Avbetalningar betalda i tid").to_owned(),
        ("instalments", "late") => w("Avbetalningar betalda för sent").to_owned(),
        ("instalments", "partly") => w("Avbetalningar delvis betalda").to_owned(),
        ("instalments", "missed") => w("Avbetalningar missade").to_owned(),
        ("payouts", _) => wf("Direktutbetalningar: {}", &[&payout_kind(&upper)]),
        ("payouts_sum", _) => wf("Direktutbetalningar, summa: {}", &[&payout_kind(&upper)]),
        ("payouts_rejected_by_bank", _) => w("Utbetalningar avvisade av banken").to_owned(),
        ("payouts_returned_by_bank", _) => w("Utbetalningar returnerade av banken").to_owned(),
        ("rent_status", _) => wf(
            "Hyran för månaden: {}",
            &[&display_name::<pb::RentCheckStatus>(
                pb::RentCheckStatus::from_str_name(&format!("RENT_CHECK_STATUS_{upper}"))
                    .unwrap_or_default() as i32,
            )],
        ),
        ("two_unpaid_months", _) => w("Hushåll med två obetalda månader i rad").to_owned(),
        ("households_by_contract_type", _) => wf("Hushåll per kontraktstyp: {}", &[&contract()]),
        ("ladder_moves_up", _) => w("Flyttar uppåt på boendetrappan").to_owned(),
        ("ladder_moves_down", _) => w("Flyttar nedåt på boendetrappan").to_owned(),
        ("stay_mean_months", _) => wf("Boendetid i månader, medel: {}", &[&contract()]),
        ("stay_median_months", _) => wf("Boendetid i månader, median: {}", &[&contract()]),
        ("debt_households", _) => w("Hushåll med registrerade skulder").to_owned(),
        ("debt_offer_households", _) => w("Hushåll med erbjudande till borgenärerna").to_owned(),
        ("skuldsanering_estimate_households", _) => {
            w("Hushåll med beräkning av skuldsanering").to_owned()
        }
        // A measure this build does not know: its code.
        (code, "") => code.to_owned(),
        (code, dimension) => format!("{code}: {dimension}"),
    }
}

fn payout_kind(upper: &str) -> String {
    display_name::<pb::RentPaymentKind>(
        pb::RentPaymentKind::from_str_name(&format!("RENT_PAYMENT_KIND_{upper}"))
            .unwrap_or_default() as i32,
    )
}
