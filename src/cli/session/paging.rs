//! Paging through a list: one page, or with `--all` every page, stopping
//! when the server hands back the token it was given.

use std::future::Future;

use tonic::Status;

use super::{CliError, Session};
use crate::cli::args::Paging;

/// Why paging stopped.
pub(in crate::cli) enum PageError {
    Status(Status),
    /// The server handed back the token it was given: following it would
    /// loop for ever.
    Loop,
}

impl From<Status> for PageError {
    fn from(s: Status) -> Self {
        PageError::Status(s)
    }
}

impl PageError {
    pub(in crate::cli) fn into_cli(self, s: &Session, roles: &str) -> CliError {
        match self {
            PageError::Status(status) => s.refused(roles)(status),
            PageError::Loop => CliError::Server(
                crate::cli::names::words::w(
                    "servern gav samma sidtoken två gånger; slutade för att inte hamna i en slinga",
                )
                .to_owned(),
            ),
        }
    }
}

/// Fetches one page, or with `--all` every page from `--page-token` on.
/// Returns the items and the token of the next page ("" when none).
pub(in crate::cli) async fn collect_pages<T, F, Fut>(
    paging: &Paging,
    mut fetch: F,
) -> Result<(Vec<T>, String), PageError>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, String), PageError>>,
{
    let mut token = paging.page_token.clone().unwrap_or_default();
    let mut items = Vec::new();
    loop {
        let (page, next) = fetch(token.clone()).await?;
        items.extend(page);
        if !paging.all || next.is_empty() {
            return Ok((items, next));
        }
        if next == token {
            return Err(PageError::Loop);
        }
        token = next;
    }
}

#[cfg(test)]
mod tests;
