//! Bearer tokens: the TOML file that holds their SHA-256 hashes, the store
//! the auth layer checks a secret against, and the watch that reloads the
//! file when `budgetrad token` changes it.
//!
//! The file fails closed: when it is missing or does not parse, every bearer
//! token is refused (clients with a certificate are unaffected) until a file
//! that parses is back. The watch looks at the file's inode, length and
//! modification time, a `stat` call, every [`TOKENS_INTERVAL`], so a
//! revocation applies within that.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Caller, Role};
use crate::domain::error::Violations;
use crate::domain::names::check_name;
use crate::domain::unit::Units;

/// How often the token file is checked for a change: a revoked token is
/// refused within this.
pub const TOKENS_INTERVAL: Duration = Duration::from_millis(250);

/// How long the bootstrap token of a first start works: long enough to
/// create the real tokens, short enough that a forgotten secret file does
/// not stay a key to everything.
pub const BOOTSTRAP_LIFETIME: TimeDelta = TimeDelta::days(7);

/// The name of the bootstrap token.
pub const BOOTSTRAP_NAME: &str = "bootstrap-admin";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    pub name: String,
    /// Hex SHA-256 of the secret.
    pub sha256: String,
    pub roles: Vec<Role>,
    /// The units whose households the caller sees, `["*"]` for all. Left
    /// out: all units for a token with the admin or auditor role, else only
    /// the server's default unit ([`Caller::units`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Units>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// How the caller signs the letters it renders (RenderDocument); left
    /// out, a letter has an unnamed signature line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

/// A person's name and unit as a letter's signature prints them, such as
/// "Anna Lind" of "Enheten för ekonomiskt bistånd". Personal data: never
/// logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub name: String,
    pub unit: String,
}

