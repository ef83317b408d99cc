//! Reporting to Cargo from a build script ([`Config::generate_or_exit`](crate::Config::generate_or_exit)).
//!
//! Cargo shows what a build script prints as `cargo::error=` and `cargo::warning=` lines as its
//! own diagnostics (`error: my-crate@0.1.0: ...`), and fails the build after a script logs an
//! error. `cargo::error` exists since Cargo 1.84, and desk-codegen needs Rust 1.88, so it is
//! always there; a package that states an older `rust-version` still gets the same lines as
//! `cargo:warning=` (which every Cargo shows) and a failing exit status.

use std::fmt::Write as _;

use crate::error::{Diagnostic, Error};

/// Warnings shown one by one before the rest are counted.
const WARNINGS_SHOWN: usize = 10;

/// How the script talks to Cargo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directives {
    /// `cargo::error=` and `cargo::warning=` (Cargo 1.84 and later): Cargo fails the build on
    /// an error line whatever the script's exit status.
    Modern,
    /// `cargo:warning=` only, for packages that state a `rust-version` before 1.84: the script
    /// must exit with a failure.
    Legacy,
}

impl Directives {
    /// What the package being built allows, from `CARGO_PKG_RUST_VERSION` (set by Cargo for
    /// build scripts; empty or absent when the package states none).
    pub fn from_env() -> Self {
        let stated = std::env::var("CARGO_PKG_RUST_VERSION").unwrap_or_default();
        Self::for_rust_version(&stated)
    }

    /// What a package stating `rust_version` (`"1.80"`, `""` for none) allows.
    pub fn for_rust_version(rust_version: &str) -> Self {
        let mut parts = rust_version
            .trim()
            .split('.')
            .map(|part| part.parse::<u64>().ok());
        match (parts.next().flatten(), parts.next().flatten()) {
            (Some(major), Some(minor)) if (major, minor) < (1, 84) => Directives::Legacy,
            _ => Directives::Modern,
        }
    }

    fn error_prefix(self) -> &'static str {
        match self {
            Directives::Modern => "cargo::error=",
            Directives::Legacy => "cargo:warning=error: ",
        }
    }

    fn warning_prefix(self) -> &'static str {
        match self {
            Directives::Modern => "cargo::warning=",
            Directives::Legacy => "cargo:warning=",
        }
    }
}

/// The lines that report `error` to Cargo: for a spec error, one group per diagnostic with the
/// file, line and column, the message, the JSON pointer and the help.
pub fn error_lines(error: &Error, directives: Directives) -> String {
    let prefix = directives.error_prefix();
    let mut out = String::new();
    match error {
        Error::Spec(diagnostics) => {
            for diagnostic in diagnostics {
                push_diagnostic(&mut out, prefix, diagnostic);
            }
            push_line(
                &mut out,
                prefix,
                &format!(
                    "desk-codegen: generation failed with {} error(s); no file was written",
                    diagnostics.len()
                ),
            );
        }
        other => push_line(&mut out, prefix, &format!("desk-codegen: {other}")),
    }
    out
}

/// The lines that report `warnings` to Cargo: the first few in full, then a count.
pub fn warning_lines(warnings: &[Diagnostic], directives: Directives) -> String {
    let prefix = directives.warning_prefix();
    let mut out = String::new();
    for warning in warnings.iter().take(WARNINGS_SHOWN) {
        push_line(&mut out, prefix, &one_line(warning));
    }
    if warnings.len() > WARNINGS_SHOWN {
        push_line(
            &mut out,
            prefix,
            &format!(
                "desk-codegen: {} more warning(s) like these; `desk generate SPEC --out DIR` lists them all",
                warnings.len() - WARNINGS_SHOWN
            ),
        );
    }
    out
}

/// The summary of what regeneration changed in the public API (`crate::ApiDiff::summary`), one
/// warning per line, so a build shows it before the change is committed.
pub fn api_change_lines(changes: &crate::ApiDiff, directives: Directives) -> String {
    let prefix = directives.warning_prefix();
    let mut out = String::new();
    // No `-v` in a build script: the count per kind is the message.
    for line in changes
        .summary(false)
        .lines()
        .filter(|l| !l.contains("-v lists"))
    {
        push_line(
            &mut out,
            prefix,
            &format!("desk-codegen: {}", line.trim_end()),
        );
    }
    out
}

