use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::bank_status::{StatusFileKind, read_status_file};
use super::pain001::{Debtor, FileHeader, Pain001Version, Pain001Writer, Transfer};
use super::*;
use crate::domain::identity::Bankgiro;
use crate::domain::lease::{PaymentAccount, PostalAddress};

fn batch(created_by: &str) -> PaymentBatch {
    PaymentBatch {
        id: Uuid::nil(),
        message_id: message_id(Uuid::nil()),
        filter: BatchFilter::default(),
        payout_count: 2,
        total: Money::from_ore(100_000),
        created_by: created_by.to_owned(),
        created_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        approved: None,
        exported: None,
        cancelled: None,
    }
}

fn reason(e: DomainError) -> &'static str {
    match e {
        DomainError::Refused { reason, .. } => reason,
        other => panic!("not a refusal: {other:?}"),
    }
}

#[test]
fn a_batch_is_attested_by_another_caller_with_its_own_figures() {
    let b = batch("payout-1");
    let total = Money::from_ore(100_000);
    assert_eq!(
        reason(accept_approval(&b, "payout-1", 2, total).unwrap_err()),
        "SAME_CALLER_CANNOT_ATTEST"
    );
    assert_eq!(
        reason(accept_approval(&b, "attester-1", 3, total).unwrap_err()),
        "BATCH_CHANGED"
    );
    assert_eq!(
        reason(accept_approval(&b, "attester-1", 2, Money::from_ore(99999)).unwrap_err()),
        "BATCH_CHANGED"
    );
    accept_approval(&b, "attester-1", 2, total).unwrap();
}

#[test]
fn a_batch_is_cancelled_before_export_and_exported_once_approved() {
    let mut b = batch("payout-1");
    assert_eq!(reason(accept_export(&b).unwrap_err()), "BATCH_NOT_APPROVED");
    assert!(accept_cancel(&b).unwrap());
    let event = BatchEvent {
        by: "attester-1".into(),
        at: b.created_at,
        reason: None,
    };
    b.approved = Some(event.clone());
    assert!(accept_export(&b).unwrap());
    b.exported = Some(event.clone());
    assert!(
        !accept_export(&b).unwrap(),
        "an export again records nothing"
    );
    assert_eq!(
        reason(accept_cancel(&b).unwrap_err()),
        "BATCH_ALREADY_EXPORTED"
    );
    let mut c = batch("payout-1");
    c.cancelled = Some(event);
    assert!(!accept_cancel(&c).unwrap());
    assert_eq!(reason(accept_export(&c).unwrap_err()), "BATCH_NOT_APPROVED");
}

#[test]
fn bank_states_follow_their_path_and_only_failures_free_the_amount() {
    use BankState::*;
    assert!(Batched.leads_to(Sent));
    assert!(Sent.leads_to(Accepted) && Sent.leads_to(Rejected));
    assert!(Accepted.leads_to(Booked) && Accepted.leads_to(Returned));
    assert!(Booked.leads_to(Returned));
    assert!(!Rejected.leads_to(Booked));
    assert!(!Batched.leads_to(Accepted));
    assert!(!Booked.leads_to(Accepted));
    let freeing: Vec<BankState> = BankState::ALL
        .into_iter()
        .filter(|s| s.frees_amount())
        .collect();
    assert_eq!(freeing, vec![Rejected, Returned]);
}

#[test]
fn end_to_end_ids_fit_max35_and_read_back() {
    let id = Uuid::now_v7();
    let e2e = end_to_end_id(id);
    assert!(e2e.len() <= 35);
    assert_eq!(payout_of_end_to_end_id(&e2e), Some(id));
    assert_eq!(payout_of_end_to_end_id("NOT-OURS"), None);
}

#[test]
fn the_debtor_is_checked() {
    // A synthetic Swedish IBAN with valid check digits.
    assert!(
        Debtor::parse(
            "Exempelby kommun",
            "SE45 5000 0000 0583 9825 7466",
            "ESSESESS"
        )
        .is_ok()
    );
    assert!(
        Debtor::parse(
            "Exempelby kommun",
            "SE46 5000 0000 0583 9825 7466",
            "ESSESESS"
        )
        .is_err()
    );
    assert!(Debtor::parse("Exempelby kommun", "SE4550000000058398257466", "ESSE").is_err());
    assert!(Debtor::parse("", "SE4550000000058398257466", "ESSESESS").is_err());
}

