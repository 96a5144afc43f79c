//! The counsellor's case end to end (issue 18, items 1 and 2): payments
//! settle the household's hyresskuld and resolve the eviction-risk notice
//! they pay, a reversal undoes both, and a replay adds nothing twice; on
//! both backends, through gRPC.

use tonic::Code;

use budgetrad::pb;

use crate::helpers::*;
use crate::leases::{amount, landlord, lease, months, plan, terms};
use crate::payouts::{payout, receipt, record, reverse};

pub(crate) type Debts = pb::debt_service_client::DebtServiceClient<Authed>;

/// A single parent and a child: (household id, the parent's member id).
pub(crate) async fn single_parent(app: &TestApp, serial: u32) -> (String, String) {
    let h = crate::case_offer::single_parent(app, serial).await;
    let parent = h.members[0].id.clone();
    (h.id, parent)
}

/// A debt of `kind`; a hyresskuld is to the test landlord (556677-8899), the
/// others to creditors without an organisationsnummer.
pub(crate) async fn debt(
    client: &mut Debts,
    household_id: &str,
    member: &str,
    kind: pb::DebtKind,
    balance: &str,
) -> pb::Debt {
    let org = if kind == pb::DebtKind::Rent {
        "556677-8899"
    } else {
        ""
    };
    client
        .create_debt(pb::CreateDebtRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt: Some(pb::Debt {
                household_id: household_id.into(),
                debtor_member_id: member.into(),
                creditor_name: "Exempel Bostäder AB".into(),
                creditor_organisation_number: org.into(),
                creditor_reference: "F-1801".into(),
                kind: kind as i32,
                status: pb::DebtStatus::Active as i32,
                balance: money(balance),
                annual_interest_rate: "0".into(),
                monthly_fee: money("0"),
                agreed_monthly_payment: money("0"),
                ..Default::default()
            }),
            balance_date: "2026-11-01".into(),
        })
        .await
        .expect("created")
        .into_inner()
        .debt
        .expect("a debt")
}

pub(crate) async fn get_debt(client: &mut Debts, id: &str) -> pb::Debt {
    client
        .get_debt(pb::GetDebtRequest { id: id.into() })
        .await
        .expect("a debt")
        .into_inner()
        .debt
        .expect("a debt")
}

pub(crate) async fn events(client: &mut Debts, debt_id: &str) -> Vec<pb::DebtEvent> {
    client
        .list_debt_events(pb::ListDebtEventsRequest {
            debt_id: debt_id.into(),
            ..Default::default()
        })
        .await
        .expect("listed")
        .into_inner()
        .events
}

/// The household's notices, resolved ones too.
pub(crate) async fn notices(
    rent: &mut crate::leases::Client,
    household_id: &str,
) -> Vec<pb::EvictionNotice> {
    rent.list_eviction_notices(pb::ListEvictionNoticesRequest {
        household_id: household_id.into(),
        include_resolved: true,
        ..Default::default()
    })
    .await
    .expect("listed")
    .into_inner()
    .notices
}

pub(crate) async fn notice(
    rent: &mut crate::leases::Client,
    lease_id: &str,
    served: &str,
    owed: &str,
) -> pb::EvictionNotice {
    rent.create_eviction_notice(pb::CreateEvictionNoticeRequest {
        notice: Some(pb::EvictionNotice {
            lease_id: lease_id.into(),
            served_date: served.into(),
            amount_owed: money(owed),
            ..Default::default()
        }),
    })
    .await
    .expect("recorded")
    .into_inner()
    .notice
    .expect("a notice")
}

fn status(d: &pb::Debt) -> pb::DebtStatus {
    pb::DebtStatus::try_from(d.status).expect("a status")
}

