//! Comparing with or writing to disk, so that a failed write leaves the old files as they
//! were. Files whose contents are unchanged are not touched (their modification time stays, so
//! Cargo does not rebuild). The others go in three steps:
//!
//! 1. stage: every new file is written to a temporary file beside its target (same folder,
//!    so the rename below never crosses file systems). A target that is a folder is refused
//!    here. Any failure removes the temporary files and returns: nothing was touched.
//! 2. swap, file by file: an existing target is renamed to a backup beside it, then the
//!    temporary file is renamed onto the target. Each rename is atomic, so a reader never sees
//!    half a file. If any rename fails, the files already swapped are put back (their backups
//!    renamed onto them, new files removed) before the error is returned.
//! 3. the backups are removed.
//!
//! What is not promised: a crash (power loss, `SIGKILL`) between two renames of step 2 leaves
//! some files new and some old, with the backups (`.<name>.<pid>.old`) beside them; the next
//! run writes every file again from the spec. The files are not `fsync`ed: after a power loss
//! the worst case is a missing or empty generated file, which the next run writes again.
//! Syncing each file made writing a small spec's output into an empty folder cost more than
//! generating it (see BENCHMARKS.md).

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

/// Writes every file that differs, and returns their paths; on an error every file under
/// `dir` is as it was before the call (see the module docs for how).
pub fn write_all(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    write_all_with(dir, files, |from, to| std::fs::rename(from, to))
}

/// A file staged beside its target, and the target's backup once swapped.
struct Staged {
    temp: PathBuf,
    target: PathBuf,
    backup: Option<PathBuf>,
}

/// [`write_all`] with the rename of step 2 given, so that tests can make one fail.
fn write_all_with(
    dir: &Path,
    files: &[GeneratedFile],
    mut rename: impl FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    // 1. Stage every changed file; on a failure remove what was staged.
    let mut staged: Vec<Staged> = Vec::new();
    for file in files {
        let target = dir.join(&file.path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        match stage(&target, &file.contents) {
            Ok(temp) => staged.push(Staged {
                temp,
                target,
                backup: None,
            }),
            Err(err) => {
                for file in &staged {
                    let _ = std::fs::remove_file(&file.temp);
                }
                return Err(err);
            }
        }
    }
    // 2. Swap each into place, keeping the old file as a backup until all are swapped.
    for index in 0..staged.len() {
        if let Err(err) = swap(&mut staged[index], &mut rename) {
            roll_back(&staged[..index], &mut rename);
            for file in &staged[index..] {
                let _ = std::fs::remove_file(&file.temp);
            }
            return Err(err);
        }
    }
    // 3. Every file is new: the backups can go.
    for file in &staged {
        if let Some(backup) = &file.backup {
            let _ = std::fs::remove_file(backup);
        }
    }
    Ok(staged.into_iter().map(|file| file.target).collect())
}

/// Moves an existing target to its backup, then the staged file onto the target; on a failure
/// the target is as it was.
fn swap(
    file: &mut Staged,
    rename: &mut impl FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), Error> {
    let err = |source| Error::Write {
        path: file.target.clone(),
        source,
    };
    if file.target.exists() {
        let backup = sibling(&file.target, "old");
        rename(&file.target, &backup).map_err(err)?;
        file.backup = Some(backup);
    }
    if let Err(source) = rename(&file.temp, &file.target) {
        if let Some(backup) = file.backup.take() {
            let _ = rename(&backup, &file.target);
        }
        return Err(err(source));
    }
    Ok(())
}

/// Puts back the files already swapped: each backup onto its target, new files removed.
fn roll_back(swapped: &[Staged], rename: &mut impl FnMut(&Path, &Path) -> std::io::Result<()>) {
    for file in swapped.iter().rev() {
        match &file.backup {
            Some(backup) => {
                let _ = rename(backup, &file.target);
            }
            None => {
                let _ = std::fs::remove_file(&file.target);
            }
        }
    }
}

/// `.<name>.<pid>.<suffix>` beside `path`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let parent = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent.join(format!(".{file_name}.{}.{suffix}", std::process::id()))
}

/// Writes `contents` to a temporary file in `path`'s directory and returns its path.
fn stage(path: &Path, contents: &str) -> Result<PathBuf, Error> {
    let err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(err)?;
    if path.is_dir() {
        return Err(err(std::io::Error::other(
            "a folder is in the way of the generated file",
        )));
    }
    let temp = sibling(path, "tmp");
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

    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("listed") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                for (inner, contents) in listing(&path) {
                    out.push((format!("{name}/{inner}"), contents));
                }
            } else {
                out.push((name, std::fs::read_to_string(&path).expect("read")));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_failure_while_swapping_puts_back_the_files_already_swapped() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let old = [file("a.rs", "old a"), file("src/b.rs", "old b")];
        write_all(dir.path(), &old).expect("written");
        let before = listing(dir.path());
        let new = [
            file("a.rs", "new a"),
            file("src/b.rs", "new b"),
            file("src/c.rs", "new c"),
            file("d.rs", "new d"),
        ];
        // Fail at every rename in turn: the first ones succeed, the failing one is refused.
        let mut renames = 0;
        loop {
            let mut count = 0;
            let result = write_all_with(dir.path(), &new, |from, to| {
                count += 1;
                if count == renames + 1 {
                    Err(std::io::Error::other("disk full"))
                } else {
                    std::fs::rename(from, to)
                }
            });
            if result.is_ok() {
                break;
            }
            assert!(matches!(result, Err(Error::Write { .. })));
            assert_eq!(
                listing(dir.path()),
                before,
                "failing rename {}",
                renames + 1
            );
            renames += 1;
        }
        // Two backups, two renames onto existing files, two onto new ones: six renames.
        assert_eq!(renames, 6);
        let after: Vec<(String, String)> = listing(dir.path());
        assert_eq!(
            after,
            [
                ("a.rs".to_owned(), "new a".to_owned()),
                ("d.rs".to_owned(), "new d".to_owned()),
                ("src/b.rs".to_owned(), "new b".to_owned()),
                ("src/c.rs".to_owned(), "new c".to_owned()),
            ]
        );
    }

    #[test]
    fn a_folder_in_the_way_is_refused_before_anything_is_touched() {
        let dir = tempfile::tempdir().expect("a temp dir");
        write_all(dir.path(), &[file("a.rs", "old a")]).expect("written");
        std::fs::create_dir(dir.path().join("b.rs")).expect("a folder");
        let err = write_all(dir.path(), &[file("a.rs", "new a"), file("b.rs", "b")]);
        assert!(matches!(err, Err(Error::Write { .. })));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.rs")).expect("read"),
            "old a"
        );
        assert!(dir.path().join("b.rs").is_dir());
    }
}
