//! Stage 4: turn token streams into formatted source text.

use proc_macro2::TokenStream;

use crate::error::{Diagnostic, DiagnosticKind};

/// The first line of every generated file.
pub const GENERATED_MARKER: &str = "@generated";

/// Formats `tokens` as a file with the `@generated` header naming `source`.
pub fn format_file(tokens: TokenStream, source: &str, spec_path: &std::path::Path) -> Result<String, Diagnostic> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| {
        Diagnostic::error(
            DiagnosticKind::Internal,
            spec_path,
            format!("the generated code does not parse ({err}); this is a bug in desk-codegen"),
        )
        .help("please report it with the spec that triggered it")
    })?;
    let body = space_items(&prettyplease::unparse(&file));
    Ok(format!(
        "// {GENERATED_MARKER} by desk-codegen from {source}.\n// Do not edit by hand: change the spec and run `cargo xtask codegen`.\n\n{body}"
    ))
}

/// Puts a blank line between items (prettyplease packs them), so the output reads like
/// hand-written code: after a line that closes an item at the top level or one level down,
/// unless the next line closes a block too.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let trimmed = line.trim_start();
        let closes_item = trimmed == "}" || (trimmed.ends_with(';') && (trimmed.starts_with("pub type ") || trimmed.starts_with("pub mod ")));
        if let Some(next) = lines.peek() {
            let next = next.trim_start();
            let indent = line.len() - trimmed.len();
            if closes_item && !next.is_empty() && !next.starts_with('}') && !next.starts_with(')') && !next.starts_with(']') && indent <= 4 {
                out.push('\n');
            }
        }
    }
    out
}