#[tokio::test]
async fn the_arrears_payout_settles_the_hyresskuld_and_the_notice_and_its_reversal_undoes_them() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Arrears;
        let (h, parent) = single_parent(&app, 981).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        let hyresskuld = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "14350").await;
        let credit = debt(
            &mut debts,
            &h,
            &parent,
            pb::DebtKind::ConsumerCredit,
            "23000",
        )
        .await;
        let csn = debt(&mut debts, &h, &parent, pb::DebtKind::Csn, "5400").await;
        let served = notice(&mut rent, &lease.id, "2026-11-10", "14350").await;
        assert_eq!(served.state, pb::NoticeState::Open as i32);
        let plan = plan(
            &mut rent,
            &lease.id,
            terms("14350", "2026-12", months(3)),
            0,
        )
        .await;

        let mut payouts = app.payouts();
        let request = payout(&lease.id, "2026-10", Arrears, "14350");
        let paid = record(&mut payouts, request.clone()).await;
        assert_eq!(paid.plan_id, plan.id);

        // The hyresskuld is settled by a payment event whose evidence is the
        // payout.
        let settled = get_debt(&mut debts, &hyresskuld.id).await;
        assert_eq!(amount(&settled.balance), "0.00");
        assert_eq!(status(&settled), pb::DebtStatus::Settled);
        let history = events(&mut debts, &hyresskuld.id).await;
        assert_eq!(history.len(), 2);
        let payment = &history[1];
        assert_eq!(payment.kind, pb::DebtEventKind::Payment as i32);
        assert_eq!(amount(&payment.change), "-14350.00");
        assert_eq!(amount(&payment.balance_after), "0.00");
        assert_eq!(payment.evidence_id, paid.id);
        assert_eq!(payment.date, "2026-11-20");
        // The other debts are untouched.
        for other in [&credit, &csn] {
            assert_eq!(get_debt(&mut debts, &other.id).await, *other);
            assert_eq!(events(&mut debts, &other.id).await.len(), 1);
        }
        // The notice is resolved as paid within its deadline, by the payout.
        let resolved = notices(&mut rent, &h).await;
        assert_eq!(resolved.len(), 1);
        assert_eq!(
            resolved[0].resolution,
            pb::NoticeResolution::PaidWithinDeadline as i32
        );
        assert_eq!(resolved[0].evidence_ids, std::slice::from_ref(&paid.id));
        assert_eq!(resolved[0].state, pb::NoticeState::Resolved as i32);
        assert_eq!(resolved[0].resolved_date, "2026-11-22");
        // Off the urgent list.
        let open = rent
            .list_eviction_notices(pb::ListEvictionNoticesRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .notices;
        assert!(open.is_empty());

        // A replay returns the first payout and adds nothing.
        let again = record(&mut payouts, request).await;
        assert_eq!(again.id, paid.id);
        assert_eq!(events(&mut debts, &hyresskuld.id).await, history);

        // The reversal records the opposite event: the debt is active again
        // with its balance, and the notice is open again.
        let reversal = reverse(&paid.id);
        let reversed = payouts
            .reverse_rent_payout(reversal.clone())
            .await
            .expect("reversed")
            .into_inner()
            .payout
            .expect("a payout");
        let reversal_id = reversed.reversal.expect("a reversal").id;
        let reopened = get_debt(&mut debts, &hyresskuld.id).await;
        assert_eq!(amount(&reopened.balance), "14350.00");
        assert_eq!(status(&reopened), pb::DebtStatus::Active);
        let history = events(&mut debts, &hyresskuld.id).await;
        assert_eq!(history.len(), 3);
        assert_eq!(history[2].kind, pb::DebtEventKind::Correction as i32);
        assert_eq!(amount(&history[2].change), "14350.00");
        assert_eq!(history[2].evidence_id, reversal_id);
        let notice_now = notices(&mut rent, &h).await;
        assert_eq!(
            notice_now[0].resolution,
            pb::NoticeResolution::Unspecified as i32
        );
        assert!(notice_now[0].evidence_ids.is_empty());
        assert_eq!(notice_now[0].state, pb::NoticeState::Open as i32);
        // A replayed reversal adds nothing either.
        payouts
            .reverse_rent_payout(reversal)
            .await
            .expect("replayed");
        assert_eq!(events(&mut debts, &hyresskuld.id).await, history);
    })
    .await;
}

#[tokio::test]
async fn a_receipt_and_a_plan_payment_settle_the_debt_and_pay_the_notice_together() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::{Arrears, Rent};
        let (h, parent) = single_parent(&app, 982).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        let hyresskuld = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "14350").await;
        notice(&mut rent, &lease.id, "2026-11-10", "14350").await;
        let plan = plan(
            &mut rent,
            &lease.id,
            terms("14350", "2026-12", months(3)),
            0,
        )
        .await;
        let mut payouts = app.payouts();

        // An ongoing-rent receipt pays no debt.
        payouts
            .record_rent_receipt(receipt(&lease.id, "2026-11", Rent, "7900"))
            .await
            .expect("a receipt");
        assert_eq!(events(&mut debts, &hyresskuld.id).await.len(), 1);

        let part = payouts
            .record_rent_receipt(receipt(&lease.id, "2026-10", Arrears, "10000"))
            .await
            .expect("a receipt")
            .into_inner()
            .receipt
            .expect("a receipt");
        let paid_down = get_debt(&mut debts, &hyresskuld.id).await;
        assert_eq!(amount(&paid_down.balance), "4350.00");
        assert_eq!(status(&paid_down), pb::DebtStatus::Active);
        let history = events(&mut debts, &hyresskuld.id).await;
        assert_eq!(history[1].evidence_id, part.id);
        assert_eq!(amount(&history[1].change), "-10000.00");
        // Not yet paid in full: the notice stays open.
        let open = notices(&mut rent, &h).await;
        assert_eq!(open[0].resolution, pb::NoticeResolution::Unspecified as i32);

        let payment = pb::RecordPlanPaymentRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            plan_id: plan.id.clone(),
            date: "2026-11-22".into(),
            amount: money("4350"),
        };
        let after = rent
            .record_plan_payment(payment.clone())
            .await
            .expect("recorded")
            .into_inner()
            .plan
            .expect("a plan");
        let on_plan = after
            .payments
            .iter()
            .find(|p| p.source == pb::PlanPaymentSource::Plan as i32)
            .expect("the plan payment")
            .id
            .clone();
        let settled = get_debt(&mut debts, &hyresskuld.id).await;
        assert_eq!(amount(&settled.balance), "0.00");
        assert_eq!(status(&settled), pb::DebtStatus::Settled);
        let history = events(&mut debts, &hyresskuld.id).await;
        assert_eq!(history.len(), 3);
        assert_eq!(history[2].kind, pb::DebtEventKind::Payment as i32);
        assert_eq!(history[2].evidence_id, on_plan);
        let resolved = notices(&mut rent, &h).await;
        assert_eq!(
            resolved[0].resolution,
            pb::NoticeResolution::PaidWithinDeadline as i32
        );
        assert_eq!(resolved[0].evidence_ids, [part.id.clone(), on_plan.clone()]);

        // A replayed plan payment records nothing twice.
        rent.record_plan_payment(payment).await.expect("replayed");
        assert_eq!(events(&mut debts, &hyresskuld.id).await, history);
    })
    .await;
}

