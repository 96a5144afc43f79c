//! The ISO 20022 customer credit transfer initiation (pain.001), written as
//! a stream: a header with the file's count and control sum, then one
//! credit transfer per payout, grouped by execution date into payment
//! information blocks. The rows come in execution-date order, so memory
//! stays flat whatever the file's size; [`Pain001Writer::finish`] checks that
//! what was written adds up to the header.
//!
//! It follows the Swedish common interpretation of ISO 20022 payment
//! messages: a bankgiro payee's account is `Othr/Id` with the proprietary
//! scheme `BGNR` and its agent the clearing member `9900` of `SESBA`; a
//! plusgiro payee's is `Othr/Id` with the scheme code `BBAN` and clearing
//! member `9960`; the EndToEndId is the payout id; an OCR number is a
//! structured creditor reference of type `SCOR`, else the decision
//! reference is the unstructured remittance; the payee's name and
//! structured postal address (town and country at least) go with each
//! transfer; amounts are in kronor with two decimals.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use quick_xml::Writer;
use quick_xml::escape::escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use uuid::Uuid;

use crate::domain::lease::{PaymentAccount, PostalAddress};
use crate::domain::money::Money;

/// The message version a bank takes (`--bank-profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pain001Version {
    /// pain.001.001.03, which many Swedish banks still take.
    V03,
    /// pain.001.001.09, the default.
    V09,
}

impl Pain001Version {
    pub fn namespace(self) -> &'static str {
        match self {
            Pain001Version::V03 => "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
            Pain001Version::V09 => "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Pain001Version::V03 => "pain.001.001.03",
            Pain001Version::V09 => "pain.001.001.09",
        }
    }
}

/// The paying municipality: its name, account (IBAN) and bank (BIC), from
/// the server's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debtor {
    pub name: String,
    pub iban: String,
    pub bic: String,
}

/// What the file's header states, from the ledger before a byte is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHeader {
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub count: i64,
    pub control_sum: Money,
}

/// One payout as a credit transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub payout_id: Uuid,
    pub amount: Money,
    /// The requested execution date.
    pub execution_date: NaiveDate,
    pub account: PaymentAccount,
    pub ocr_reference: Option<String>,
    pub decision_reference: String,
    pub payee_name: String,
    pub payee_address: PostalAddress,
}

#[derive(Debug, thiserror::Error)]
pub enum Pain001Error {
    #[error("writing the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the transfers written ({written}, {sum}) are not the header's count and control sum")]
    Mismatch { written: i64, sum: Money },
    #[error("the transfers are not in execution-date order")]
    Order,
    #[error("an amount is not in whole öre")]
    Amount,
}

/// The file being written into `W`.
pub struct Pain001Writer<W: Write> {
    xml: Writer<W>,
    version: Pain001Version,
    debtor: Debtor,
    header: FileHeader,
    block_date: Option<NaiveDate>,
    blocks: u32,
    written: i64,
    sum: Money,
}

impl<W: Write> Pain001Writer<W> {
    /// Writes the declaration and the group header.
    pub fn start(
        inner: W,
        version: Pain001Version,
        debtor: Debtor,
        header: FileHeader,
    ) -> Result<Self, Pain001Error> {
        let mut w = Pain001Writer {
            xml: Writer::new(inner),
            version,
            debtor,
            header,
            block_date: None,
            blocks: 0,
            written: 0,
            sum: Money::ZERO,
        };
        w.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.xml.write_event(Event::Start(
            BytesStart::new("Document").with_attributes([("xmlns", version.namespace())]),
        ))?;
        w.open("CstmrCdtTrfInitn")?;
        w.open("GrpHdr")?;
        let message_id = w.header.message_id.clone();
        w.leaf("MsgId", &message_id)?;
        let created = w.header.created_at.format("%Y-%m-%dT%H:%M:%S").to_string();
        w.leaf("CreDtTm", &created)?;
        w.leaf("NbOfTxs", &w.header.count.to_string())?;
        let sum = amount(w.header.control_sum)?;
        w.leaf("CtrlSum", &sum)?;
        w.open("InitgPty")?;
        let name = w.debtor.name.clone();
        w.leaf("Nm", &name)?;
        w.close("InitgPty")?;
        w.close("GrpHdr")?;
        Ok(w)
    }

