//! Stage 5: compare with or write to disk. Writes go to a temporary file in the same directory
//! and are renamed into place, so a reader never sees half a file; files whose contents are
//! unchanged are not touched (their modification time stays, so Cargo does not rebuild).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory.
    pub path: PathBuf,
    /// Full contents.
    pub contents: String,
}

/// The files in `files` whose copy under `dir` is missing or different.
pub fn stale_files(dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|file| std::fs::read_to_string(dir.join(&file.path)).ok().as_deref() != Some(file.contents.as_str()))
        .map(|file| dir.join(&file.path))
        .collect()
}

/// Writes every file that differs, each atomically.
pub fn write_all(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_owned(), source })?;
    let mut written = Vec::new();
    for path in stale_files(dir, files) {
        let Some(file) = files.iter().find(|f| dir.join(&f.path) == path) else { continue };
        write_atomic(&path, &file.contents)?;
        written.push(path);
    }
    Ok(written)
}

fn write_atomic(path: &Path, contents: &str) -> Result<(), Error> {
    let err = |source| Error::Write { path: path.to_owned(), source };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(err)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = parent.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(err)
}
