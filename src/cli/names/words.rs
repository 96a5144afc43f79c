//! The one home of the words the CLI prints: every fixed label, heading and
//! status of the tables, in Swedish (the field's own words, the default) and
//! in English (`--lang en`).
//!
//! The code writes the Swedish word and asks [`w`] for it; with `--lang en`
//! the English word of the same row is printed instead. A `{}` in a word
//! stands for a value, filled in order by [`wf`], so each language keeps its
//! own word order. The terms of the proto enums (`sms-lån`, `hos
//! Kronofogden`) are in [`super`]; what the server writes (a basis, a
//! warning) is printed as the server sent it.

use std::sync::OnceLock;

/// The language of the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Swedish: the counsellor's and the household's language.
    #[default]
    Sv,
    /// English.
    En,
}

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language once, at start; later calls are ignored.
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run (Swedish unless `--lang en` was given).
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// The word for `sv` in this run's language. A Swedish word missing from
/// the table is printed as it is (a unit test keeps the table complete).
pub fn w(sv: &'static str) -> &'static str {
    match lang() {
        Lang::Sv => sv,
        Lang::En => english(sv).unwrap_or(sv),
    }
}

/// The word for `sv` with each `{}` replaced by the next value.
pub fn wf(sv: &'static str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::new();
    let mut values = values.iter();
    let mut parts = w(sv).split("{}").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some()
            && let Some(v) = values.next()
        {
            out.push_str(&v.to_string());
        }
    }
    out
}

/// Why a file could not be read or written, in the run's language (the
/// operating system's own text only for the rare kinds not named here).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => w("filen finns inte").to_owned(),
        PermissionDenied => w("åtkomst nekas").to_owned(),
        AlreadyExists => w("filen finns redan").to_owned(),
        IsADirectory => w("det är en katalog").to_owned(),
        InvalidData => w("inte UTF-8-text").to_owned(),
        _ => e.to_string(),
    }
}

/// A yes/no cell.
pub fn yes_no(value: bool) -> &'static str {
    if value { w("ja") } else { w("nej") }
}

fn english(sv: &str) -> Option<&'static str> {
    WORDS
        .iter()
        .chain(messages::MESSAGES)
        .find(|(s, _)| *s == sv)
        .map(|(_, en)| *en)
}