    /// The bytes written so far, to be sent and cleared.
    pub fn get_mut(&mut self) -> &mut W {
        self.xml.get_mut()
    }

    /// Writes one credit transfer, opening a payment information block when
    /// its execution date differs from the one before. A transfer is the
    /// bulk of the file, so it is written as its fixed markup around its
    /// values, each value escaped as quick-xml escapes text: the same bytes
    /// as element by element, without an event per tag.
    pub fn push(&mut self, t: &Transfer) -> Result<(), Pain001Error> {
        match self.block_date {
            Some(date) if date == t.execution_date => {}
            Some(date) if date > t.execution_date => return Err(Pain001Error::Order),
            Some(_) => {
                self.close("PmtInf")?;
                self.open_block(t.execution_date)?;
            }
            None => self.open_block(t.execution_date)?,
        }
        let ore = t.amount.to_ore().ok_or(Pain001Error::Amount)?;
        if ore < 0 {
            return Err(Pain001Error::Amount);
        }
        let mut id = [0u8; uuid::fmt::Simple::LENGTH];
        // The EndToEndId: [`super::end_to_end_id`], without a String per
        // transfer.
        let id = t.payout_id.simple().encode_lower(&mut id);
        let (account, scheme, member): (&str, &[u8], &[u8]) = match &t.account {
            PaymentAccount::Bankgiro(bg) => (bg.as_str(), b"<Prtry>BGNR</Prtry>", b"9900"),
            PaymentAccount::Plusgiro(pg) => (pg.as_str(), b"<Cd>BBAN</Cd>", b"9960"),
        };
        let w = self.xml.get_mut();
        w.write_all(b"<CdtTrfTxInf><PmtId><EndToEndId>")?;
        w.write_all(id.as_bytes())?;
        w.write_all(b"</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"SEK\">")?;
        write!(w, "{}.{:02}", ore / 100, ore % 100)?;
        w.write_all(
            b"</InstdAmt></Amt><CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>SESBA</Cd>\
              </ClrSysId><MmbId>",
        )?;
        w.write_all(member)?;
        w.write_all(b"</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt><Cdtr>")?;
        text(w, "Nm", &t.payee_name)?;
        let a = &t.payee_address;
        w.write_all(b"<PstlAdr>")?;
        for (tag, value) in [
            ("StrtNm", &a.street_name),
            ("BldgNb", &a.building_number),
            ("PstCd", &a.postal_code),
        ] {
            if let Some(value) = value {
                text(w, tag, value)?;
            }
        }
        text(w, "TwnNm", &a.town_name)?;
        text(w, "Ctry", &a.country)?;
        w.write_all(b"</PstlAdr></Cdtr><CdtrAcct><Id><Othr>")?;
        text(w, "Id", account)?;
        w.write_all(b"<SchmeNm>")?;
        w.write_all(scheme)?;
        w.write_all(b"</SchmeNm></Othr></Id></CdtrAcct><RmtInf>")?;
        match &t.ocr_reference {
            Some(ocr) => {
                w.write_all(b"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>")?;
                text(w, "Ref", ocr)?;
                w.write_all(b"</CdtrRefInf></Strd>")?;
            }
            None => text(w, "Ustrd", &t.decision_reference)?,
        }
        w.write_all(b"</RmtInf></CdtTrfTxInf>")?;
        self.written += 1;
        self.sum += t.amount;
        Ok(())
    }

    /// Closes the file, after checking that the transfers written are the
    /// header's count and control sum.
    pub fn finish(mut self) -> Result<W, Pain001Error> {
        if self.written != self.header.count || self.sum != self.header.control_sum {
            return Err(Pain001Error::Mismatch {
                written: self.written,
                sum: self.sum,
            });
        }
        if self.block_date.is_some() {
            self.close("PmtInf")?;
        }
        self.close("CstmrCdtTrfInitn")?;
        self.close("Document")?;
        Ok(self.xml.into_inner())
    }

