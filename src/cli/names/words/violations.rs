//! The server's field violations in Swedish, by their reason code. The
//! wire carries a language-neutral code and an English description
//! (`src/domain/error.rs`, `REASONS`); in English the CLI prints the
//! description, which also carries the rule's figures, and in Swedish the
//! row below. A code this table does not know prints its description.

use super::{Lang, lang};

/// Reason code, Swedish.
const REASONS_SV: &[(&str, &str)] = &[
    ("REQUIRED", "saknas; ange ett värde"),
    ("NOT_BOTH", "ange det ena eller det andra, inte båda"),
    ("BOTH_OR_NEITHER", "ange båda eller ingen av dem"),
    ("TOO_LONG", "texten är för lång"),
    (
        "CONTROL_CHARACTERS",
        "får inte innehålla styrtecken (som radbrytning eller tabb)",
    ),
    ("SPACE_AT_EDGE", "får inte börja eller sluta med mellanslag"),
    ("NO_LETTER", "måste innehålla minst en bokstav"),
    ("NEGATIVE", "får inte vara negativt"),
    ("NOT_POSITIVE", "måste vara större än noll"),
    ("BEFORE_START", "får inte ligga före periodens början"),
    ("IN_FUTURE", "får inte ligga i framtiden"),
    ("OUT_OF_RANGE", "ligger utanför det som godtas"),
    ("TOO_LARGE", "beloppet är för stort för att räkna med"),
    ("TOO_MANY_DECIMALS", "högst två decimaler (hela ören)"),
    ("DUPLICATE", "anges två gånger"),
    ("NOT_FOUND", "finns inte"),
    ("NOT_OF_HOUSEHOLD", "hör inte till hushållet"),
    ("UNKNOWN_VALUE", "okänt värde"),
    ("NOT_HERE", "ändras inte här utan med ett eget kommando"),
    ("NO_CHANGE", "en rättelse måste ändra saldot"),
    ("CHILD_ONLY", "gäller bara barn"),
    ("NOT_BORN", "personen är inte född den månaden"),
    (
        "HOUSEHOLD_COMPOSITION",
        "ett hushåll har en sökande (en vuxen) och högst en partner; andra vuxna anges som övriga vuxna",
    ),
    (
        "NO_RENT_IN_MONTH",
        "hyreskontraktet har ingen hyra den månaden",
    ),
    ("ABOVE_ARREARS", "får inte vara större än hyresskulden"),
    ("BIRTH_DATE_MISMATCH", "stämmer inte med personnumret"),
    (
        "AMOUNT_INVALID",
        "inte ett belopp; skriv till exempel 1 500,50",
    ),
    (
        "PERCENT_INVALID",
        "inte en procentsats; skriv siffror med högst två decimaler, som 12.5",
    ),
    (
        "DATE_INVALID",
        "inte ett datum; skriv till exempel 2026-12-02",
    ),
    ("MONTH_INVALID", "inte en månad; skriv till exempel 2026-12"),
    ("TIMESTAMP_INVALID", "inte en giltig tidpunkt"),
    ("ID_INVALID", "inte ett id från tjänsten"),
    (
        "PAGE_TOKEN_INVALID",
        "inte en sidmarkör från tjänsten; ange den som förra sidan skrev ut",
    ),
    (
        "PERSONNUMMER_INVALID",
        "inte ett giltigt personnummer eller samordningsnummer",
    ),
    (
        "ORGANISATION_NUMBER_INVALID",
        "inte ett giltigt organisationsnummer (som 556677-8899)",
    ),
    (
        "BANKGIRO_INVALID",
        "inte ett giltigt bankgironummer (som 5123-4565)",
    ),
    ("PLUSGIRO_INVALID", "inte ett giltigt plusgironummer"),
    ("OCR_INVALID", "inte ett giltigt OCR-nummer"),
    (
        "POSTAL_CODE_INVALID",
        "ett postnummer är fem siffror, som 12345 eller 123 45",
    ),
    ("COUNTRY_INVALID", "en landskod med två versaler, som SE"),
    ("UNIT_CODE_INVALID", "inte en giltig enhetskod"),
    (
        "NORM_ID_INVALID",
        "ett tabell-id skrivs med a–z, 0–9 och '-', som riksnorm-2027",
    ),
    ("FILE_INVALID", "filen kan inte läsas"),
];

/// What a field violation says, in this run's language: in Swedish its
/// code's row, in English (or for a code not known here) the server's
/// description.
pub fn violation_text(reason: &str, description: &str) -> String {
    if reason == crate::grpc::status::MORE_NOT_LISTED {
        let count = description
            .split_whitespace()
            .next()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()));
        if let (Lang::Sv, Some(count)) = (lang(), count) {
            return format!("och {count} fel till som inte visas");
        }
        return description.to_owned();
    }
    match lang() {
        Lang::En => description.to_owned(),
        Lang::Sv => REASONS_SV
            .iter()
            .find(|(code, _)| *code == reason)
            .map_or_else(|| description.to_owned(), |(_, sv)| (*sv).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::REASONS;

    #[test]
    fn every_reason_the_server_sends_has_its_swedish_row_and_every_row_a_reason() {
        for code in REASONS {
            assert!(
                REASONS_SV.iter().any(|(c, _)| c == code),
                "{code} has no Swedish row"
            );
        }
        for (code, _) in REASONS_SV {
            assert!(
                REASONS.contains(code),
                "{code} is not a reason the server sends"
            );
        }
    }

    #[test]
    fn a_code_not_known_here_prints_the_servers_description() {
        assert_eq!(
            violation_text("SOMETHING_NEW", "is something new"),
            "is something new"
        );
        assert_eq!(
            violation_text(
                crate::grpc::status::MORE_NOT_LISTED,
                "9900 more invalid field(s) not listed"
            ),
            "och 9900 fel till som inte visas"
        );
    }
}