#[tokio::test]
async fn with_several_hyresskuld_debts_the_plan_names_the_one_its_payments_settle() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Arrears;
        let (h, parent) = single_parent(&app, 983).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        let older = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "6000").await;
        let newer = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "4000").await;
        let credit = debt(
            &mut debts,
            &h,
            &parent,
            pb::DebtKind::ConsumerCredit,
            "9000",
        )
        .await;
        let plan = plan(
            &mut rent,
            &lease.id,
            terms("10000", "2026-12", months(5)),
            0,
        )
        .await;
        assert_eq!(plan.debt_id, "");
        let mut payouts = app.payouts();

        // Two candidates and none named: the payment is recorded, no debt
        // event is.
        payouts
            .record_rent_receipt(receipt(&lease.id, "2026-10", Arrears, "1000"))
            .await
            .expect("a receipt");
        assert_eq!(events(&mut debts, &older.id).await.len(), 1);
        assert_eq!(events(&mut debts, &newer.id).await.len(), 1);

        // A debt that is no hyresskuld to the landlord is refused, and the
        // plan keeps naming nothing.
        let bad = rent
            .set_rent_payment_plan_debt(pb::SetRentPaymentPlanDebtRequest {
                plan_id: plan.id.clone(),
                debt_id: credit.id.clone(),
            })
            .await
            .expect_err("not a hyresskuld");
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert_eq!(field_violations(&bad), ["debt_id"]);
        let unchanged = rent
            .get_rent_payment_plan(pb::GetRentPaymentPlanRequest {
                id: plan.id.clone(),
                on_date: String::new(),
            })
            .await
            .expect("a plan")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(unchanged.debt_id, "");

        let named = rent
            .set_rent_payment_plan_debt(pb::SetRentPaymentPlanDebtRequest {
                plan_id: plan.id.clone(),
                debt_id: newer.id.clone(),
            })
            .await
            .expect("named")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(named.debt_id, newer.id);
        let receipt = payouts
            .record_rent_receipt(receipt(&lease.id, "2026-10", Arrears, "1500"))
            .await
            .expect("a receipt")
            .into_inner()
            .receipt
            .expect("a receipt");
        assert_eq!(receipt.plan_id, plan.id);
        assert_eq!(events(&mut debts, &older.id).await.len(), 1);
        let newer_now = get_debt(&mut debts, &newer.id).await;
        assert_eq!(amount(&newer_now.balance), "2500.00");
        let history = events(&mut debts, &newer.id).await;
        assert_eq!(history[1].evidence_id, receipt.id);

        // A plan may name its debt when it is created.
        let second = rent
            .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
                request_id: uuid::Uuid::new_v4().to_string(),
                lease_id: lease.id.clone(),
                terms: terms("6000", "2027-01", months(6)),
                broken_after_missed: 0,
                debt_id: older.id.clone(),
            })
            .await
            .expect("a plan")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(second.debt_id, older.id);
        let paid = record(&mut payouts, payout(&lease.id, "2026-10", Arrears, "6000")).await;
        assert_eq!(paid.plan_id, second.id);
        let older_now = get_debt(&mut debts, &older.id).await;
        assert_eq!(status(&older_now), pb::DebtStatus::Settled);
        assert_eq!(events(&mut debts, &older.id).await[1].evidence_id, paid.id);
    })
    .await;
}

