//! Diagnostics: every failure names the spec file, where in it, what is wrong and what to do.

use std::fmt;
use std::path::PathBuf;

/// What kind of problem a [`Diagnostic`] reports; stable, so callers and tests can match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The file could not be read.
    Io,
    /// The text is not valid YAML or JSON.
    Syntax,
    /// The document is YAML/JSON but not a valid OpenAPI 3.0 description.
    InvalidDocument,
    /// The document is a version this generator does not read (Swagger 1.x, OpenAPI 4, 3.1
    /// features with no 3.0 form).
    UnsupportedVersion,
    /// A `$ref` points at nothing.
    UnresolvedRef,
    /// A `$ref` form the generator does not follow (e.g. a remote URL).
    UnsupportedRef,
    /// A schema construct the generator cannot express in Rust.
    UnsupportedSchema,
    /// A parameter, body or response the generator cannot express.
    UnsupportedOperation,
    /// A documented fallback was taken (e.g. a schema emitted as `serde_json::Value`).
    Fallback,
    /// An operation selector (tag, `operationId` or path) matches no operation.
    UnmatchedSelector,
    /// Writing the output failed.
    Write,
    /// The generated code did not parse (a generator bug).
    Internal,
}

/// Whether a diagnostic stops generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Generation stops; nothing is written.
    Error,
    /// Generation goes on with a documented fallback.
    Warning,
}

/// A position in a text file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// One problem found in a spec, with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The category.
    pub kind: DiagnosticKind,
    /// The spec file.
    pub file: PathBuf,
    /// JSON pointer into the document (`/components/schemas/Foo/properties/bar`), `""` for the root.
    pub pointer: Option<String>,
    /// Line and column, where the input format allows.
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error of `kind` in `file`.
    pub fn error(
        kind: DiagnosticKind,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            kind,
            file: file.into(),
            pointer: None,
            position: None,
            message: message.into(),
            help: None,
        }
    }

    /// A new warning of `kind` in `file`.
    pub fn warning(
        kind: DiagnosticKind,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(kind, file, message)
        }
    }

    /// Sets the JSON pointer.
    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets the line and column.
    pub fn with_position(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Sets what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.message)?;
        write!(f, "\n  --> {}", self.file.display())?;
        if let Some(pos) = self.position {
            write!(f, ":{}:{}", pos.line, pos.column)?;
        }
        if let Some(pointer) = &self.pointer {
            let shown = if pointer.is_empty() {
                "(document root)"
            } else {
                pointer
            };
            write!(f, "\n  at {shown}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Why [`crate::Config::generate`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec has problems; nothing was written.
    #[error("{}", display_all(.0))]
    Spec(Vec<Diagnostic>),
    /// The configuration is incomplete (e.g. no output directory outside a build script).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Writing the output failed; files already present were left as they were.
    #[error("could not write {}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `check` found generated files that differ from what the spec generates.
    #[error("generated files are stale (run `cargo xtask codegen`): {}", display_paths(.0))]
    Stale(Vec<PathBuf>),
}

impl Error {
    /// The diagnostics, when the spec was at fault.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(diags) => diags,
            _ => &[],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(diag: Diagnostic) -> Self {
        Error::Spec(vec![diag])
    }
}

fn display_all(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
