//! Writes that remember which files they wrote: the exports go through one, so that the
//! preview can remove the exports a rebuild no longer writes (the feed of a place that
//! went, a search shard fewer).

use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use super::error::OutputError;
use super::writer::SiteWriter;

/// A [`SiteWriter`] that records the path of every file written through it.
#[derive(Debug)]
pub struct Recording<'a> {
    writer: &'a SiteWriter,
    written: Mutex<Vec<String>>,
}

impl<'a> Recording<'a> {
    /// Records the files written through `writer` from now on (and only through this).
    pub fn new(writer: &'a SiteWriter) -> Self {
        Recording {
            writer,
            written: Mutex::default(),
        }
    }

    /// Writes one file at `rel` ([`SiteWriter::write`]) and records it.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.writer.write(rel, bytes)?;
        self.record(rel);
        Ok(())
    }

    /// Writes one file at `rel` as `fill` produces it ([`SiteWriter::write_with`]) and
    /// records it.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        self.writer.write_with(rel, fill)?;
        self.record(rel);
        Ok(())
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        self.writer.path()
    }

    /// The files written through this recording, sorted.
    pub fn into_written(self) -> Vec<String> {
        let mut files = self
            .written
            .into_inner()
            .expect("no panics while recording");
        files.sort_unstable();
        files
    }

    fn record(&self, rel: &str) {
        self.written
            .lock()
            .expect("no panics while recording")
            .push(rel.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_its_own_writes_sorted() {
        let dir = std::env::temp_dir().join(format!("sijill-recording-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let writer = SiteWriter::in_place(&dir).unwrap();
        writer.write("page/index.html", b"page").unwrap();
        let recording = Recording::new(&writer);
        recording.write("z.xml", b"z").unwrap();
        recording
            .write_with("a/b.json", |out| out.write_all(b"[]"))
            .unwrap();
        // A failed write is not recorded.
        assert!(recording.write("../x", b"x").is_err());
        assert_eq!(recording.into_written(), ["a/b.json", "z.xml"]);
        // The bytes count on the writer beneath.
        assert_eq!(writer.bytes_written(), 7);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
