//! Keyset paging, one way for every list: a list's query fetches one row
//! more than the page holds ([`fetch_limit`]), and that extra row, never
//! returned, says whether another page follows; the token to continue is
//! then the key of the page's last item.

use super::{Page, StoreError};

/// The `LIMIT` a list's query binds for a page of `limit`: one more, to
/// tell whether another page follows.
pub(super) fn fetch_limit(limit: u32) -> i64 {
    i64::from(limit) + 1
}

/// What a list's query fetched with [`fetch_limit`]: the page's rows, and
/// whether there was another after them.
pub(super) struct Fetched<R> {
    rows: Vec<R>,
    more: bool,
}

impl<R> Fetched<R> {
    pub(super) fn new(mut rows: Vec<R>, limit: u32) -> Fetched<R> {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        Fetched { rows, more }
    }

    /// The page's rows, for a list that reads more per row (members,
    /// rents, payments) before it makes the page's items.
    pub(super) fn rows(&self) -> &[R] {
        &self.rows
    }

    /// The page of `items`, made from [`Fetched::rows`]; `key` gives the
    /// token of the last one, when another page follows.
    pub(super) fn page<T>(&self, items: Vec<T>, key: impl Fn(&T) -> String) -> Page<T> {
        let next = if self.more {
            items.last().map(key)
        } else {
            None
        };
        Page { items, next }
    }

    /// The page of items each read from its row.
    pub(super) fn read<T>(
        &self,
        read: impl Fn(&R) -> Result<T, StoreError>,
        key: impl Fn(&T) -> String,
    ) -> Result<Page<T>, StoreError> {
        let items = self.rows.iter().map(read).collect::<Result<Vec<_>, _>>()?;
        Ok(self.page(items, key))
    }
}
