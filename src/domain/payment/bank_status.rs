//! The bank's answers to a pain.001, read with a streaming XML reader:
//! pain.002 (customer payment status report: the group's status and each
//! transaction's, with reason codes) and camt.054 (debit notification:
//! entries booked, or returned, matched by EndToEndId). Any version of
//! either message is read by its element names, which these versions share.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::BankState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFileKind {
    Pain002,
    Camt054,
}

impl StatusFileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFileKind::Pain002 => "pain.002",
            StatusFileKind::Camt054 => "camt.054",
        }
    }
}

/// What the file says of one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusItem {
    pub end_to_end_id: String,
    pub state: BankState,
    pub reason_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFile {
    pub kind: StatusFileKind,
    /// The file's own GrpHdr/MsgId.
    pub message_id: String,
    /// pain.002: the message it answers (OrgnlMsgId).
    pub original_message_id: Option<String>,
    /// pain.002: the state the group's status gives every transaction the
    /// file does not list (`None` for a partial or pending group status).
    pub group_state: Option<BankState>,
    pub group_reason: Option<String>,
    pub items: Vec<StatusItem>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StatusFileError {
    #[error("the file is not well-formed XML: {0}")]
    Xml(String),
    #[error("the file is neither a pain.002 nor a camt.054")]
    UnknownMessage,
    #[error("the file has no message id (GrpHdr/MsgId)")]
    NoMessageId,
    #[error("a transaction has no EndToEndId")]
    NoEndToEndId,
}

/// The state an ISO transaction or group status code gives: accepted at
/// any stage, or rejected; `None` for pending, partial and the like.
fn pain002_state(code: &str) -> Option<BankState> {
    match code {
        "ACCP" | "ACSP" | "ACSC" | "ACTC" | "ACWC" | "ACCC" => Some(BankState::Accepted),
        "RJCT" => Some(BankState::Rejected),
        _ => None,
    }
}

/// What is gathered while inside one transaction or entry.
#[derive(Default)]
struct Current {
    end_to_end_id: Option<String>,
    status: Option<String>,
    reason: Option<String>,
    returned: bool,
}

/// Reads a pain.002 or camt.054.
pub fn read_status_file(bytes: &[u8]) -> Result<StatusFile, StatusFileError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut kind = None;
    let mut message_id = None;
    let mut original = None;
    let mut group_status: Option<String> = None;
    let mut group_reason = None;
    // camt.054: the entry's status, direction and reversal flag.
    let mut entry_booked = false;
    let mut entry_credit = false;
    let mut entry_reversed = false;
    let mut tx = Current::default();
    let mut items = Vec::new();
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| StatusFileError::Xml(e.to_string()))?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.len() == 1 {
                    kind = match name.as_str() {
                        "CstmrPmtStsRpt" => Some(StatusFileKind::Pain002),
                        "BkToCstmrDbtCdtNtfctn" => Some(StatusFileKind::Camt054),
                        _ => return Err(StatusFileError::UnknownMessage),
                    };
                }
                match name.as_str() {
                    "TxInfAndSts" | "TxDtls" => tx = Current::default(),
                    "Ntry" => {
                        entry_booked = false;
                        entry_credit = false;
                        entry_reversed = false;
                    }
                    "RtrInf" => tx.returned = true,
                    _ => {}
                }
                path.push(name);
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err(StatusFileError::Xml("unbalanced end tag".into()));
                };
                match (kind, name.as_str()) {
                    (Some(StatusFileKind::Pain002), "TxInfAndSts") => {
                        let current = std::mem::take(&mut tx);
                        let id = current.end_to_end_id.ok_or(StatusFileError::NoEndToEndId)?;
                        if let Some(state) = current.status.as_deref().and_then(pain002_state) {
                            items.push(StatusItem {
                                end_to_end_id: id,
                                state,
                                reason_code: current.reason,
                            });
                        }
                    }
                    (Some(StatusFileKind::Camt054), "TxDtls") => {
                        let current = std::mem::take(&mut tx);
                        let id = current.end_to_end_id.ok_or(StatusFileError::NoEndToEndId)?;
                        let returned = current.returned || entry_reversed || entry_credit;
                        let state = if returned {
                            Some(BankState::Returned)
                        } else if entry_booked {
                            Some(BankState::Booked)
                        } else {
                            None
                        };
                        if let Some(state) = state {
                            items.push(StatusItem {
                                end_to_end_id: id,
                                state,
                                reason_code: current.reason,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                let text = t
                    .decode()
                    .map_err(|e| StatusFileError::Xml(e.to_string()))?
                    .trim()
                    .to_owned();
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                match p.as_slice() {
                    [_, _, "GrpHdr", "MsgId"] => message_id = Some(text),
                    [.., "OrgnlGrpInfAndSts", "OrgnlMsgId"] => original = Some(text),
                    [.., "OrgnlGrpInfAndSts", "GrpSts"] => group_status = Some(text),
                    [.., "OrgnlGrpInfAndSts", "StsRsnInf", "Rsn", "Cd"] => {
                        group_reason = Some(text);
                    }
                    [.., "TxInfAndSts", "OrgnlEndToEndId"]
                    | [.., "TxDtls", "Refs", "EndToEndId"] => {
                        tx.end_to_end_id = Some(text);
                    }
                    [.., "TxInfAndSts", "TxSts"] => tx.status = Some(text),
                    [.., "TxInfAndSts", "StsRsnInf", "Rsn", "Cd"]
                    | [.., "TxDtls", "RtrInf", "Rsn", "Cd"] => tx.reason = Some(text),
                    // camt.054.001.02 has the status as text, later versions
                    // as a code inside it.
                    [.., "Ntry", "Sts"] | [.., "Ntry", "Sts", "Cd"] => {
                        entry_booked = text == "BOOK";
                    }
                    [.., "Ntry", "CdtDbtInd"] => entry_credit = text == "CRDT",
                    [.., "Ntry", "RvslInd"] => entry_reversed = text == "true",
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let kind = kind.ok_or(StatusFileError::UnknownMessage)?;
    let message_id = message_id
        .filter(|m| !m.is_empty())
        .ok_or(StatusFileError::NoMessageId)?;
    Ok(StatusFile {
        kind,
        message_id,
        original_message_id: original,
        group_state: group_status.as_deref().and_then(pain002_state),
        group_reason,
        items,
    })
}