#[tokio::test]
async fn a_debt_paid_to_zero_through_events_is_settled() {
    on_each_backend(|app| async move {
        let (h, parent) = single_parent(&app, 984).await;
        let mut debts = app.debts();
        let d = debt(&mut debts, &h, &parent, pb::DebtKind::Csn, "800").await;
        let event = |amount: &str| pb::RecordDebtEventRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt_id: d.id.clone(),
            kind: pb::DebtEventKind::Payment as i32,
            date: "2026-11-20".into(),
            amount: money(amount),
            note: String::new(),
        };
        let part = debts
            .record_debt_event(event("300"))
            .await
            .expect("recorded")
            .into_inner()
            .debt
            .expect("a debt");
        assert_eq!(status(&part), pb::DebtStatus::Active);
        let rest = debts
            .record_debt_event(event("500"))
            .await
            .expect("recorded")
            .into_inner();
        let paid = rest.debt.expect("a debt");
        assert_eq!(amount(&paid.balance), "0.00");
        assert_eq!(status(&paid), pb::DebtStatus::Settled);
        assert_eq!(rest.event.expect("an event").evidence_id, "");
        // Settled: it takes no more events.
        let refused = debts
            .record_debt_event(event("1"))
            .await
            .expect_err("settled");
        assert_eq!(refused.code(), Code::FailedPrecondition);
        assert_eq!(error_reason(&refused).as_deref(), Some("DEBT_SETTLED"));
        assert_eq!(events(&mut debts, &d.id).await.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn a_notice_whose_deadline_passed_unpaid_stays_listed_as_deadline_passed() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Arrears;
        let (h, parent) = single_parent(&app, 985).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "7900").await;
        // Served 2026-10-16: the deadline passed before 2026-11-22.
        let late = notice(&mut rent, &lease.id, "2026-10-16", "7900").await;
        assert!(late.deadline.as_str() < "2026-11-22", "{}", late.deadline);
        assert_eq!(late.state, pb::NoticeState::DeadlinePassed as i32);

        // Paid in full, but after the deadline: not paid within it.
        let mut payouts = app.payouts();
        record(&mut payouts, payout(&lease.id, "2026-10", Arrears, "7900")).await;
        let listed = rent
            .list_eviction_notices(pb::ListEvictionNoticesRequest {
                household_id: h.clone(),
                ..Default::default()
            })
            .await
            .expect("listed")
            .into_inner()
            .notices;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].state, pb::NoticeState::DeadlinePassed as i32);
        assert_eq!(
            listed[0].resolution,
            pb::NoticeResolution::Unspecified as i32
        );

        // Until a case worker resolves it.
        let resolved = rent
            .resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
                id: late.id.clone(),
                resolution: pb::NoticeResolution::Paid as i32,
                resolved_date: String::new(),
                note: String::new(),
            })
            .await
            .expect("resolved")
            .into_inner()
            .notice
            .expect("a notice");
        assert_eq!(resolved.state, pb::NoticeState::Resolved as i32);
        // PAID_WITHIN_DEADLINE is the service's to set.
        let other = notice(&mut rent, &lease.id, "2026-11-16", "100").await;
        let bad = rent
            .resolve_eviction_notice(pb::ResolveEvictionNoticeRequest {
                id: other.id,
                resolution: pb::NoticeResolution::PaidWithinDeadline as i32,
                resolved_date: String::new(),
                note: String::new(),
            })
            .await
            .expect_err("set by payments only");
        assert_eq!(field_violations(&bad), ["resolution"]);
    })
    .await;
}

/// A debt of the counsellor's case: (kind, status, creditor,
/// organisationsnummer, balance, agreed monthly payment).
async fn case_debt(
    client: &mut Debts,
    household_id: &str,
    member: &str,
    (kind, status, creditor, org, balance, agreed): (
        pb::DebtKind,
        pb::DebtStatus,
        &str,
        &str,
        &str,
        &str,
    ),
) -> pb::Debt {
    client
        .create_debt(pb::CreateDebtRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt: Some(pb::Debt {
                household_id: household_id.into(),
                debtor_member_id: member.into(),
                creditor_name: creditor.into(),
                creditor_organisation_number: org.into(),
                creditor_reference: "F-1802".into(),
                kind: kind as i32,
                status: status as i32,
                balance: money(balance),
                annual_interest_rate: "0".into(),
                monthly_fee: money("0"),
                agreed_monthly_payment: money(agreed),
                ..Default::default()
            }),
            balance_date: "2026-11-01".into(),
        })
        .await
        .expect("created")
        .into_inner()
        .debt
        .expect("a debt")
}