    fn open_block(&mut self, date: NaiveDate) -> Result<(), Pain001Error> {
        self.blocks += 1;
        self.block_date = Some(date);
        self.open("PmtInf")?;
        let id = format!("{}-{}", self.header.message_id, self.blocks);
        self.leaf("PmtInfId", &id)?;
        self.leaf("PmtMtd", "TRF")?;
        self.open("PmtTpInf")?;
        self.open("SvcLvl")?;
        self.leaf("Cd", "NURG")?;
        self.close("SvcLvl")?;
        self.close("PmtTpInf")?;
        let date = date.format("%Y-%m-%d").to_string();
        match self.version {
            Pain001Version::V03 => self.leaf("ReqdExctnDt", &date)?,
            Pain001Version::V09 => {
                self.open("ReqdExctnDt")?;
                self.leaf("Dt", &date)?;
                self.close("ReqdExctnDt")?;
            }
        }
        let debtor = self.debtor.clone();
        self.open("Dbtr")?;
        self.leaf("Nm", &debtor.name)?;
        self.close("Dbtr")?;
        self.open("DbtrAcct")?;
        self.open("Id")?;
        self.leaf("IBAN", &debtor.iban)?;
        self.close("Id")?;
        self.close("DbtrAcct")?;
        self.open("DbtrAgt")?;
        self.open("FinInstnId")?;
        let bic = match self.version {
            Pain001Version::V03 => "BIC",
            Pain001Version::V09 => "BICFI",
        };
        self.leaf(bic, &debtor.bic)?;
        self.close("FinInstnId")?;
        self.close("DbtrAgt")?;
        Ok(())
    }

    fn open(&mut self, tag: &str) -> std::io::Result<()> {
        self.xml.write_event(Event::Start(BytesStart::new(tag)))
    }

    fn close(&mut self, tag: &str) -> std::io::Result<()> {
        self.xml.write_event(Event::End(BytesEnd::new(tag)))
    }

    fn leaf(&mut self, tag: &str, text: &str) -> std::io::Result<()> {
        self.xml
            .create_element(tag)
            .write_text_content(BytesText::new(text))
            .map(|_| ())
    }
}

/// `<tag>value</tag>`, the value escaped as [`BytesText::new`] escapes it.
fn text<W: Write>(w: &mut W, tag: &str, value: &str) -> std::io::Result<()> {
    w.write_all(b"<")?;
    w.write_all(tag.as_bytes())?;
    w.write_all(b">")?;
    w.write_all(escape(value).as_bytes())?;
    w.write_all(b"</")?;
    w.write_all(tag.as_bytes())?;
    w.write_all(b">")
}

/// Kronor with two decimals, from whole öre.
fn amount(m: Money) -> Result<String, Pain001Error> {
    m.to_ore().ok_or(Pain001Error::Amount)?;
    Ok(m.to_wire())
}

impl Debtor {
    /// The debtor of the configuration, checked: a name of at most 70
    /// characters, an IBAN with its check digits (ISO 13616, mod 97) and a
    /// BIC of 8 or 11 characters (ISO 9362). The error names the setting.
    pub fn parse(name: &str, iban: &str, bic: &str) -> Result<Debtor, String> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 70 {
            return Err("the debtor name must have 1 to 70 characters".to_owned());
        }
        let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        if !valid_iban(&iban) {
            return Err("the debtor IBAN is not a valid IBAN (check digits, mod 97)".to_owned());
        }
        let bic = bic.trim().to_owned();
        if !valid_bic(&bic) {
            return Err("the debtor BIC is not a BIC of 8 or 11 characters".to_owned());
        }
        Ok(Debtor {
            name: name.to_owned(),
            iban,
            bic,
        })
    }
}

/// An IBAN: two capitals, two check digits, up to 30 capitals and digits,
/// and the whole, rearranged, equal to 1 modulo 97.
fn valid_iban(iban: &str) -> bool {
    let b = iban.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let mut rest: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let value = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    rest == 1
}

/// A BIC: bank code (4 letters), country (2 letters), location (2 letters
/// or digits), and an optional branch (3 letters or digits).
fn valid_bic(bic: &str) -> bool {
    let b = bic.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}
