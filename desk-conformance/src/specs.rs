//! Finding specs and naming their scratch crates (shared with `cargo xtask corpus`).

use std::path::{Path, PathBuf};

/// Every spec file under `dir` (`.json`, `.yaml`, `.yml`, recursively), sorted by path; `dir`
/// itself when it is a file.
pub fn find_specs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        if current.is_file() {
            found.push(current);
            continue;
        }
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["json", "yaml", "yml"].contains(&e.to_ascii_lowercase().as_str()))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Keeps the specs whose file name contains `filter` (all of them without one).
pub fn filter_by_name(specs: &mut Vec<PathBuf>, filter: Option<&str>) {
    if let Some(filter) = filter {
        specs.retain(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(filter))
        });
    }
}

/// `corpus_<file name in snake case>`, unique among `taken`.
pub fn unique_crate_name(spec: &Path, taken: &mut Vec<String>) -> String {
    let file = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut base = String::from("corpus_");
    for ch in file.chars() {
        base.push(if ch.is_ascii_alphanumeric() {
            ch.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_snake_case_and_unique() {
        let mut taken = Vec::new();
        let a = unique_crate_name(Path::new("x/api.github.com.json"), &mut taken);
        let b = unique_crate_name(Path::new("y/api.github.com.json"), &mut taken);
        assert_eq!(a, "corpus_api_github_com_json");
        assert_eq!(b, "corpus_api_github_com_json_2");
    }
}
