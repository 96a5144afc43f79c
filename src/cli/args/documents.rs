//! `documents`: letters and statements as PDF/A, with their data twin.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocumentKindArg {
    /// Hushållsbudget with signature lines (needs --budget).
    BudgetSummary,
    /// Beräkning av försörjningsstöd (needs --case, a social-assistance file).
    SocialAssistanceCalculation,
    /// Skuldöversikt by creditor.
    DebtOverview,
    /// Begäran om skuldbesked och betalningsanstånd, a letter per creditor.
    CreditorRequest,
    /// Förslag till avbetalning: a summary and a letter per creditor.
    CreditorOffer,
    /// Avbetalningsplan for the landlord (needs --plan).
    RentArrearsAgreement,
    /// Skuldsanering estimate (needs --case, a skuldsanering file).
    SkuldsaneringEstimate,
    /// The month's page for the client's binder (needs --budget).
    MonthlyBinderPage,
}

#[derive(Debug, Clone, Args)]
pub struct DocumentArgs {
    /// The household the document is about.
    #[arg(long, value_name = "ID")]
    pub household: String,
    /// The saved budget (budget-summary, monthly-binder-page).
    #[arg(long, value_name = "ID")]
    pub budget: Option<String>,
    /// The rent-arrears plan (rent-arrears-agreement; on the binder page
    /// its instalments).
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Only this creditor's letter (creditor-request, creditor-offer).
    #[arg(long, value_name = "DEBT_ID")]
    pub debt: Option<String>,
    /// The day on the document, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The binder page's month, YYYY-MM [default: the budget's].
    #[arg(long, value_name = "MONTH")]
    pub month: Option<String>,
    /// The monthly amount to offer the creditors [default: from the budget].
    #[arg(long, value_name = "KR")]
    pub available: Option<String>,
    /// The case file of social-assistance-calculation or
    /// skuldsanering-estimate (as `social-assistance` and `skuldsanering`
    /// read it).
    #[arg(long, value_name = "FILE")]
    pub case: Option<PathBuf>,
}

/// `documents KIND … --out FILE.pdf [--json-out FILE]`, or for the
/// creditor letters `--out-dir DIR`: one PDF and its JSON per creditor.
#[derive(Debug, Clone, Args)]
pub struct DocumentsCommand {
    pub kind: DocumentKindArg,
    #[command(flatten)]
    pub args: DocumentArgs,
    /// Where the PDF is written.
    #[arg(long, value_name = "FILE.pdf", required_unless_present = "out_dir")]
    pub out: Option<PathBuf>,
    /// Where the data twin (JSON) is written.
    #[arg(long = "json-out", value_name = "FILE", conflicts_with = "out_dir")]
    pub json_out: Option<PathBuf>,
    /// creditor-request, creditor-offer: one letter per creditor into this
    /// folder (created if missing), each a PDF and its JSON.
    #[arg(long, value_name = "DIR", conflicts_with = "out")]
    pub out_dir: Option<PathBuf>,
}