/// The story, through gRPC: a single parent with a saved budget
/// (surplus 4 937), rent arrears of 14 350 on the lease, an eviction-risk
/// notice, four debts (the hyresskuld, an underhållsskuld at Kronofogden
/// paid 800 a month, CSN, an sms-lån) and a plan naming the hyresskuld.
/// Before the arrears payout the offer is surplus − priority payments − the
/// instalment due that month; after it the debt is settled, the plan
/// completed, the notice paid within its deadline, and the offer is surplus
/// − priority payments.
#[tokio::test]
async fn the_counsellor_case_from_arrears_to_an_offer_that_leaves_room() {
    on_each_backend(|app| async move {
        use crate::case_offer::{budget_with_surplus_4937, instalment, line_view};
        use pb::DebtKind::{Csn, Maintenance, Rent, SmsLoan};
        use pb::DebtStatus::{Active, Kronofogden};
        let (h, parent) = single_parent(&app, 986).await;
        let budget_id = budget_with_surplus_4937(&app, &h).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        // The hyresskuld's agreed 2 000 is the plan's instalment.
        let hyresskuld = case_debt(
            &mut debts,
            &h,
            &parent,
            (
                Rent,
                Active,
                "Exempel Bostäder AB",
                "556677-8899",
                "14350",
                "2000",
            ),
        )
        .await;
        let underhall = case_debt(
            &mut debts,
            &h,
            &parent,
            (
                Maintenance,
                Kronofogden,
                "Försäkringskassan",
                "",
                "9600",
                "800",
            ),
        )
        .await;
        let csn = case_debt(
            &mut debts,
            &h,
            &parent,
            (Csn, Active, "Centrala studiestödsnämnden", "", "30000", "0"),
        )
        .await;
        let sms = case_debt(
            &mut debts,
            &h,
            &parent,
            (SmsLoan, Active, "Exempel Snabblån AB", "", "10000", "0"),
        )
        .await;
        // Served 2026-11-10: three weeks later is Tuesday 2026-12-01.
        let served = notice(&mut rent, &lease.id, "2026-11-10", "14350").await;
        assert_eq!(served.deadline, "2026-12-01");
        // 14 350 at 2 000 a month from 2026-12, naming the hyresskuld: the
        // first instalment (for 2026-12) falls due on 2026-11-30.
        let plan = rent
            .create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
                request_id: uuid::Uuid::new_v4().to_string(),
                lease_id: lease.id.clone(),
                terms: terms("14350", "2026-12", instalment("2000")),
                broken_after_missed: 0,
                debt_id: hyresskuld.id.clone(),
            })
            .await
            .expect("a plan")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(plan.debt_id, hyresskuld.id);
        assert_eq!(plan.instalments[0].due_date, "2026-11-30");

        let overview = |debts: &mut Debts| {
            let request = pb::GetDebtOverviewRequest {
                household_id: h.clone(),
                date: "2026-11-25".into(),
                available_monthly_amount: None,
            };
            let mut debts = debts.clone();
            async move {
                debts
                    .get_debt_overview(request)
                    .await
                    .expect("an overview")
                    .into_inner()
            }
        };
        let shares = |r: &pb::GetDebtOverviewResponse| -> Vec<(String, String)> {
            r.offer
                .iter()
                .map(|s| (s.debt_id.clone(), amount(&s.monthly_amount).to_owned()))
                .collect()
        };
        let source = |r: &pb::GetDebtOverviewResponse, i: usize| {
            r.available_lines[i]
                .basis
                .as_ref()
                .map(|b| b.source.clone())
                .unwrap_or_default()
        };

        // Before: 4 937 − 800 (underhållsskuld) − 2 000 (the instalment due
        // 2026-11-30) = 2 137; the hyresskuld's agreed payment is the plan's
        // instalment, shown at 0 and not subtracted twice.
        let before = overview(&mut debts).await;
        assert_eq!(amount(&before.available_monthly_amount), "2137.00");
        assert_eq!(
            line_view(&before.available_lines),
            [
                ("budgetens överskott".to_owned(), "4937.00".to_owned()),
                (
                    "avtalad betalning, hyresskuld (Exempel Bostäder AB)".to_owned(),
                    "0.00".to_owned()
                ),
                (
                    "avtalad betalning, underhållsskuld (Försäkringskassan)".to_owned(),
                    "-800.00".to_owned()
                ),
                (
                    "avbetalning på hyresskuld för 2026-12, förfaller 2026-11-30".to_owned(),
                    "-2000.00".to_owned()
                ),
                (
                    "tillgängligt för borgenärer utan förtur".to_owned(),
                    "2137.00".to_owned()
                ),
            ]
        );
        let basis = before.available_basis.clone().expect("a basis");
        assert_eq!(basis.arithmetic, "max(0, 4 937 − 800 − 2 000) = 2 137");
        assert!(basis.source.contains(&budget_id), "{basis:?}");
        assert_eq!(
            source(&before, 1),
            format!("skuld {}; avbetalningsplan {}", hyresskuld.id, plan.id)
        );
        assert_eq!(source(&before, 2), format!("skuld {}", underhall.id));
        assert_eq!(source(&before, 3), format!("avbetalningsplan {}", plan.id));
        // 30 000 / 40 000 × 2 137 and 10 000 / 40 000 × 2 137.
        assert_eq!(
            shares(&before),
            [
                (csn.id.clone(), "1602.75".to_owned()),
                (sms.id.clone(), "534.25".to_owned()),
            ]
        );

        // The 14 350 kr arrears payout, dated 2026-11-20.
        let mut payouts = app.payouts();
        let paid = record(
            &mut payouts,
            payout(&lease.id, "2026-10", pb::RentPaymentKind::Arrears, "14350"),
        )
        .await;
        assert_eq!(paid.plan_id, plan.id);

        // The hyresskuld is settled by a payment event whose evidence is the
        // payout.
        let settled = get_debt(&mut debts, &hyresskuld.id).await;
        assert_eq!(amount(&settled.balance), "0.00");
        assert_eq!(status(&settled), pb::DebtStatus::Settled);
        let history = events(&mut debts, &hyresskuld.id).await;
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].kind, pb::DebtEventKind::Payment as i32);
        assert_eq!(amount(&history[1].change), "-14350.00");
        assert_eq!(amount(&history[1].balance_after), "0.00");
        assert_eq!(history[1].evidence_id, paid.id);
        // The other three debts are untouched.
        for other in [&underhall, &csn, &sms] {
            assert_eq!(get_debt(&mut debts, &other.id).await, *other);
        }
        // The plan is completed.
        let completed = rent
            .get_rent_payment_plan(pb::GetRentPaymentPlanRequest {
                id: plan.id.clone(),
                on_date: "2026-11-25".into(),
            })
            .await
            .expect("a plan")
            .into_inner()
            .plan
            .expect("a plan");
        assert_eq!(completed.state, pb::PlanState::Completed as i32);
        assert_eq!(amount(&completed.outstanding), "0.00");
        // The notice is resolved as paid within its deadline, by the payout.
        let resolved = notices(&mut rent, &h).await;
        assert_eq!(resolved.len(), 1);
        assert_eq!(resolved[0].id, served.id);
        assert_eq!(resolved[0].state, pb::NoticeState::Resolved as i32);
        assert_eq!(
            resolved[0].resolution,
            pb::NoticeResolution::PaidWithinDeadline as i32
        );
        assert_eq!(resolved[0].evidence_ids, std::slice::from_ref(&paid.id));

        // After: neither the debt nor the instalment is counted; 4 937 − 800
        // = 4 137, split 3 102.75 and 1 034.25.
        let after = overview(&mut debts).await;
        assert_eq!(amount(&after.available_monthly_amount), "4137.00");
        assert_eq!(
            line_view(&after.available_lines),
            [
                ("budgetens överskott".to_owned(), "4937.00".to_owned()),
                (
                    "avtalad betalning, underhållsskuld (Försäkringskassan)".to_owned(),
                    "-800.00".to_owned()
                ),
                (
                    "tillgängligt för borgenärer utan förtur".to_owned(),
                    "4137.00".to_owned()
                ),
            ]
        );
        let basis = after.available_basis.clone().expect("a basis");
        assert_eq!(basis.arithmetic, "max(0, 4 937 − 800) = 4 137");
        assert!(basis.source.contains(&budget_id), "{basis:?}");
        assert_eq!(source(&after, 1), format!("skuld {}", underhall.id));
        assert!(
            after.priority_debts.iter().all(|d| d.id != hyresskuld.id),
            "{:?}",
            after.priority_debts
        );
        assert_eq!(
            shares(&after),
            [
                (csn.id.clone(), "3102.75".to_owned()),
                (sms.id.clone(), "1034.25".to_owned()),
            ]
        );
    })
    .await;
}

