//! Stage 5: compare with or write to disk. Every new file is first written to a temporary file
//! in its directory; only when all are written are they renamed into place, so a reader never
//! sees half a file and a failed write leaves the old files as they were. Files whose contents
//! are unchanged are not touched (their modification time stays, so Cargo does not rebuild).
//!
//! The files are not `fsync`ed: the rename makes each one appear whole to every reader, and
//! after a power loss the worst case is a missing or empty generated file, which the next run
//! writes again from the spec. Syncing each file made writing a small spec's output into an
//! empty folder cost more than generating it (see BENCHMARKS.md).

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
        .filter(|file| {
            std::fs::read_to_string(dir.join(&file.path))
                .ok()
                .as_deref()
                != Some(file.contents.as_str())
        })
        .map(|file| dir.join(&file.path))
        .collect()
}

/// Writes every file that differs. All new contents are first written to temporary files
/// beside their targets; only when every one is on disk are they renamed into place, so a
/// failure while writing (disk full, permissions) leaves every existing file as it was.
pub fn write_all(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        match stage(&path, &file.contents) {
            Ok(temp) => staged.push((temp, path)),
            Err(err) => {
                for (temp, _) in &staged {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(err);
            }
        }
    }
    let mut written = Vec::new();
    let mut staged = staged.into_iter();
    while let Some((temp, path)) = staged.next() {
        if let Err(source) = std::fs::rename(&temp, &path) {
            let _ = std::fs::remove_file(&temp);
            for (rest, _) in staged {
                let _ = std::fs::remove_file(rest);
            }
            return Err(Error::Write { path, source });
        }
        written.push(path);
    }
    Ok(written)
}

/// Writes `contents` to a temporary file in `path`'s directory and returns its path.
fn stage(path: &Path, contents: &str) -> Result<PathBuf, Error> {
    let err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(err)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())
    })();
    match result {
        Ok(()) => Ok(temp),
        Err(source) => {
            let _ = std::fs::remove_file(&temp);
            Err(err(source))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn writes_only_what_changed_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let first =
            write_all(dir.path(), &[file("a.rs", "a"), file("b.rs", "b")]).expect("written");
        assert_eq!(first.len(), 2);
        let second =
            write_all(dir.path(), &[file("a.rs", "a"), file("b.rs", "b2")]).expect("written");
        assert_eq!(second, vec![dir.path().join("b.rs")]);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = tempfile::tempdir().expect("a temp dir");
        write_all(dir.path(), &[file("a.rs", "old a")]).expect("written");
        // `b.rs/x.rs` cannot be created: `b.rs` is a file.
        std::fs::write(dir.path().join("b.rs"), "a file").expect("written");
        let err = write_all(dir.path(), &[file("a.rs", "new a"), file("b.rs/x.rs", "x")]);
        assert!(matches!(err, Err(Error::Write { .. })));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.rs")).expect("read"),
            "old a"
        );
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.rs", "b.rs"]);
    }
}
