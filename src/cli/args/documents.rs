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

/// `documents KIND … --out FILE.pdf [--json FILE]`, or for the
/// creditor letters `--out-dir DIR`: one PDF and its JSON per creditor.
#[derive(Debug, Clone, Args)]
pub struct DocumentsCommand {
    pub kind: DocumentKindArg,
    #[command(flatten)]
    pub args: DocumentArgs,
    /// Where the PDF is written.
    #[arg(long, value_name = "FILE.pdf", required_unless_present = "out_dir")]
    pub out: Option<PathBuf>,
    /// Where the data twin (JSON) is written (`--json FILE` after
    /// `documents` is the same).
    #[arg(long = "json-out", value_name = "FILE", conflicts_with = "out_dir")]
    pub json_out: Option<PathBuf>,
    /// creditor-request, creditor-offer: one letter per creditor into this
    /// folder (created if missing), each a PDF and its JSON.
    #[arg(long, value_name = "DIR", conflicts_with = "out")]
    pub out_dir: Option<PathBuf>,
}

/// `documents … --json FILE`, as the counsellor's guide writes it. clap
/// cannot give one flag name both to the global `--json` switch (print
/// JSON) and to this command's twin file, so after the word `documents` a
/// `--json` followed by a value that is no flag (or `--json=FILE`) is read
/// as `--json-out FILE`; `--json` alone stays the switch.
pub fn json_twin_alias(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(start) = args.iter().position(|a| a == "documents") else {
        return args;
    };
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter().enumerate().peekable();
    while let Some((i, arg)) = iter.next() {
        // The kind comes first after `documents`; a flag there is no twin.
        if i > start + 1 {
            if let Some(file) = arg.to_str().and_then(|a| a.strip_prefix("--json=")) {
                out.push(format!("--json-out={file}").into());
                continue;
            }
            let next_is_value = iter
                .peek()
                .is_some_and(|(_, next)| !next.to_string_lossy().starts_with('-'));
            if arg == "--json" && next_is_value {
                out.push("--json-out".into());
                continue;
            }
        }
        out.push(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::json_twin_alias;

    fn run(args: &[&str]) -> Vec<String> {
        json_twin_alias(args.iter().map(|a| (*a).into()).collect())
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_file_after_json_is_the_twin_of_a_document() {
        assert_eq!(
            run(&[
                "cli",
                "documents",
                "debt-overview",
                "--out",
                "a.pdf",
                "--json",
                "a.json"
            ]),
            [
                "cli",
                "documents",
                "debt-overview",
                "--out",
                "a.pdf",
                "--json-out",
                "a.json"
            ]
        );
        assert_eq!(
            run(&["cli", "documents", "debt-overview", "--json=a.json"]),
            ["cli", "documents", "debt-overview", "--json-out=a.json"]
        );
    }

    #[test]
    fn json_alone_or_outside_documents_stays_the_switch() {
        let alone = [
            "cli",
            "--json",
            "documents",
            "debt-overview",
            "--json",
            "--out",
            "a.pdf",
        ];
        assert_eq!(run(&alone), alone);
        let before_kind = [
            "cli",
            "documents",
            "--json",
            "debt-overview",
            "--out",
            "a.pdf",
        ];
        assert_eq!(run(&before_kind), before_kind);
        let other = ["cli", "--json", "households", "show", "x"];
        assert_eq!(run(&other), other);
    }
}