/// Swedish, English.
pub(super) const WORDS: &[(&str, &str)] = &[
    // Shared words
    ("ja", "yes"),
    ("nej", "no"),
    ("inga", "none"),
    ("Belopp", "Amount"),
    ("Grund", "Basis"),
    ("Id", "Id"),
    (
        "Id att ange i senare kommandon:",
        "Ids to give in later commands:",
    ),
    ("Månad", "Month"),
    ("Datum", "Date"),
    ("Status", "Status"),
    ("Slag", "Kind"),
    ("Källa", "Source"),
    ("Version", "Version"),
    ("Hushåll", "Household"),
    ("Hyreskontrakt", "Lease"),
    ("Borgenär", "Creditor"),
    ("Saldo", "Balance"),
    ("Betalt", "Paid"),
    ("Återförd", "Reversed"),
    ("Registrerad", "Recorded"),
    ("Registrerad av", "Recorded by"),
    ("{} av {}", "{} by {}"),
    ("Varningar", "Warnings"),
    (
        "Fler resultat: lägg till --page-token {} (eller använd --all).",
        "More results: add --page-token {} (or use --all).",
    ),
    (
        "OBS: beräknat från en PRELIMINÄR normtabell; kontrollera beloppen före beslut.",
        "NOTE: computed from a PROVISIONAL norm table; check the figures before a decision.",
    ),
    ("  {} version {} ({})", "  {} version {} ({})"),
    ("Normtabeller som lästs", "Norm tables read"),
    ("Tabell", "Table"),
    // Budgets and försörjningsstöd
    ("Kategori", "Category"),
    ("Beskrivning", "Description"),
    ("Period", "Frequency"),
    ("Per månad", "Per month"),
    ("Inkomster", "Incomes"),
    ("Utgifter", "Expenses"),
    ("Summor", "Totals"),
    ("Summa inkomster", "Total income"),
    ("Summa utgifter", "Total expenses"),
    ("Underskott", "Deficit"),
    ("Överskott", "Surplus"),
    (
        "Jämfört med referensvärden",
        "Compared with reference costs",
    ),
    ("Faktisk", "Actual"),
    ("Skillnad", "Difference"),
    ("Budget för {}", "Budget for {}"),
    ("Budget {} för {}", "Budget {} for {}"),
    (
        "  Hushåll: {} (medlemmar enligt revision {})",
        "  Household: {} (members as of revision {})",
    ),
    ("  Sparad:  {} av {}", "  Saved:     {} by {}"),
    (
        "(Servern skickade inget resultat för budgeten.)",
        "(The server sent no result for this budget.)",
    ),
    ("Inga sparade budgetar.", "No saved budgets."),
    ("Sparad", "Saved"),
    ("Av", "By"),
    (
        "Försörjningsstöd för {}",
        "Social assistance (försörjningsstöd) for {}",
    ),
    ("Riksnorm", "Riksnorm"),
    (
        "  Enhet {}: {} (medlem {}, i hushållets ordning)",
        "  Unit {}: {} (members {}, in the household's order)",
    ),
    (
        "  Enhet {}: {} (medlem {}, i filens ordning)",
        "  Unit {}: {} (members {}, in the file's order)",
    ),
    ("Summa för enheten", "Unit total"),
    ("  Riksnorm totalt: {}", "  Riksnorm total: {}"),
    ("Skäliga kostnader", "Reasonable costs"),
    ("Summa skäliga kostnader", "Total reasonable costs"),
    ("Försörjningsstöd", "Social assistance"),
    ("+ Skäliga kostnader", "+ Reasonable costs"),
    ("= Behov", "= Total need"),
    ("− Inkomster", "− Total income"),
    ("= Försörjningsstöd", "= Social assistance"),
    (
        "  varav hyresdel (kan betalas till hyresvärden)",
        "  of which rent part (may be paid to the landlord)",
    ),
    // Norm tables
    ("Inga normtabeller matchar.", "No norm tables match."),
    ("Gäller från", "Valid from"),
    ("Gäller till", "Valid to"),
    ("Källor:", "Sources:"),
    ("Normtabell {} (version {})", "Norm table {} (version {})"),
    ("  Slag:     {}", "  Kind:      {}"),
    ("  Gäller:   {} – {}", "  In force:  {} – {}"),
    ("  Status:   {}", "  Status:    {}"),
    ("  Källa:    {}", "  Source:    {}"),
    ("  Inläst:   {} av {}", "  Loaded:    {} by {}"),
    (
        "OBS: PRELIMINÄR: beloppen är inte myndighetens egen publicering.",
        "NOTE: PROVISIONAL: these figures are not the authority's own publication.",
    ),
    ("Nyckel", "Key"),
    ("Betydelse", "Meaning"),
    ("Värde (procent)", "Value (percent)"),
    ("Värde (kr)", "Value (kr)"),
    ("Rader", "Rows"),
    // Households
    ("Roll", "Role"),
    ("Född", "Birth date"),
    ("Personnummer", "Personnummer"),
    ("Skollunch", "Lunch at school"),
    ("Bor här", "Lives here"),
    ("hela tiden", "full time"),
    ("{} av {} dagar", "{} of every {} days"),
    ("{} år", "age {}"),
    ("Hushåll {}", "Household {}"),
    ("  Ärendereferens: {}", "  Case reference: {}"),
    (
        "  Revision:       {} (ange --revision {} för att ändra)",
        "  Revision:       {} (give --revision {} to update it)",
    ),
    ("  Skapat:         {}", "  Created:        {}"),
    ("  Ändrat:         {}", "  Updated:        {}"),
    ("Medlemmar", "Members"),
    ("Inga hushåll.", "No households."),
    ("Ärendereferens", "Case reference"),
    ("Revision", "Revision"),
    ("Ändrat", "Updated"),
    ("{} hushåll skrivna till {}", "{} households written to {}"),
    // Audit
    ("Inga loggposter.", "No audit records."),
    ("Tid", "Time"),
    ("Anropare", "Caller"),
    ("Metod", "Method"),
    ("Utfall", "Outcome"),
    ("Poster", "Records"),
    ("{} (upprepning)", "{} (replay)"),
    // Debts
    ("Skuld", "Debt"),
    ("Skuld {}", "Debt {}"),
    ("Gäldenär", "Debtor"),
    ("medlem {}", "member {}"),
    ("Referens", "Reference"),
    ("Prioriterad", "Priority"),
    ("Ränta", "Interest"),
    ("Ränta %", "Rate %"),
    ("{} % per år", "{} % a year"),
    ("Avgift", "Fee"),
    ("Betalning", "Payment"),
    ("Förtur", "Priority"),
    ("{} per månad", "{} a month"),
    ("Inga skulder.", "No debts."),
    ("Saldots historik", "Balance history"),
    ("Händelse", "Event"),
    ("Ändring", "Change"),
    ("Anteckning", "Note"),
    ("Skuldöversikt {}", "Debt overview on {}"),
    ("Öppna skulder", "Open debts"),
    ("Kostnad per månad", "Monthly cost"),
    (
        "{} (avtalade betalningar och avgifter)",
        "{} (agreed payments and fees)",
    ),
    ("Per slag", "By kind"),
    ("Per status", "By status"),
    ("Antal", "Debts"),
    (
        "Prioriterade skulder (betalas först: hyra, el, Kronofogden)",
        "Priority debts (paid first: rent, electricity, Kronofogden)",
    ),
    ("Övriga skulder", "Other debts"),
    (
        "Månader till skuldfrihet med avtalad betalning",
        "Months to pay off at the agreed payment",
    ),
    ("Månader", "Months"),
    ("aldrig", "never"),
    ("mer än {}", "more than {}"),
    ("Betalt totalt", "Total paid"),
    ("Ränta och avgifter", "Interest and fees"),
    (
        "Förslag till fördelning: {} per månad i proportion till skulderna",
        "Pro-rata offer of {} a month",
    ),
    ("inget att fördela", "nothing to offer"),
    (
        "Dröjsmålsränta på {}, {} dagar: {}",
        "Late interest (dröjsmålsränta) on {}, {} days: {}",
    ),
    ("Halvår", "Half-year"),
    ("Från", "From"),
    ("Till", "To"),
    ("Dagar", "Days"),
    (
        "Förbehållsbelopp för {}",
        "Protected amount (förbehållsbelopp) for {}",
    ),
    ("Förbehållsbelopp: {}", "Protected amount: {}"),
    (
        "Skuldsanering under {} år",
        "Debt restructuring (skuldsanering) over {} years",
    ),
    (
        "Förbehållsbelopp i skuldsanering: {} (varav buffert {})",
        "Protected amount in skuldsanering: {} (of which buffer {})",
    ),
    ("Varje år", "Each year"),
    ("År", "Year"),
    ("Inbetalt", "Paid in"),
    ("Till borgenärer", "To creditors"),
    ("Behövs inte", "Not needed"),
    ("Varje borgenär", "Each creditor"),
    ("Per år", "Per year"),
    ("Får", "Received"),
    ("Obetalt", "Unpaid"),
    (
        "Skulder totalt {}; till borgenärer {}; obetalt {}.",
        "Total debt {}; to creditors {}; unpaid {}.",
    ),
    // Landlords, leases, plans, notices
    ("Namn", "Name"),
    ("Organisationsnummer", "Org. number"),
    ("Bankgiro", "Bankgiro"),
    ("Plusgiro", "Plusgiro"),
    ("OCR", "OCR"),
    ("krävs", "required"),
    ("Inga hyresvärdar.", "No landlords."),
    ("Hyreskontrakt {}", "Lease {}"),
    ("Hyresvärd", "Landlord"),
    ("Objekt", "Object"),
    ("Kontrakt", "Type"),
    ("Hyra nu", "Rent now"),
    ("Från månad", "From month"),
    ("Månadshyra", "Monthly rent"),
    ("Hyran för {} förfaller {}.", "Rent for {} is due {}."),
    ("Sista dag att betala: {}", "Last day to pay: {}"),
    (
        "Hyresrätten kan förverkas från: {}",
        "The tenancy can be forfeited from: {}",
    ),
    (
        "Förslag till avbetalningsplan för hyresskuld (inget är sparat)",
        "Proposed rent-arrears plan (nothing is saved)",
    ),
    ("Hyresskuld", "Arrears"),
    ("{} från {}", "{} from {}"),
    ("Avbetalning", "Instalment"),
    ("{} månader", "{} months"),
    ("Antal månader", "Months"),
    (
        "Varje månad betalas den vanliga hyran och avbetalningen på hyrans förfallodag.",
        "Each month the ordinary rent and the instalment are due on the rent's due date.",
    ),
    ("Förfaller", "Due"),
    ("Hyra", "Rent"),
    ("Att betala", "Total due"),
    ("Läge", "State"),
    ("Avbetalningsplan för hyresskuld {}", "Rent-arrears plan {}"),
    (
        "{}: {} (bruten efter {} missade)",
        "{}: {} (broken after {} missed)",
    ),
    (
        "{}, kvar {}, för mycket betalt {}",
        "{}, outstanding {}, overpaid {}",
    ),
    ("Betalningsplan", "Schedule"),
    (
        "Betalningar på hyresskulden",
        "Payments towards the arrears",
    ),
    (
        "Inga underrättelser om risk för vräkning.",
        "No eviction-risk notices.",
    ),
    ("Sista dag", "Deadline"),
    ("Delgiven", "Served"),
    ("Löst", "Resolved"),
    ("Kontroll mot ärendet", "Checked against the case"),
    ("godkänd", "passed"),
    ("VARNING", "WARNING"),
    (
        "hyresgästen behåller bostaden genom att betala inom tre veckor från delgivningen av underrättelsen; en sista dag som inte är en vardag flyttas till nästa vardag",
        "the tenant keeps the home by paying within three weeks of being served the underrättelse; a last day that is not a vardag moves to the next vardag",
    ),
    (
        "hyran betalas i förskott, senast sista vardagen före månadens början",
        "rent is paid in advance, at the latest on the last vardag before the month begins",
    ),
    (
        "ett bostadskontrakt är förverkat när hyran är mer än en vecka sen efter förfallodagen; en sista dag som inte är en vardag flyttas till nästa vardag",
        "a home lease is forfeitable when rent is more than one week late after the due date; a last day that is not a vardag moves to the next vardag",
    ),
    ("ej kontrollerad", "not checked"),
    (
        "ingen sparad budget: avbetalningen prövas inte mot något överskott",
        "no saved budget: the instalment is not checked against a surplus",
    ),
    (
        "budgeten räcker till avbetalningen",
        "the budget covers the instalment",
    ),
    (
        "planen kan göras, men budgeten räcker inte till den",
        "the plan can be made, but the budget does not cover it",
    ),
    (
        "avbetalning {} {} överskott {} (senast sparade budget): {}",
        "instalment {} {} surplus {} (latest saved budget): {}",
    ),
    (
        "ingen öppen underrättelse om risk för vräkning på kontraktet",
        "no open eviction notice on the lease",
    ),
    (
        "första avbetalningen förfaller senast sista dagen",
        "the first instalment falls due by the deadline",
    ),
    (
        "första avbetalningen förfaller efter sista dagen att betala och behålla bostaden (JB 12:44)",
        "the first instalment falls due after the last day to pay and keep the home (JB 12:44)",
    ),
    (
        "första avbetalningen förfaller {}, underrättelsens sista dag {}: {}",
        "first instalment due {}, notice deadline {}: {}",
    ),
    ("okänd", "unknown"),
    ("överskott", "surplus"),
    ("underrättelsens sista dag", "the notice's deadline"),
    ("kontroll", "check"),
    ("okänt värde ({})", "unknown value ({})"),
    // Payouts, receipts and the rent check
    ("Utbetalning av hyra {}", "Rent payout {}"),
    ("Avser", "For"),
    ("Plan", "Plan"),
    ("Beslut", "Decision"),
    ("Inga utbetalningar.", "No payouts."),
    ("Inga kvitton.", "No receipts."),
    ("Betald", "Paid on"),
    ("Underlag", "Source"),
    (
        "För mycket betalt: {}: månadens utbetalningar och kvitton är mer än hyran",
        "Overpaid: {}: the month's payouts and receipts exceed its rent",
    ),
    ("Hyran för {}: {}", "Rent for {}: {}"),
    ("Hyra att betala", "Rent due"),
    ("{} den {}", "{} on {}"),
    ("Utbetalt", "Paid out"),
    ("Kvitton", "Receipts"),
    ("{}, ej förfallen ännu den {}", "{}, not yet due on {}"),
    (
        "{}, {} dagar efter förfallodagen den {}",
        "{}, {} days overdue on {}",
    ),
    ("För mycket", "Overpaid"),
    ("Utbetalning", "Payout"),
    ("Kvitto", "Receipt"),
    (
        "  Avbetalningsplan {}: delbetalning {} på {} förfaller {}, betalt {}: {}",
        "  Plan {}: instalment {} of {} due {}, paid {}: {}",
    ),
    (
        "{} ansökningar kontrollerade; svaren finns i {}",
        "{} applications checked; answers in {}",
    ),
    ("fel", "error"),
    // Norm status
    ("riksnorm", "riksnorm"),
    ("normalbelopp", "normalbelopp"),
    ("referensränta", "referensränta"),
    ("referenskostnader", "reference costs"),
    ("okänd tabell", "unknown table"),
    ("försörjningsstöd", "social assistance"),
    (
        "förbehållsbelopp och skuldsaneringsberäkningar",
        "protected amounts and skuldsanering estimates",
    ),
    ("dröjsmålsränta", "late interest"),
    ("jämförelser", "comparisons"),
    ("beräkningar", "calculations"),
    ("officiell", "official"),
    ("PRELIMINÄR", "PROVISIONAL"),
    ("SAKNAS", "MISSING"),
    ("Normtabeller som behövs den {}", "Norm tables needed on {}"),
    ("Tidsperiod", "Period"),
    ("Gäller", "In force"),
    ("{} (nästa)", "{} (next)"),
    (
        "Varning: ingen tabell för {} {} är inläst. Beräkningar av {} för perioden misslyckas med NORM_TABLE_MISSING tills en administratör läser in den med `budgetrad-cli norms import FIL`.",
        "Warning: no {} table for {} is loaded. Calculations of {} for the period fail with NORM_TABLE_MISSING until an administrator loads it with `budgetrad-cli norms import FILE`.",
    ),
    (
        "Obs: {} {} är preliminär ({}). Resultat som bygger på den säger det och ska stämmas av mot de officiella siffrorna när de finns.",
        "Note: {} {} is provisional ({}). Results built on it say so, and are to be checked against the official figures when they are published.",
    ),
    (
        "Alla tabeller som behövs är inlästa.",
        "Every table needed is loaded.",
    ),
    (
        "Någon tabell som behövs saknas.",
        "A table needed is missing.",
    ),
    // Payments to the bank
    ("Betalningsuppdrag {}", "Payment batch {}"),
    ("  Status:        {}", "  Status:        {}"),
    ("  Antal:         {}", "  Count:         {}"),
    ("  Summa:         {}", "  Total:         {}"),
    ("  Skapad av:     {}", "  Created by:    {}"),
    ("  Attesterad av: {}", "  Attested by:   {}"),
    ("  Exporterad av: {}", "  Exported by:   {}"),
    ("  Makulerad av:  {} ({})", "  Cancelled by:  {} ({})"),
    ("  Meddelande-id: {}", "  Message id:    {}"),
    ("skapad", "created"),
    ("attesterad", "attested"),
    ("exporterad", "exported"),
    ("makulerad", "cancelled"),
    ("i betalningsuppdrag", "in a payment batch"),
    ("skickad", "sent"),
    ("godkänd av banken", "accepted by the bank"),
    ("avvisad av banken", "rejected by the bank"),
    ("bokförd", "booked"),
    ("returnerad", "returned"),
    ("inte registrerad", "not recorded"),
    ("inte registrerad ({})", "not recorded ({})"),
    (", orsak {}", ", reason {}"),
    ("statusrapport (pain.002)", "status report (pain.002)"),
    (
        "debiteringsavisering (camt.054)",
        "debit notification (camt.054)",
    ),
    ("fil", "file"),
    (
        "Filen {} ({}) är redan inläst: inget ändrades",
        "The file {} ({}) is already imported: nothing changed",
    ),
    ("Inläst {} {}", "Imported {} {}"),
    ("Nästa sida: --page-token {}", "Next page: --page-token {}"),
    ("st", "payouts"),
    (
        "Betalfilen skrevs till {} ({} byte)\n",
        "The payment file was written to {} ({} bytes)\n",
    ),
    (
        "{} utbetalningar utelämnades: hyresvärden saknar postadress (ort och land)",
        "{} payouts were left out: the landlord has no postal address (town and country)",
    ),
    // Early warnings
    ("Nr", "No."),
    ("Varning", "Alert"),
    ("Senast", "Due"),
    ("Poster (per nr):", "Records (by no.):"),
    ("alla", "all"),
    ("Inga varningar.", "No alerts."),
    // The monthly follow-up
    ("Underrättelser mottagna", "Notices received"),
    ("Underrättelser lösta: {}", "Notices resolved: {}"),
    (
        "Underrättelser lösta inom tidsfristen",
        "Notices resolved within the deadline",
    ),
    (
        "Dagar från underrättelse till första åtgärd (median)",
        "Days from notice to first action (median)",
    ),
    (
        "Hushåll med barn bland underrättelserna",
        "Households with children among the notices",
    ),
    ("Avbetalningsplaner påbörjade", "Rent-arrears plans started"),
    (
        "Avbetalningsplaner fullföljda",
        "Rent-arrears plans completed",
    ),
    ("Avbetalningsplaner brutna", "Rent-arrears plans broken"),
    ("Avbetalningar betalda i tid", "Instalments paid on time"),
    ("Avbetalningar betalda för sent", "Instalments paid late"),
    ("Avbetalningar delvis betalda", "Instalments partly paid"),
    ("Avbetalningar missade", "Instalments missed"),
    ("Direktutbetalningar: {}", "Direct payouts: {}"),
    ("Direktutbetalningar, summa: {}", "Direct payouts, sum: {}"),
    (
        "Utbetalningar avvisade av banken",
        "Payouts rejected by the bank",
    ),
    (
        "Utbetalningar returnerade av banken",
        "Payouts returned by the bank",
    ),
    ("Hyran för månaden: {}", "The month's rent: {}"),
    (
        "Hushåll med två obetalda månader i rad",
        "Households with two unpaid months in a row",
    ),
    (
        "Hushåll per kontraktstyp: {}",
        "Households by contract type: {}",
    ),
    (
        "Flyttar uppåt på boendetrappan",
        "Moves up the housing ladder",
    ),
    (
        "Flyttar nedåt på boendetrappan",
        "Moves down the housing ladder",
    ),
    (
        "Boendetid i månader, medel: {}",
        "Length of stay in months, mean: {}",
    ),
    (
        "Boendetid i månader, median: {}",
        "Length of stay in months, median: {}",
    ),
    (
        "Hushåll med registrerade skulder",
        "Households with debts registered",
    ),
    (
        "Hushåll med erbjudande till borgenärerna",
        "Households given an offer to the creditors",
    ),
    (
        "Hushåll med beräkning av skuldsanering",
        "Households with a skuldsanering estimate",
    ),
    ("Uppföljning {}", "Follow-up {}"),
    ("Uppföljning {}, enhet {}", "Follow-up {}, unit {}"),
    ("Mått", "Measure"),
    ("Värde", "Value"),
    (
        "<5: färre än fem fall, visas inte. Definitionerna står i --json.",
        "<5: fewer than five cases, not shown. The definitions are in --json.",
    ),
    ("CSV skriven till {}", "CSV written to {}"),
];

mod messages;
mod violations;
pub use violations::violation_text;

#[cfg(test)]
mod tests;