fn location(diagnostic: &Diagnostic) -> String {
    let mut place = diagnostic.file.display().to_string();
    if let Some(position) = diagnostic.position {
        let _ = write!(place, ":{}:{}", position.line, position.column);
    }
    place
}

fn push_diagnostic(out: &mut String, prefix: &str, diagnostic: &Diagnostic) {
    push_line(
        out,
        prefix,
        &format!("{}: {}", location(diagnostic), diagnostic.message),
    );
    if let Some(pointer) = &diagnostic.pointer {
        let shown = if pointer.is_empty() {
            "(document root)"
        } else {
            pointer
        };
        push_line(out, prefix, &format!("  at {shown}"));
    }
    if let Some(help) = &diagnostic.help {
        push_line(out, prefix, &format!("  help: {help}"));
    }
}

fn one_line(diagnostic: &Diagnostic) -> String {
    let mut line = format!(
        "{}: {}",
        location(diagnostic),
        diagnostic.message.replace('\n', " ")
    );
    if let Some(pointer) = diagnostic.pointer.as_deref().filter(|p| !p.is_empty()) {
        let _ = write!(line, " (at {pointer})");
    }
    line
}

/// One directive per line of `text` (a directive ends at the line break).
fn push_line(out: &mut String, prefix: &str, text: &str) {
    for line in text.lines() {
        out.push_str(prefix);
        out.push_str(line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DiagnosticKind, Position};

    fn missing_ref() -> Diagnostic {
        Diagnostic::error(
            DiagnosticKind::UnresolvedRef,
            "openapi/api.yaml",
            "`#/components/schemas/B` does not exist",
        )
        .at("/components/schemas/A/$ref")
        .with_position(Some(Position { line: 6, column: 8 }))
        .help("point the `$ref` at a schema under `components.schemas`")
    }

    #[test]
    fn spec_errors_become_located_error_directives() {
        let text = error_lines(&Error::Spec(vec![missing_ref()]), Directives::Modern);
        assert_eq!(
            text,
            "cargo::error=openapi/api.yaml:6:8: `#/components/schemas/B` does not exist\n\
             cargo::error=  at /components/schemas/A/$ref\n\
             cargo::error=  help: point the `$ref` at a schema under `components.schemas`\n\
             cargo::error=desk-codegen: generation failed with 1 error(s); no file was written\n"
        );
    }

    #[test]
    fn every_line_of_a_message_is_a_directive() {
        let text = error_lines(&Error::Config("first\nsecond".into()), Directives::Legacy);
        assert_eq!(text, "cargo:warning=error: desk-codegen: invalid configuration: first\ncargo:warning=error: second\n");
    }

    #[test]
    fn old_rust_versions_get_legacy_directives() {
        assert_eq!(Directives::for_rust_version(""), Directives::Modern);
        assert_eq!(Directives::for_rust_version("1.88"), Directives::Modern);
        assert_eq!(Directives::for_rust_version("1.84.0"), Directives::Modern);
        assert_eq!(Directives::for_rust_version("1.83"), Directives::Legacy);
        assert_eq!(Directives::for_rust_version("1.70.1"), Directives::Legacy);
    }

    #[test]
    fn many_warnings_are_counted_after_the_first_few() {
        let warning = Diagnostic::warning(
            DiagnosticKind::Fallback,
            "api.yaml",
            "`not` becomes serde_json::Value",
        )
        .at("/components/schemas/X");
        let text = warning_lines(&vec![warning; 13], Directives::Modern);
        assert_eq!(text.lines().count(), WARNINGS_SHOWN + 1);
        assert!(text.starts_with("cargo::warning=api.yaml: `not` becomes serde_json::Value (at /components/schemas/X)\n"), "{text}");
        assert!(
            text.ends_with(
                "3 more warning(s) like these; `desk generate SPEC --out DIR` lists them all\n"
            ),
            "{text}"
        );
    }
}
