//! The warnings of a computation in Swedish: the one wording of the
//! service's warnings for people, used by the documents (a letter that
//! leaves the office) and by the CLI. The wire keeps the service's own
//! (language-neutral, English) text. A warning this table does not know is
//! printed as the service wrote it.

use super::calendar::{YearMonth, year_month_sv};

/// The Swedish text of one warning.
pub fn warning_sv(warning: &str) -> String {
    let between = |start: &str, end: &str| {
        warning
            .strip_prefix(start)
            .and_then(|rest| rest.strip_suffix(end))
    };
    if let Some(month) = between(
        "no reference-costs table is in force for ",
        ": expenses are not compared",
    ) {
        return format!(
            "Ingen tabell med referensvärden gäller för {}: utgifterna jämförs inte.",
            YearMonth::parse(month).map_or_else(|| month.to_owned(), year_month_sv)
        );
    }
    if between(
        "the reference costs (",
        ") are provisional: compare with care",
    )
    .is_some()
    {
        return "Referensvärdena är preliminära: jämför med försiktighet.".to_owned();
    }
    if between(
        "the normalbelopp table ",
        " is provisional: the result must be checked against Kronofogden's official figures",
    )
    .is_some()
    {
        return "Normalbeloppen är preliminära: stäm av resultatet mot Kronofogdens \
                officiella belopp."
            .to_owned();
    }
    if between(
        "the riksnorm table ",
        " is provisional: the result must be checked against the official figures",
    )
    .is_some()
    {
        return "Riksnormen är preliminär: stäm av resultatet mot de officiella beloppen."
            .to_owned();
    }
    if warning.contains("member_index is deprecated") {
        return "Barnet är angivet med sin plats i listan över medlemmar, inte med \
                medlemmens id."
            .to_owned();
    }
    match warning {
        "other adults in the household are not counted: each has a förbehållsbelopp of their own" => {
            "Andra vuxna i hushållet räknas inte med: var och en har ett eget förbehållsbelopp."
                .to_owned()
        }
        "no non-priority debt has a balance: there is nothing to offer on" => {
            "Ingen skuld utan förtur har något saldo: det finns inget att fördela.".to_owned()
        }
        "the household has no saved budget: give available_monthly_amount for an offer" => {
            "Hushållet har ingen sparad budget: ange det belopp som kan erbjudas borgenärerna."
                .to_owned()
        }
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::warning_sv;

    #[test]
    fn each_warning_the_service_writes_reads_in_swedish() {
        for (english, swedish) in [
            (
                "no reference-costs table is in force for 2026-11: expenses are not compared",
                "Ingen tabell med referensvärden gäller för november 2026: utgifterna jämförs inte.",
            ),
            (
                "the reference costs (konsumentverket-2026) are provisional: compare with care",
                "Referensvärdena är preliminära: jämför med försiktighet.",
            ),
            (
                "the normalbelopp table kfm-2026 is provisional: the result must be checked against Kronofogden's official figures",
                "Normalbeloppen är preliminära: stäm av resultatet mot Kronofogdens officiella belopp.",
            ),
            (
                "the riksnorm table riksnorm-2026 is provisional: the result must be checked against the official figures",
                "Riksnormen är preliminär: stäm av resultatet mot de officiella beloppen.",
            ),
            (
                "other adults in the household are not counted: each has a förbehållsbelopp of their own",
                "Andra vuxna i hushållet räknas inte med: var och en har ett eget förbehållsbelopp.",
            ),
            (
                "no non-priority debt has a balance: there is nothing to offer on",
                "Ingen skuld utan förtur har något saldo: det finns inget att fördela.",
            ),
            (
                "the household has no saved budget: give available_monthly_amount for an offer",
                "Hushållet har ingen sparad budget: ange det belopp som kan erbjudas borgenärerna.",
            ),
        ] {
            assert_eq!(warning_sv(english), swedish, "{english}");
        }
        assert_eq!(warning_sv("something new"), "something new");
    }
}