fn transfer(date: NaiveDate, ore: i64, ocr: Option<&str>) -> Transfer {
    Transfer {
        payout_id: Uuid::now_v7(),
        amount: Money::from_ore(ore),
        execution_date: date,
        account: PaymentAccount::Bankgiro(Bankgiro::parse("5050-1055").unwrap()),
        ocr_reference: ocr.map(str::to_owned),
        decision_reference: "BESLUT-1 & <2>".to_owned(),
        payee_name: "Bostadsbolaget AB".to_owned(),
        payee_address: PostalAddress {
            street_name: Some("Storgatan".into()),
            building_number: Some("1".into()),
            postal_code: Some("111 22".into()),
            town_name: "Exempelby".into(),
            country: "SE".into(),
        },
    }
}

fn write(
    version: Pain001Version,
    transfers: &[Transfer],
    count: i64,
    sum: Money,
) -> Result<String, super::pain001::Pain001Error> {
    let debtor = Debtor::parse("Exempelby kommun", "SE4550000000058398257466", "ESSESESS").unwrap();
    let header = FileHeader {
        message_id: "MSG1".into(),
        created_at: Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap(),
        count,
        control_sum: sum,
    };
    let mut w = Pain001Writer::start(Vec::new(), version, debtor, header)?;
    for t in transfers {
        w.push(t)?;
    }
    Ok(String::from_utf8(w.finish()?).unwrap())
}

#[test]
fn the_file_groups_by_date_and_checks_its_header() {
    let d1 = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let d2 = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
    let ts = [
        transfer(d1, 50000, Some("1234567897")),
        transfer(d1, 25050, None),
        transfer(d2, 10000, None),
    ];
    let xml = write(Pain001Version::V09, &ts, 3, Money::from_ore(85050)).unwrap();
    assert_eq!(xml.matches("<PmtInf>").count(), 2);
    assert!(xml.contains("<CtrlSum>850.50</CtrlSum>"));
    assert!(xml.contains("<InstdAmt Ccy=\"SEK\">250.50</InstdAmt>"));
    assert!(xml.contains("<Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>1234567897</Ref>"));
    assert!(xml.contains("<Ustrd>BESLUT-1 &amp; &lt;2&gt;</Ustrd>"));
    assert!(xml.contains("<Prtry>BGNR</Prtry>"));
    assert!(xml.contains("<MmbId>9900</MmbId>"));
    assert!(xml.contains("<ReqdExctnDt><Dt>2026-12-10</Dt></ReqdExctnDt>"));
    assert!(xml.contains("<BICFI>ESSESESS</BICFI>"));
    let v03 = write(Pain001Version::V03, &ts, 3, Money::from_ore(85050)).unwrap();
    assert!(v03.contains("<ReqdExctnDt>2026-12-10</ReqdExctnDt>"));
    assert!(v03.contains("<BIC>ESSESESS</BIC>"));
    // A header the transfers do not add up to is refused at the end.
    assert!(write(Pain001Version::V09, &ts, 3, Money::from_ore(85049)).is_err());
    assert!(write(Pain001Version::V09, &ts[..2], 3, Money::from_ore(85050)).is_err());
    // Out of date order.
    let unordered = [transfer(d2, 10000, None), transfer(d1, 10000, None)];
    assert!(write(Pain001Version::V09, &unordered, 2, Money::from_ore(20000)).is_err());
}

#[test]
fn status_files_are_read() {
    let pain002 = br#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
      <GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-12-04T10:00:00</CreDtTm></GrpHdr>
      <OrgnlGrpInfAndSts><OrgnlMsgId>MSG1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
      <OrgnlPmtInfAndSts><OrgnlPmtInfId>MSG1-1</OrgnlPmtInfId>
        <TxInfAndSts><OrgnlEndToEndId>AAA</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>
        <TxInfAndSts><OrgnlEndToEndId>BBB</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
      </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"#;
    let f = read_status_file(pain002).unwrap();
    assert_eq!(f.kind, StatusFileKind::Pain002);
    assert_eq!(f.message_id, "BANK-1");
    assert_eq!(f.original_message_id.as_deref(), Some("MSG1"));
    assert_eq!(
        f.group_state, None,
        "a partial group status says nothing of the rest"
    );
    assert_eq!(f.items.len(), 2);
    assert_eq!(f.items[0].state, BankState::Rejected);
    assert_eq!(f.items[0].reason_code.as_deref(), Some("AC04"));
    assert_eq!(f.items[1].state, BankState::Accepted);

    let camt = br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
      <GrpHdr><MsgId>BANK-2</MsgId></GrpHdr><Ntfctn><Id>N1</Id>
      <Ntry><Amt Ccy="SEK">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <NtryDtls><TxDtls><Refs><EndToEndId>AAA</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="SEK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <NtryDtls><TxDtls><Refs><EndToEndId>BBB</EndToEndId></Refs><RtrInf><Rsn><Cd>AC06</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="SEK">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
        <NtryDtls><TxDtls><Refs><EndToEndId>CCC</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
      </Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"#;
    let f = read_status_file(camt).unwrap();
    assert_eq!(f.kind, StatusFileKind::Camt054);
    assert_eq!(f.items.len(), 2, "a pending entry records nothing");
    assert_eq!(f.items[0].state, BankState::Booked);
    assert_eq!(f.items[1].state, BankState::Returned);
    assert_eq!(f.items[1].reason_code.as_deref(), Some("AC06"));

    assert!(read_status_file(b"<Document><Other/></Document>").is_err());
    assert!(read_status_file(b"not xml <<").is_err());
    assert!(
        read_status_file(b"<Document><CstmrPmtStsRpt><GrpHdr/></CstmrPmtStsRpt></Document>")
            .is_err()
    );
}