/// The audit rows naming `record_id` written by `method` (its short name),
/// oldest first: (replay, records).
async fn audit_naming(app: &TestApp, record_id: &str, method: &str) -> Vec<(bool, Vec<String>)> {
    app.audit()
        .list_audit_events(pb::ListAuditEventsRequest {
            record_id: record_id.into(),
            ..Default::default()
        })
        .await
        .expect("the audit trail")
        .into_inner()
        .events
        .into_iter()
        .filter(|e| e.method.ends_with(&format!("/{method}")))
        .map(|e| (e.replay, e.records))
        .collect()
}

#[tokio::test]
async fn the_audit_rows_of_payments_name_the_debt_events_and_notices_they_wrote() {
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Arrears;
        let (h, parent) = single_parent(&app, 987).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        let hyresskuld = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "14350").await;
        let served = notice(&mut rent, &lease.id, "2026-11-10", "14350").await;
        let plan = plan(
            &mut rent,
            &lease.id,
            terms("14350", "2026-12", months(3)),
            0,
        )
        .await;
        let debt_ref = format!("debt:{}", hyresskuld.id);
        let notice_ref = format!("notice:{}", served.id);
        let mut payouts = app.payouts();

        // A receipt that pays part: its row names the debt and the event,
        // and no notice (it stays open).
        let part = payouts
            .record_rent_receipt(receipt(&lease.id, "2026-10", Arrears, "10000"))
            .await
            .expect("a receipt")
            .into_inner()
            .receipt
            .expect("a receipt");
        let first = events(&mut debts, &hyresskuld.id).await[1].id.clone();
        let rows = audit_naming(&app, &first, "RecordRentReceipt").await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(rows[0].1.contains(&format!("receipt:{}", part.id)));
        assert!(rows[0].1.contains(&debt_ref), "{rows:?}");
        assert!(rows[0].1.contains(&format!("debt_event:{first}")));
        assert!(!rows[0].1.contains(&notice_ref), "{rows:?}");

        // The plan payment that pays the rest: its row names the event and
        // the notice it resolved.
        let payment = pb::RecordPlanPaymentRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            plan_id: plan.id.clone(),
            date: "2026-11-21".into(),
            amount: money("4350"),
        };
        rent.record_plan_payment(payment.clone())
            .await
            .expect("recorded");
        let second = events(&mut debts, &hyresskuld.id).await[2].id.clone();
        let rows = audit_naming(&app, &served.id, "RecordPlanPayment").await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(rows[0].1.contains(&format!("debt_event:{second}")));
        assert!(rows[0].1.contains(&debt_ref));
        assert!(rows[0].1.contains(&notice_ref));
        // Its replay names the same records.
        rent.record_plan_payment(payment).await.expect("replayed");
        let rows = audit_naming(&app, &second, "RecordPlanPayment").await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!((rows[0].0, rows[1].0), (false, true));
        assert_eq!(rows[0].1, rows[1].1);
    })
    .await;
    on_each_backend(|app| async move {
        use pb::RentPaymentKind::Arrears;
        let (h, parent) = single_parent(&app, 988).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        let hyresskuld = debt(&mut debts, &h, &parent, pb::DebtKind::Rent, "14350").await;
        let served = notice(&mut rent, &lease.id, "2026-11-10", "14350").await;
        plan(
            &mut rent,
            &lease.id,
            terms("14350", "2026-12", months(3)),
            0,
        )
        .await;
        let debt_ref = format!("debt:{}", hyresskuld.id);
        let notice_ref = format!("notice:{}", served.id);
        let mut payouts = app.payouts();

        // The arrears payout's row names the payout, the debt, its payment
        // event and the notice; a replay names the same.
        let request = payout(&lease.id, "2026-10", Arrears, "14350");
        let paid = record(&mut payouts, request.clone()).await;
        record(&mut payouts, request).await;
        let event = events(&mut debts, &hyresskuld.id).await[1].id.clone();
        let rows = audit_naming(&app, &event, "RecordRentPayout").await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!((rows[0].0, rows[1].0), (false, true));
        assert_eq!(rows[0].1, rows[1].1);
        for expected in [
            format!("payout:{}", paid.id),
            debt_ref.clone(),
            format!("debt_event:{event}"),
            notice_ref.clone(),
        ] {
            assert!(rows[0].1.contains(&expected), "{expected} in {rows:?}");
        }
        assert_eq!(
            audit_naming(&app, &served.id, "RecordRentPayout").await,
            rows
        );

        // The reversal's row names the opposite event and the notice it
        // reopened.
        payouts
            .reverse_rent_payout(reverse(&paid.id))
            .await
            .expect("reversed");
        let opposite = events(&mut debts, &hyresskuld.id).await[2].id.clone();
        let rows = audit_naming(&app, &served.id, "ReverseRentPayout").await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(rows[0].1.contains(&format!("debt_event:{opposite}")));
        assert!(rows[0].1.contains(&debt_ref));
        assert!(rows[0].1.contains(&notice_ref));

        // A payment that writes nothing else names nothing else.
        let rent_paid = record(
            &mut payouts,
            payout(&lease.id, "2026-11", pb::RentPaymentKind::Rent, "7900"),
        )
        .await;
        let rows = audit_naming(&app, &rent_paid.id, "RecordRentPayout").await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(
            rows[0]
                .1
                .iter()
                .all(|r| !r.starts_with("debt") && !r.starts_with("notice")),
            "{rows:?}"
        );
    })
    .await;
}

