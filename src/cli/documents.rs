//! `documents KIND … --out FILE.pdf [--json-out FILE]`: a letter or
//! statement rendered by the server (RenderDocument) as PDF/A, with its
//! data twin; `--out-dir DIR` writes the creditor letters one per creditor.

use std::path::Path;

use super::args::{DocumentArgs, DocumentKindArg, DocumentsCommand};
use super::input::{self, DebtCaseFile, SocialAssistanceFile};
use super::names::words::{io_reason, w, wf};
use super::session::{COUNSELLOR, CliError, Session, wire_money};
use crate::pb;
use pb::DocumentKind as Kind;

fn kind(k: DocumentKindArg) -> Kind {
    match k {
        DocumentKindArg::BudgetSummary => Kind::BudgetSummary,
        DocumentKindArg::SocialAssistanceCalculation => Kind::SocialAssistanceCalculation,
        DocumentKindArg::DebtOverview => Kind::DebtOverview,
        DocumentKindArg::CreditorRequest => Kind::CreditorRequest,
        DocumentKindArg::CreditorOffer => Kind::CreditorOffer,
        DocumentKindArg::RentArrearsAgreement => Kind::RentArrearsAgreement,
        DocumentKindArg::SkuldsaneringEstimate => Kind::SkuldsaneringEstimate,
        DocumentKindArg::MonthlyBinderPage => Kind::MonthlyBinderPage,
    }
}

/// The request, with the case file read (before anything is sent).
fn request(k: Kind, a: &DocumentArgs) -> Result<pb::RenderDocumentRequest, CliError> {
    let mut r = pb::RenderDocumentRequest {
        kind: k as i32,
        household_id: a.household.clone(),
        date: a.date.clone().unwrap_or_default(),
        budget_id: a.budget.clone().unwrap_or_default(),
        rent_payment_plan_id: a.plan.clone().unwrap_or_default(),
        debt_id: a.debt.clone().unwrap_or_default(),
        month: a.month.clone().unwrap_or_default(),
        available_monthly_amount: match &a.available {
            Some(text) => wire_money(&input::parse_amount(text).map_err(CliError::Usage)?),
            None => None,
        },
        ..Default::default()
    };
    let case = |what: &str| {
        a.case
            .as_deref()
            .ok_or_else(|| CliError::Usage(wf("{} behöver --case FIL (ärendefilen)", &[&what])))
    };
    match k {
        Kind::SocialAssistanceCalculation => {
            let file = case("social-assistance-calculation")?;
            r.social_assistance = Some(
                input::load::<SocialAssistanceFile>(file)?
                    .request(file, Some(a.household.clone()))?,
            );
        }
        Kind::SkuldsaneringEstimate => {
            let file = case("skuldsanering-estimate")?;
            r.debt_restructuring = Some(
                input::load::<DebtCaseFile>(file)?
                    .restructuring_request(file, Some(a.household.clone()))?,
            );
        }
        _ => {}
    }
    Ok(r)
}

async fn render(
    s: &Session,
    r: pb::RenderDocumentRequest,
) -> Result<pb::RenderDocumentResponse, CliError> {
    Ok(s.documents()
        .render_document(r)
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::Usage(format!("{}: {}", path.display(), io_reason(&e))))
}

pub(super) async fn run(s: &Session, cmd: &DocumentsCommand) -> Result<(), CliError> {
    let k = kind(cmd.kind);
    let r = request(k, &cmd.args)?;
    if let Some(dir) = &cmd.out_dir {
        return letters(s, k, r, dir).await;
    }
    let Some(out) = &cmd.out else {
        return Err(CliError::Usage(
            w("ange --out FIL.pdf eller --out-dir KATALOG").to_owned(),
        ));
    };
    let answer = render(s, r).await?;
    write(out, &answer.pdf)?;
    if let Some(json) = &cmd.json_out {
        write(json, answer.json.as_bytes())?;
    }
    println!(
        "{}{}",
        wf(
            "Skrev {} ({} brev i A4, PDF/A-2b), dokument-id {}",
            &[&out.display(), &pages(&answer.json), &answer.document_id]
        ),
        if answer.provisional {
            w("; innehåller PRELIMINÄRA belopp")
        } else {
            ""
        }
    );
    Ok(())
}

/// The letters of the document, from its twin.
fn pages(json: &str) -> usize {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v["letters"].as_array().map(Vec::len))
        .unwrap_or(0)
}

/// One letter per open debt of the household, each its own PDF and JSON.
async fn letters(
    s: &Session,
    k: Kind,
    r: pb::RenderDocumentRequest,
    dir: &Path,
) -> Result<(), CliError> {
    if !matches!(k, Kind::CreditorRequest | Kind::CreditorOffer) {
        return Err(CliError::Usage(
            w("--out-dir skriver brev av slaget creditor-request eller creditor-offer").to_owned(),
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Usage(format!("{}: {}", dir.display(), io_reason(&e))))?;
    let overview = s
        .debts()
        .get_debt_overview(pb::GetDebtOverviewRequest {
            household_id: r.household_id.clone(),
            date: r.date.clone(),
            available_monthly_amount: r.available_monthly_amount.clone(),
        })
        .await
        .map_err(s.refused(COUNSELLOR))?
        .into_inner();
    let debts: Vec<&pb::Debt> = if k == Kind::CreditorOffer {
        overview
            .offer
            .iter()
            .filter_map(|share| overview.other_debts.iter().find(|d| d.id == share.debt_id))
            .collect()
    } else {
        overview
            .priority_debts
            .iter()
            .chain(&overview.other_debts)
            .collect()
    };
    let prefix = k.as_str_name().to_ascii_lowercase().replace('_', "-");
    for (n, debt) in debts.iter().enumerate() {
        let mut one = r.clone();
        one.debt_id = debt.id.clone();
        let answer = render(s, one).await?;
        let name = format!("{prefix}-{:02}-{}", n + 1, slug(&debt.creditor_name));
        write(&dir.join(format!("{name}.pdf")), &answer.pdf)?;
        write(&dir.join(format!("{name}.json")), answer.json.as_bytes())?;
        println!("{}: {name}.pdf", debt.creditor_name);
    }
    println!("{}", wf("{} brev i {}", &[&debts.len(), &dir.display()]));
    Ok(())
}

/// A file-name-safe form of a creditor's name ("Exempel Bostäder AB" →
/// "exempel-bostader-ab").
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "borgenar".into()
    } else {
        out
    }
}