/// The file's elements, read back by quick-xml's reader: each element of a
/// credit transfer that holds text, by its path from `CdtTrfTxInf`, with
/// its text unescaped, in document order.
fn transfer_elements(xml: &str) -> Vec<(String, String)> {
    use quick_xml::Reader;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(xml);
    let (mut path, mut text, mut out) = (Vec::<String>::new(), String::new(), Vec::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                path.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                text.push_str(resolve_predefined_entity(&name).expect("a predefined entity"));
            }
            Event::End(_) => {
                if let Some(at) = path.iter().position(|p| p == "CdtTrfTxInf")
                    && !text.is_empty()
                {
                    out.push((path[at + 1..].join("/"), std::mem::take(&mut text)));
                }
                text.clear();
                path.pop();
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

#[test]
fn a_transfer_reads_back_element_by_element() {
    use crate::domain::identity::Plusgiro;
    let d1 = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let mut by_plusgiro = transfer(d1, 7, None);
    by_plusgiro.account = PaymentAccount::Plusgiro(Plusgiro::parse("441840").unwrap());
    by_plusgiro.payee_name = "Hyresvärd \"Å&Ö\" <AB>".into();
    by_plusgiro.payee_address = PostalAddress {
        street_name: None,
        building_number: None,
        postal_code: None,
        town_name: "Öby".into(),
        country: "SE".into(),
    };
    let with_ocr = transfer(d1, 123_456_789, Some("1234567897"));
    let ts = [by_plusgiro.clone(), with_ocr.clone()];
    let xml = write(Pain001Version::V09, &ts, 2, Money::from_ore(123_456_796)).unwrap();
    let e2e = |t: &Transfer| end_to_end_id(t.payout_id);
    let expected: Vec<(String, String)> = [
        ("PmtId/EndToEndId", e2e(&by_plusgiro)),
        ("Amt/InstdAmt", "0.07".into()),
        ("CdtrAgt/FinInstnId/ClrSysMmbId/ClrSysId/Cd", "SESBA".into()),
        ("CdtrAgt/FinInstnId/ClrSysMmbId/MmbId", "9960".into()),
        ("Cdtr/Nm", "Hyresvärd \"Å&Ö\" <AB>".into()),
        ("Cdtr/PstlAdr/TwnNm", "Öby".into()),
        ("Cdtr/PstlAdr/Ctry", "SE".into()),
        ("CdtrAcct/Id/Othr/Id", "441840".into()),
        ("CdtrAcct/Id/Othr/SchmeNm/Cd", "BBAN".into()),
        ("RmtInf/Ustrd", "BESLUT-1 & <2>".into()),
        ("PmtId/EndToEndId", e2e(&with_ocr)),
        ("Amt/InstdAmt", "1234567.89".into()),
        ("CdtrAgt/FinInstnId/ClrSysMmbId/ClrSysId/Cd", "SESBA".into()),
        ("CdtrAgt/FinInstnId/ClrSysMmbId/MmbId", "9900".into()),
        ("Cdtr/Nm", "Bostadsbolaget AB".into()),
        ("Cdtr/PstlAdr/StrtNm", "Storgatan".into()),
        ("Cdtr/PstlAdr/BldgNb", "1".into()),
        ("Cdtr/PstlAdr/PstCd", "111 22".into()),
        ("Cdtr/PstlAdr/TwnNm", "Exempelby".into()),
        ("Cdtr/PstlAdr/Ctry", "SE".into()),
        ("CdtrAcct/Id/Othr/Id", "50501055".into()),
        ("CdtrAcct/Id/Othr/SchmeNm/Prtry", "BGNR".into()),
        ("RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd", "SCOR".into()),
        ("RmtInf/Strd/CdtrRefInf/Ref", "1234567897".into()),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_owned(), text))
    .collect();
    assert_eq!(transfer_elements(&xml), expected);
    // An amount below zero is no credit transfer.
    assert!(
        write(
            Pain001Version::V09,
            &[transfer(d1, -100, None)],
            1,
            Money::from_ore(-100)
        )
        .is_err()
    );
}
