use super::*;
use crate::documents::model::ID_ON_PAGE;
use crate::domain::money::Money;

fn sample(name: &str) -> Document {
    Document {
        kind: "DEBT_OVERVIEW".to_owned(),
        document_id: "0193a5b0-0000-7000-8000-000000000001".to_owned(),
        title: "Skuldöversikt".to_owned(),
        municipality: "Exempelby kommun".to_owned(),
        unit: "Budget- och skuldrådgivningen".to_owned(),
        date: "2026-12-02".to_owned(),
        date_text: crate::domain::calendar::date_sv(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        ),
        provisional: true,
        letters: vec![Letter {
            recipient: vec![name.to_owned(), "Storgatan 1".to_owned()],
            reference: Some("ÅÄÖ-123 ]".to_owned()),
            title: "Skuldöversikt för hushållet".to_owned(),
            blocks: vec![
                Block::paragraph(format!("Hushållet {name} har följande skulder.")),
                Block::table(
                    &["Borgenär", "Skuld"],
                    1,
                    vec![vec![
                        name.to_owned(),
                        Money::from_kronor(14_350).display_sv(),
                    ]],
                )
                .with_total(vec![
                    "Summa".to_owned(),
                    Money::from_kronor(14_350).display_sv(),
                ]),
                Block::Figures {
                    rows: vec![Figure {
                        provisional: true,
                        ..Figure::new(
                            "Förbehållsbelopp",
                            Money::from_ore(1_234_550),
                            Some(Basis::new(
                                "normalbelopp",
                                "docs/sources.md §3",
                                "6 000 + 6 345,50 = 12 345,50",
                            )),
                        )
                    }],
                },
                Block::note(name),
                Block::Signatures {
                    lines: vec!["Klient".to_owned(), "Rådgivare".to_owned()],
                },
            ],
        }],
    }
}

fn created() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap()
}

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf)
        .unwrap()
        .replace('\u{a0}', " ")
}

#[test]
fn a_document_is_pdf_a_2b_with_its_text_extractable() {
    let pdf = render(&sample("Anna Andersson"), created()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>"),
        "no PDF/A part"
    );
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    let text = text_of(&pdf);
    for expected in [
        "Skuldöversikt",
        "Exempelby kommun",
        "2 december 2026",
        "14 350,00 kr",
        "12 345,50 kr",
        "Anna Andersson",
        "PRELIMINÄR",
        "Sida 1 av 1",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
}

#[test]
fn names_that_look_like_markup_are_printed_as_written() {
    for name in [
        "#exit",
        "]",
        "#panic(\"x\")",
        "$x$ *y* _z_ <a> @b",
        "\\",
        "// c",
        "{",
        "`",
    ] {
        let pdf = render(&sample(name), created()).unwrap();
        let text = text_of(&pdf);
        assert!(text.contains(name), "{name:?} missing from {text}");
    }
}

#[test]
fn a_basis_prints_no_raw_id_and_keeps_it_for_the_twin() {
    let id = "0193a5b0-0000-7000-8000-00000000000a";
    let b = Basis::new("r", &format!("skuld {id}; plan {id}."), "1 + 1 = 2");
    assert_eq!(b.source, format!("skuld {ID_ON_PAGE}; plan {ID_ON_PAGE}."));
    assert_eq!(b.records, [id, id]);
    assert_eq!(Basis::new("ÅÄÖ – x", "", "").rule, "ÅÄÖ – x");
}
