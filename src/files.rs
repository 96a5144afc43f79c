//! Files that hold personal data or secrets (the SQLite database, the token
//! file and the bootstrap secret, the CLI's output files) are created
//! readable and writable only by their owner (mode 0600), whatever the
//! umask: the mode is given at creation, so there is no moment in which
//! another user could open the file.

use std::fs::File;
use std::io;
use std::path::Path;

/// Opens `path` for writing, creating it with mode 0600 if it does not
/// exist. `new` refuses a file that exists; otherwise an existing file is
/// truncated and narrowed to 0600.
pub fn create_private(path: &Path, new: bool) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// Creates `path` empty with mode 0600 if it does not exist, leaving an
/// existing file as it is; an existing file that others may read or write
/// is narrowed to 0600. Returns whether the mode was narrowed.
pub fn ensure_private(path: &Path) -> io::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700 | 0o600))?;
            return Ok(true);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(false)
}

#[cfg(test)]
mod tests;