impl Signature {
    /// A signature checked as the letters need it: a name with a letter
    /// and a unit, each at most 100 characters without control characters.
    pub fn new(name: &str, unit: &str) -> anyhow::Result<Signature> {
        let mut v = Violations::new();
        check_name(name, "--display-name", &mut v);
        check_name(unit, "--signature-unit", &mut v);
        if name.is_empty() {
            v.add(
                "--display-name",
                "REQUIRED",
                "required with --signature-unit",
            );
        }
        if unit.is_empty() {
            v.add(
                "--signature-unit",
                "REQUIRED",
                "required with --display-name",
            );
        }
        if let Some(f) = v.iter().next() {
            anyhow::bail!("{}: {}", f.field, f.description);
        }
        Ok(Signature {
            name: name.to_owned(),
            unit: unit.to_owned(),
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenFile {
    #[serde(default, rename = "token")]
    pub tokens: Vec<TokenEntry>,
}

pub fn hash_secret(secret: &str) -> String {
    crate::domain::chain::sha256_hex(secret.as_bytes())
}

/// A new secret: "brt_" and 64 hex digits of operating-system randomness.
pub fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(format!("brt_{}", crate::domain::chain::hex(&bytes)))
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No token in force has this secret.
    Invalid,
    /// The token's expiry has passed.
    Expired,
}

/// The tokens the server accepts, by hash.
#[derive(Debug, Default)]
pub struct TokenStore {
    by_hash: HashMap<String, TokenEntry>,
}

impl TokenStore {
    pub fn from_file(file: TokenFile) -> TokenStore {
        TokenStore {
            by_hash: file
                .tokens
                .into_iter()
                .map(|t| (t.sha256.to_ascii_lowercase(), t))
                .collect(),
        }
    }

    pub fn authenticate(&self, secret: &str, now: DateTime<Utc>) -> Result<Caller, TokenRefusal> {
        let entry = self
            .by_hash
            .get(&hash_secret(secret))
            .ok_or(TokenRefusal::Invalid)?;
        if entry.expires_at.is_some_and(|t| t <= now) {
            return Err(TokenRefusal::Expired);
        }
        Ok(Caller {
            name: entry.name.clone(),
            roles: entry.roles.clone(),
            units: entry.units.clone(),
            signature: entry.signature.clone(),
        })
    }
}

impl TokenFile {
    /// Adds a token for `name` with `roles` and `units` (None: see
    /// [`TokenEntry::units`]); returns its secret, which is not kept
    /// anywhere (only its hash is). An expiry must be later than `now`.
    pub fn add(
        &mut self,
        name: &str,
        roles: Vec<Role>,
        units: Option<Units>,
        expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let valid_name = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !valid_name {
            anyhow::bail!("a token name is 1–64 characters of a–z, A–Z, 0–9, '-', '_' and '.'");
        }
        if self.tokens.iter().any(|t| t.name == name) {
            anyhow::bail!(
                "a token named {name} exists already; revoke it first or choose another name"
            );
        }
        if roles.is_empty() {
            anyhow::bail!("a token needs at least one role");
        }
        if let Some(expiry) = expires_at.filter(|e| *e <= now) {
            anyhow::bail!(
                "the expiry {} has passed: a token must expire in the future",
                expiry.to_rfc3339()
            );
        }
        let mut roles = roles;
        roles.dedup();
        let secret = new_secret()?;
        self.tokens.push(TokenEntry {
            name: name.to_owned(),
            sha256: hash_secret(&secret),
            roles,
            units,
            expires_at,
            signature: None,
        });
        Ok(secret)
    }

    /// Sets how the token named `name` signs letters.
    pub fn sign_as(&mut self, name: &str, signature: Signature) -> anyhow::Result<()> {
        let entry = self
            .tokens
            .iter_mut()
            .find(|t| t.name == name)
            .ok_or_else(|| anyhow::anyhow!("there is no token named {name}"))?;
        entry.signature = Some(signature);
        Ok(())
    }

    /// Removes the token named `name`.
    pub fn revoke(&mut self, name: &str) -> anyhow::Result<()> {
        let before = self.tokens.len();
        self.tokens.retain(|t| t.name != name);
        if self.tokens.len() == before {
            anyhow::bail!("there is no token named {name}");
        }
        Ok(())
    }
}

/// Reads a token file.
pub fn read_token_file(path: &Path) -> anyhow::Result<TokenFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the token file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing the token file {}", path.display()))
}

/// Replaces a token file atomically (a new file renamed over the old one),
/// readable only by its owner: a server reading it never sees half a file.
pub fn write_token_file(path: &Path, file: &TokenFile) -> anyhow::Result<()> {
    let text = format!(
        "# budgetrad bearer tokens: only SHA-256 hashes of the secrets are kept here.\n{}",
        toml::to_string(file)?
    );
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    write_private(&temporary, &text)?;
    std::fs::rename(&temporary, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Writes `contents` to a new file readable only by its owner.
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file = crate::files::create_private(path, true)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Loads the token file; on a first start (no file), creates it with one
/// bootstrap token holding every role, expiring [`BOOTSTRAP_LIFETIME`] after
/// `now`, and writes that token's secret to `admin_token_path`. Returns the
/// store and, when one was created, the path of the secret.
pub fn load_or_bootstrap(
    tokens_path: &Path,
    admin_token_path: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<(TokenStore, Option<std::path::PathBuf>)> {
    if tokens_path.exists() {
        return Ok((TokenStore::from_file(read_token_file(tokens_path)?), None));
    }
    if admin_token_path.exists() {
        anyhow::bail!(
            "{} exists but {} does not: remove the stale secret or restore the token file",
            admin_token_path.display(),
            tokens_path.display()
        );
    }
    let secret = new_secret()?;
    let file = TokenFile {
        tokens: vec![TokenEntry {
            name: BOOTSTRAP_NAME.to_owned(),
            sha256: hash_secret(&secret),
            roles: Role::ALL.to_vec(),
            units: Some(Units::All),
            expires_at: Some(now + BOOTSTRAP_LIFETIME),
            signature: None,
        }],
    };
    write_private(admin_token_path, &format!("{secret}\n"))?;
    write_token_file(tokens_path, &file)?;
    Ok((
        TokenStore::from_file(file),
        Some(admin_token_path.to_path_buf()),
    ))
}

/// The tokens the server accepts now. When they come from a file, the file
/// is watched ([`Tokens::reload_if_changed`]), so a token created or revoked
/// with `budgetrad token` takes effect without a restart.
pub struct Tokens {
    /// None while the watched file is missing or does not parse: then no
    /// bearer token is accepted.
    current: RwLock<Option<Arc<TokenStore>>>,
    file: Option<(PathBuf, Mutex<Option<FileStamp>>)>,
}

/// What tells a changed file: its inode (a rename over it is a new one),
/// modification time and length.
type FileStamp = (u64, SystemTime, u64);

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((inode, meta.modified().ok()?, meta.len()))
}

impl Tokens {
    /// A fixed set of tokens (tests, benchmarks).
    pub fn fixed(store: TokenStore) -> Arc<Tokens> {
        Arc::new(Tokens {
            current: RwLock::new(Some(Arc::new(store))),
            file: None,
        })
    }

    /// Tokens read from `path`, to be reloaded when it changes.
    pub fn watched(path: PathBuf, store: TokenStore) -> Arc<Tokens> {
        let seen = stamp(&path);
        Arc::new(Tokens {
            current: RwLock::new(Some(Arc::new(store))),
            file: Some((path, Mutex::new(seen))),
        })
    }

    /// The tokens in force; None while the token file cannot be read, when
    /// every bearer token is refused.
    pub fn current(&self) -> Option<Arc<TokenStore>> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            // A panic while swapping cannot leave a half-written Arc.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn is_watched(&self) -> bool {
        self.file.is_some()
    }

    fn set(&self, store: Option<Arc<TokenStore>>) {
        match self.current.write() {
            Ok(mut guard) => *guard = store,
            Err(poisoned) => *poisoned.into_inner() = store,
        }
    }

    /// Reads the file again if it changed since it was last looked at.
    /// `Ok(Some(n))`: it was read and `n` tokens are in force now;
    /// `Ok(None)`: it did not change. A file that is gone or does not parse
    /// is an error, and from then on every bearer token is refused until a
    /// file that parses is back (fail closed).
    pub fn reload_if_changed(&self) -> anyhow::Result<Option<usize>> {
        let Some((path, seen)) = &self.file else {
            return Ok(None);
        };
        let now = stamp(path);
        let mut seen = seen
            .lock()
            .map_err(|_| anyhow::anyhow!("token watcher poisoned"))?;
        if now == *seen {
            return Ok(None);
        }
        *seen = now;
        match read_token_file(path) {
            Ok(file) => {
                let count = file.tokens.len();
                self.set(Some(Arc::new(TokenStore::from_file(file))));
                Ok(Some(count))
            }
            Err(error) => {
                self.set(None);
                Err(error)
            }
        }
    }
}
