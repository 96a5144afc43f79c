//! clap's usage errors in the run's language: clap renders its errors in
//! English only, so the CLI renders them itself from the error's kind and
//! context (the flag, the value, the suggestion, the usage line), in
//! Swedish by default and in English with `--lang en`. The language is read
//! from the arguments before they are parsed ([`lang_of_args`]), so a value
//! parser's refusal (`--balance 1,5x`) is in the same language.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::names::words::{Lang, w, wf};

/// The language the arguments ask for: `--lang en` / `--lang=en`, else
/// `BUDGETRAD_LANG`, else Swedish. A value clap would refuse counts as
/// Swedish; clap then refuses it.
pub fn lang_of_args(args: &[OsString]) -> Lang {
    let mut given = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            given = it.next().map(|v| v.into_owned());
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            given = Some(v.to_owned());
        }
    }
    let value = given.or_else(|| std::env::var("BUDGETRAD_LANG").ok());
    match value.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Sv,
    }
}

fn text(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A usage error as the CLI prints it on standard error, in the run's
/// language; `None` for what clap prints itself (`--help`, `--version`).
pub fn render(error: &clap::Error) -> Option<String> {
    let arg = text(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = text(error, ContextKind::InvalidValue).unwrap_or_default();
    let mut out = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => {
            let mut m = wf("okänt argument '{}'", &[&arg]);
            if let Some(s) = text(error, ContextKind::SuggestedArg) {
                m.push_str(&wf("\n  tips: menade du '{}'?", &[&s]));
            } else if arg.starts_with('-') && arg[1..].starts_with(|c: char| c.is_ascii_digit()) {
                m.push_str(&wf(
                    "\n  tips: ett värde som börjar med '-' skrivs med '=': --flagga={}",
                    &[&arg],
                ));
            }
            m
        }
        ErrorKind::InvalidSubcommand => {
            let name = text(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            let mut m = wf("okänt kommando '{}'", &[&name]);
            if let Some(s) = text(error, ContextKind::SuggestedSubcommand) {
                m.push_str(&wf("\n  tips: menade du '{}'?", &[&s]));
            }
            m
        }
        ErrorKind::InvalidValue => {
            let mut m = if value.is_empty() {
                wf("{} saknar sitt värde", &[&arg])
            } else {
                wf("ogiltigt värde '{}' för {}", &[&value, &arg])
            };
            if let Some(valid) = text(error, ContextKind::ValidValue) {
                m.push_str(&wf("; möjliga värden: {}", &[&valid]));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(error)
                .map(ToString::to_string)
                .unwrap_or_default();
            wf("ogiltigt värde '{}' för {}: {}", &[&value, &arg, &why])
        }
        ErrorKind::MissingRequiredArgument => wf("det här saknas: {}", &[&arg]),
        ErrorKind::MissingSubcommand => {
            let valid = text(error, ContextKind::ValidSubcommand).unwrap_or_default();
            wf("ange ett kommando: {}", &[&valid])
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(error, ContextKind::PriorArg).unwrap_or_default();
            if prior == arg {
                wf("{} får bara ges en gång", &[&arg])
            } else {
                wf("{} kan inte ges tillsammans med {}", &[&arg, &prior])
            }
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            wf("fel antal värden för {}", &[&arg])
        }
        ErrorKind::NoEquals => wf("{} skrivs med '=' före värdet", &[&arg]),
        ErrorKind::InvalidUtf8 => w("ett argument är inte giltig UTF-8").to_owned(),
        // Any other kind: clap's own words, which are English.
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_owned()
        }
    };
    if let Some(usage) = text(error, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(usage);
        out.push_str(&wf("\n\nAnvändning: {}", &[&usage]));
    }
    out.push_str(w("\n\nMer hjälp: --help"));
    Some(out)
}
