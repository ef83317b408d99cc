//! Printing syntax trees as formatted source text (prettyplease), with the `@generated` header.

use std::path::Path;

use proc_macro2::TokenStream;

use crate::error::{Diagnostic, DiagnosticKind};

/// The first line of every generated file.
pub const GENERATED_MARKER: &str = "@generated";

/// The two comment lines at the top of every generated file: which spec it comes from and how
/// it is regenerated.
///
/// The spec is named as given here (by [`Config`](crate::Config): its file name, never a path
/// on the machine that generated it), so the same spec bytes give the same output bytes
/// wherever they are generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// How the spec is named: `conversations.yaml`.
    pub source: String,
    /// How to regenerate the file.
    pub regenerate: Regenerate,
}

/// How a generated file is regenerated, as its header tells the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regenerate {
    /// By a command the reader runs (`cargo xtask codegen`, `desk generate`).
    Command(String),
    /// By the crate's build script, on every build after the spec changes.
    BuildScript,
    /// By whatever ran the generator; the header only says to change the spec.
    Unspecified,
}

impl Header {
    /// A header naming `source`, regenerated in an unspecified way.
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            regenerate: Regenerate::Unspecified,
        }
    }

    /// The header's text: two `//` lines and a blank line.
    pub fn text(&self) -> String {
        let how = match &self.regenerate {
            Regenerate::Command(command) => {
                format!("Do not edit by hand: change the spec and run `{command}`.")
            }
            Regenerate::BuildScript => {
                "Do not edit: the build script writes this file; change the spec instead."
                    .to_owned()
            }
            Regenerate::Unspecified => {
                "Do not edit by hand: change the spec and generate again.".to_owned()
            }
        };
        format!(
            "// {GENERATED_MARKER} by desk-codegen from {}.\n// {how}\n\n",
            self.source
        )
    }
}

impl From<&str> for Header {
    fn from(source: &str) -> Self {
        Header::new(source)
    }
}

impl From<&Header> for Header {
    fn from(header: &Header) -> Self {
        header.clone()
    }
}

/// Formats `tokens` as a file under `header`.
pub fn format_file(
    tokens: TokenStream,
    header: impl Into<Header>,
    spec_path: &Path,
) -> Result<String, Diagnostic> {
    let file = parse(tokens, spec_path)?;
    Ok(print(&file, &header.into()))
}

/// Formats a file of `items` after the inner attributes (and any items) in `inner`. Items
/// still in tokens (`syn::Item::Verbatim`, see [`emit::syntax`](crate::emit::syntax)) are
/// parsed here; the others are printed as built.
pub fn format_items(
    inner: TokenStream,
    items: Vec<syn::Item>,
    header: impl Into<Header>,
    spec_path: &Path,
) -> Result<String, Diagnostic> {
    let mut file = parse(inner, spec_path)?;
    resolve_into(&mut file.items, items, spec_path)?;
    Ok(print(&file, &header.into()))
}

/// A module file printed in pieces: the inner attributes first, then each batch of items as it
/// is emitted, so that only one batch's syntax tree is alive at a time. The text is the same as
/// [`format_items`] gives for all the items at once: prettyplease ends every top-level item
/// with a hard line break, and the item spacing is added to the whole text at the end.
pub struct PiecewiseFile<'a> {
    printed: String,
    spec_path: &'a Path,
}

impl<'a> PiecewiseFile<'a> {
    /// A file starting with the inner attributes (and any items) in `inner`.
    pub fn new(inner: TokenStream, spec_path: &'a Path) -> Result<Self, Diagnostic> {
        let file = parse(inner, spec_path)?;
        Ok(Self {
            printed: prettyplease::unparse(&file),
            spec_path,
        })
    }

    /// Prints `items` after what is printed already; their tree is dropped.
    pub fn push(&mut self, items: Vec<syn::Item>) -> Result<(), Diagnostic> {
        let mut file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: Vec::new(),
        };
        resolve_into(&mut file.items, items, self.spec_path)?;
        self.printed.push_str(&prettyplease::unparse(&file));
        Ok(())
    }

    /// The file's text under `header`.
    pub fn finish(self, header: &Header) -> String {
        join_printed(&[self.printed], header)
    }
}

/// Prints one inline module of a single-file output: `wrapper` is a `mod name { #![attrs] }`
/// item in tokens and `items` go in it. The text is prettyplease's, without header or item
/// spacing: [`join_printed`] adds both to the whole file, so that a file printed one module at
/// a time reads exactly as if it had been printed at once.
pub fn print_inline_module(
    wrapper: TokenStream,
    items: Vec<syn::Item>,
    spec_path: &Path,
) -> Result<String, Diagnostic> {
    let mut module: syn::ItemMod = syn::parse2(wrapper).map_err(|err| bug(&err, spec_path))?;
    resolve_into(
        &mut module.content.get_or_insert_with(Default::default).1,
        items,
        spec_path,
    )?;
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Mod(module)],
    };
    Ok(prettyplease::unparse(&file))
}

/// One file from modules printed by [`print_inline_module`], under `header`.
pub fn join_printed(printed: &[String], header: &Header) -> String {
    let body = space_items(&printed.concat());
    let mut text = header.text();
    text.push_str(&body);
    text
}

/// Appends `items` to `out`, parsing the ones still in tokens.
fn resolve_into(
    out: &mut Vec<syn::Item>,
    items: Vec<syn::Item>,
    spec_path: &Path,
) -> Result<(), Diagnostic> {
    out.reserve(items.len());
    for item in items {
        match item {
            syn::Item::Verbatim(tokens) => out.extend(parse(tokens, spec_path)?.items),
            built => out.push(built),
        }
    }
    Ok(())
}

fn parse(tokens: TokenStream, spec_path: &Path) -> Result<syn::File, Diagnostic> {
    syn::parse2(tokens).map_err(|err| bug(&err, spec_path))
}

fn bug(err: &syn::Error, spec_path: &Path) -> Diagnostic {
    Diagnostic::error(
        DiagnosticKind::Internal,
        spec_path,
        format!("the generated code does not parse ({err}); this is a bug in desk-codegen"),
    )
    .help("please report it with the spec that triggered it")
}

fn print(file: &syn::File, header: &Header) -> String {
    let body = space_items(&prettyplease::unparse(file));
    let mut text = header.text();
    text.push_str(&body);
    text
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
        // A top-level `...);` ends a macro item (the runtime's `string_enum!(..);`); a doc or
        // comment line ending so (code quoted in a description) does not.
        let closes_item = trimmed == "}"
            || (trimmed.ends_with(';')
                && (trimmed.starts_with("pub type ") || trimmed.starts_with("pub mod ")))
            || (line.len() == trimmed.len()
                && trimmed.ends_with(");")
                && !trimmed.starts_with("//"));
        if let Some(next) = lines.peek() {
            let next = next.trim_start();
            let indent = line.len() - trimmed.len();
            if closes_item
                && !next.is_empty()
                && !next.starts_with('}')
                && !next.starts_with(')')
                && !next.starts_with(']')
                && indent <= 4
            {
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn items_are_spaced_but_docs_quoting_code_are_not() {
        let text = "::m!(A);\n/// assert_eq!(a, 2);\n///\n/// more\npub struct A;\n";
        assert_eq!(
            space_items(text),
            "::m!(A);\n\n/// assert_eq!(a, 2);\n///\n/// more\npub struct A;\n"
        );
    }
}