/// Whether a notice with this deadline is stored (an UPDATE that changes
/// nothing, counted).
async fn stored_with_deadline(app: &TestApp, deadline: &'static str) -> u64 {
    let sql: &'static str = Box::leak(
        format!("UPDATE eviction_notices SET deadline = deadline WHERE deadline = '{deadline}'")
            .into_boxed_str(),
    );
    app.execute_sql(sql).await.expect("counted")
}

#[tokio::test]
async fn a_notice_stored_with_the_unmoved_deadline_is_read_and_repaired_by_the_rule() {
    on_each_backend(|app| async move {
        let (h, parent) = single_parent(&app, 989).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        debt(&mut app.debts(), &h, &parent, pb::DebtKind::Rent, "7900").await;
        // Served on Saturday 2026-10-17: three weeks later is Saturday
        // 2026-11-07, moved to Monday 2026-11-09 (lag 1930:173 2 §).
        let served = notice(&mut rent, &lease.id, "2026-10-17", "7900").await;
        assert_eq!(served.deadline, "2026-11-09");
        // A notice as an older version recorded it, written behind the
        // service's back: its stored deadline is the unmoved Saturday, which
        // the fixed clock (2026-11-22) has passed either way; a second one
        // served 2026-11-07 (Saturday 2026-11-28 → Monday 2026-11-30).
        let old: &'static str = Box::leak(
            format!(
                "INSERT INTO eviction_notices (id, lease_id, household_id, served_on, amount_owed_ore, deadline, resolution, resolved_on, note, created_at, created_by) \
                 SELECT '{}', lease_id, household_id, '2026-11-07', amount_owed_ore, '2026-11-28', NULL, NULL, note, created_at, created_by \
                 FROM eviction_notices WHERE id = '{}'",
                uuid::Uuid::new_v4(),
                served.id
            )
            .into_boxed_str(),
        );
        assert_eq!(app.execute_sql(old).await.expect("inserted"), 1);
        assert_eq!(
            app.execute_sql(
                "UPDATE eviction_notices SET deadline = '2026-11-07' WHERE served_on = '2026-10-17'"
            )
            .await
            .expect("set back"),
            1
        );

        // Listed with the moved deadlines, and the state by them.
        let listed = notices(&mut rent, &h).await;
        let view: Vec<(&str, &str, i32)> = listed
            .iter()
            .map(|n| (n.served_date.as_str(), n.deadline.as_str(), n.state))
            .collect();
        assert_eq!(
            view,
            [
                (
                    "2026-10-17",
                    "2026-11-09",
                    pb::NoticeState::DeadlinePassed as i32
                ),
                ("2026-11-07", "2026-11-30", pb::NoticeState::Open as i32),
            ]
        );

        // A payout on the moved last day, Monday 2026-11-09, pays the first
        // notice within its deadline (the stored Saturday would not).
        let mut payouts = app.payouts();
        let mut request = crate::payouts::payout(
            &lease.id,
            "2026-10",
            pb::RentPaymentKind::Arrears,
            "7900",
        );
        request.payout_date = "2026-11-09".into();
        let paid = record(&mut payouts, request).await;
        let after = notices(&mut rent, &h).await;
        let first = after
            .iter()
            .find(|n| n.id == served.id)
            .expect("the first notice");
        assert_eq!(
            first.resolution,
            pb::NoticeResolution::PaidWithinDeadline as i32
        );
        assert_eq!(first.evidence_ids, std::slice::from_ref(&paid.id));

        // The start-up repair rewrites the stored days, once.
        assert_eq!(stored_with_deadline(&app, "2026-11-07").await, 1);
        assert_eq!(stored_with_deadline(&app, "2026-11-28").await, 1);
        let restarted = budgetrad::store::SqlStore::connect_migrating_as(
            app.database_url(),
            app.database_url(),
        )
        .await
        .expect("reopened");
        drop(restarted);
        assert_eq!(stored_with_deadline(&app, "2026-11-07").await, 0);
        assert_eq!(stored_with_deadline(&app, "2026-11-28").await, 0);
        assert_eq!(stored_with_deadline(&app, "2026-11-09").await, 1);
        assert_eq!(stored_with_deadline(&app, "2026-11-30").await, 1);
        let again = notices(&mut rent, &h).await;
        assert_eq!(again.len(), 2);
        assert_eq!(again[0].deadline, "2026-11-09");
        assert_eq!(again[1].deadline, "2026-11-30");
    })
    .await;
}

