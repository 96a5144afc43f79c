//! The typst [`World`] of one document: the template as the main source and
//! the document's data as `/data.json`, both from memory. Nothing else
//! exists: no file system, no packages, no network, no system fonts.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// What every document shares: the standard library, the embedded fonts
/// and the template, built once per process.
pub struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: Source,
    data_id: FileId,
}

impl Shared {
    pub fn new(template: &str) -> Shared {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            template: Source::new(file_id("/document.typ"), template.to_owned()),
            data_id: file_id("/data.json"),
        }
    }
}

/// A path of the virtual project (only two are ever asked for).
fn file_id(path: &str) -> FileId {
    // Both paths are constants above and always valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("a constant path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One document: the shared parts, its data and its date.
pub struct DocumentWorld<'a> {
    pub shared: &'a Shared,
    pub data: Bytes,
    pub today: Datetime,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.template.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.template.id() {
            Ok(self.shared.template.clone())
        } else {
            Err(not_found())
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data_id {
            Ok(self.data.clone())
        } else if id == self.shared.template.id() {
            Ok(Bytes::from_string(self.shared.template.clone()))
        } else {
            Err(not_found())
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Any other file: the path is not repeated, nothing is read from disk.
fn not_found() -> FileError {
    FileError::NotFound(std::path::PathBuf::new())
}
