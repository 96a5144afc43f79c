//! The warnings of a computation in Swedish, for the page. The wire keeps
//! the service's own (language-neutral, English) text; a letter that leaves
//! the office says the same in the reader's language. A warning this table
//! does not know is printed as the service wrote it.

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
            super::month_text(month)
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
                "the household has no saved budget: give available_monthly_amount for an offer",
                "Hushållet har ingen sparad budget: ange det belopp som kan erbjudas borgenärerna.",
            ),
        ] {
            assert_eq!(warning_sv(english), swedish, "{english}");
        }
        assert_eq!(warning_sv("something new"), "something new");
    }
}
