//! Tamper evidence: hash chains over the append-only records.
//!
//! Every rent-ledger entry (payout, reversal, receipt) is a link in its
//! lease's chain, and every audit row a link in the audit chain. A link's
//! hash is SHA-256 over its predecessor's hash and the record's canonical
//! text ([`Canonical`]), so changing, removing or reordering a record
//! behind the service's back breaks the chain from that record on, and
//! [`link_hash`] recomputed from the rows names it.
//!
//! The canonical text is the record's kind, then each field in a fixed
//! order as `<bytes>:<value>` (or `~` for a NULL), each followed by a line
//! feed: unambiguous whatever a value holds. The PostgreSQL store builds
//! the same text in SQL (`store::chain`); the tests there hold the two
//! together.

use sha2::{Digest, Sha256};

/// The predecessor's hash of a chain's first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The kinds of record that are links in a chain, by the name stored with
/// the link and shown to an auditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainedKind {
    Payout,
    Reversal,
    Receipt,
    AuditEvent,
}

impl ChainedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChainedKind::Payout => "payout",
            ChainedKind::Reversal => "reversal",
            ChainedKind::Receipt => "receipt",
            ChainedKind::AuditEvent => "audit_event",
        }
    }

    pub fn from_str_opt(text: &str) -> Option<Self> {
        [
            ChainedKind::Payout,
            ChainedKind::Reversal,
            ChainedKind::Receipt,
            ChainedKind::AuditEvent,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// A record's canonical text, field by field.
#[derive(Debug, Clone)]
pub struct Canonical(String);

impl Canonical {
    pub fn new(kind: ChainedKind) -> Self {
        let mut text = String::with_capacity(512);
        text.push_str(kind.as_str());
        text.push('\n');
        Canonical(text)
    }

    /// The next field, `None` for NULL.
    pub fn field(mut self, value: Option<&str>) -> Self {
        match value {
            Some(v) => {
                self.0.push_str(&v.len().to_string());
                self.0.push(':');
                self.0.push_str(v);
            }
            None => self.0.push('~'),
        }
        self.0.push('\n');
        self
    }

    pub fn text(&self) -> &str {
        &self.0
    }
}

/// A link's hash: SHA-256, as lower-case hex, over the predecessor's hash,
/// a line feed and the record's canonical text.
pub fn link_hash(previous: &str, record: &Canonical) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(record.text().as_bytes());
    hex(&hasher.finalize())
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex, without a formatting call per byte (every authenticated
/// call hashes its token).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Why a record does not match its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    /// The record's content no longer gives the hash its link stored.
    HashMismatch,
    /// A link names a record that is gone.
    RecordMissing,
    /// A record that should be a link is in no chain.
    RecordUnchained,
    /// A link's predecessor or position is not the link before it.
    ChainBroken,
}

/// The first record that does not match, in the order verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstMismatch {
    pub kind: ChainedKind,
    /// The record's id (an audit row's sequence number as text).
    pub record_id: String,
    pub mismatch: Mismatch,
}

/// What verifying every chain found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verification {
    /// Ledger entries whose link was recomputed.
    pub ledger_entries_checked: u64,
    /// Leases with a chain.
    pub ledger_chains_checked: u64,
    /// Audit rows whose link was recomputed.
    pub audit_events_checked: u64,
    /// Audit rows written after the last seal, not yet in the chain.
    pub audit_events_unsealed: u64,
    /// SHA-256 over every lease chain's last hash in lease order: an
    /// auditor who keeps it can tell later whether any chain was rewritten
    /// as a whole.
    pub ledger_root: String,
    /// The audit chain's last hash.
    pub audit_head: String,
    pub first_mismatch: Option<FirstMismatch>,
}

#[cfg(test)]
mod tests;