#[tokio::test]
async fn the_offer_counts_only_the_named_hyresskuld_as_paid_through_its_plan() {
    on_each_backend(|app| async move {
        use crate::case_offer::{budget_with_surplus_4937, instalment, line_view};
        use pb::DebtKind::Rent;
        use pb::DebtStatus::Active;
        let (h, parent) = single_parent(&app, 990).await;
        budget_with_surplus_4937(&app, &h).await;
        let mut rent = app.rent();
        let l = landlord(&mut rent).await;
        let lease = lease(&mut rent, &h, &l.id).await;
        let mut debts = app.debts();
        // Two hyresskulder to the same landlord; the plan names the first.
        let named = case_debt(
            &mut debts,
            &h,
            &parent,
            (
                Rent,
                Active,
                "Exempel Bostäder AB",
                "556677-8899",
                "6000",
                "1000",
            ),
        )
        .await;
        let other = case_debt(
            &mut debts,
            &h,
            &parent,
            (
                Rent,
                Active,
                "Exempel Bostäder AB",
                "556677-8899",
                "4000",
                "500",
            ),
        )
        .await;
        rent.create_rent_payment_plan(pb::CreateRentPaymentPlanRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: lease.id.clone(),
            terms: terms("6000", "2026-12", instalment("2000")),
            broken_after_missed: 0,
            debt_id: named.id.clone(),
        })
        .await
        .expect("a plan");
        let r = debts
            .get_debt_overview(pb::GetDebtOverviewRequest {
                household_id: h.clone(),
                date: "2026-11-25".into(),
                available_monthly_amount: None,
            })
            .await
            .expect("an overview")
            .into_inner();
        // The named debt's 1 000 is the plan's instalment; the other's 500
        // is a payment of its own: 4 937 − 500 − 2 000 = 2 437.
        assert_eq!(amount(&r.available_monthly_amount), "2437.00");
        let lines = line_view(&r.available_lines);
        let amounts: Vec<&str> = lines.iter().map(|(_, a)| a.as_str()).collect();
        assert_eq!(
            amounts,
            ["4937.00", "0.00", "-500.00", "-2000.00", "2437.00"],
            "{lines:?}"
        );
        let source = |i: usize| {
            r.available_lines[i]
                .basis
                .as_ref()
                .map(|b| b.source.clone())
                .unwrap_or_default()
        };
        assert!(source(1).starts_with(&format!("skuld {};", named.id)));
        assert_eq!(source(2), format!("skuld {}", other.id));
        assert_eq!(
            r.available_basis.expect("a basis").arithmetic,
            "max(0, 4 937 − 500 − 2 000) = 2 437"
        );
    })
    .await;
}
