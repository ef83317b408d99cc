//! Stage 4: emit Rust syntax trees from the IR.
//!
//! Emitters read only the IR: names, forms and orderings were all decided by lowering. They
//! build `syn` items directly with the builders in [`syntax`]; the few fixed or one-off pieces
//! written with `quote!` travel as `Verbatim` items until [`render`](crate::render) parses them.

pub mod client;
mod links;
pub mod mock;
pub mod models;
pub mod requests;
pub mod syntax;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use crate::ir::{BoxReason, Holder, IntKind, Ir, Layer, Module, TypeRef};

/// How many types' items the models module emits in one batch (see [`emit_module_batches`]).
const TYPES_PER_BATCH: usize = 256;

/// The items of `module` in batches, each handed to `sink` (which prints it) before the next
/// is built: the models of a large description are a tree of hundreds of megabytes when built
/// at once (GitHub's 5.7 MB description: 12 MB of models), a few megabytes a batch. The items
/// are those of [`emit_module`], in the same order.
pub(crate) fn emit_module_batches<E>(
    ir: &Ir,
    options: &EmitOptions,
    module: Module,
    mut sink: impl FnMut(Vec<syn::Item>) -> Result<(), E>,
) -> Result<(), E> {
    match module {
        Module::Models => {
            for batch in ir.types_in_order().chunks(TYPES_PER_BATCH) {
                let mut items = syntax::Items::default();
                for def in batch {
                    items.extend(models::emit_type(ir, def, Form::Model, options));
                }
                sink(items.0)?;
            }
            match links::decoders(ir, &[Form::Model], options) {
                Some(decoders) => sink(vec![decoders]),
                None => Ok(()),
            }
        }
        Module::Requests | Module::Client | Module::Mock => sink(emit_module(ir, options, module)),
    }
}

/// The items of `module`, after the `use` lines that bring the modules before it into scope.
pub(crate) fn emit_module(ir: &Ir, options: &EmitOptions, module: Module) -> Vec<syn::Item> {
    let mut items = syntax::Items::default();
    match module {
        Module::Models => items.extend(models::emit(ir, options)),
        Module::Requests => {
            items.push_tokens(quote! {
                #[allow(unused_imports)]
                use super::models::*;
            });
            if ir.needs.requests.patch {
                // The tri-state type of every patch field, named once (lowering keeps `Patch`
                // free of type names).
                let runtime = &options.runtime_path;
                items.push_tokens(quote! {
                    use #runtime::Patch;
                });
            }
            items.extend(requests::emit(ir, options));
        }
        Module::Client => {
            items.push_tokens(quote! {
                #[allow(unused_imports)]
                use super::models::*;
                #[allow(unused_imports)]
                use super::requests::*;
            });
            items.extend(client::emit(ir, options));
        }
        Module::Mock => {
            items.push_tokens(quote! {
                #[allow(unused_imports)]
                use super::models::*;
                #[allow(unused_imports)]
                use super::requests::*;
                #[allow(unused_imports)]
                use super::client::*;
            });
            items.extend(mock::emit(ir, options));
        }
    }
    items.0
}

/// Options every emitter reads.
#[derive(Clone)]
pub struct EmitOptions {
    /// The runtime crate's path (`::desk_runtime`).
    pub runtime_path: syn::Path,
    /// Extra derives for every struct, as paths.
    pub extra_derives: Vec<String>,
}

impl std::fmt::Debug for EmitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmitOptions")
            .field("runtime", &syntax::path_text(&self.runtime_path))
            .field("extra_derives", &self.extra_derives)
            .finish()
    }
}

impl EmitOptions {
    /// Options for the runtime at `runtime` (a path such as `::desk_runtime` or
    /// `crate::runtime`; `::desk_runtime` when it is not a path).
    pub fn new(runtime: &str, extra_derives: Vec<String>) -> Self {
        let runtime_path =
            syn::parse_str::<syn::Path>(runtime).unwrap_or_else(|_| syntax::path("::desk_runtime"));
        Self {
            runtime_path,
            extra_derives,
        }
    }

    /// The extra derives as `A, B,` (empty when none).
    pub fn derives(&self) -> TokenStream {
        let paths = self
            .extra_derives
            .iter()
            .filter_map(|d| d.parse::<TokenStream>().ok());
        quote!(#(#paths,)*)
    }

    /// `Patch::name` (a variant or function of the runtime's tri-state type, which the
    /// requests module imports).
    pub fn patch(&self, name: &str) -> syn::Path {
        syntax::join(&syntax::path("Patch"), name)
    }
}

pub use crate::ir::Form;

/// One identifier helper for every emitter: names come from lowering, already valid.
pub(crate) use syntax::ident;

/// The tokens of `ty` in `form`.
pub fn ty_tokens(ir: &Ir, ty: &TypeRef, form: Form) -> TokenStream {
    ty_syn(ir, ty, form).into_token_stream()
}

/// The path of the pointer type that holds an edge boxed for `reason` (`Box`, or the
/// runtime's `Link`).
pub fn holder_path(ir: &Ir, reason: BoxReason) -> &str {
    match reason.holder() {
        Holder::Box => "Box",
        Holder::Link => &ir.link_path,
    }
}

/// `ty` in `form`, as a `syn` type.
pub fn ty_syn(ir: &Ir, ty: &TypeRef, form: Form) -> syn::Type {
    use syntax::{generic_type, named_type};
    ty.fold(
        form,
        |leaf, form| match leaf {
            TypeRef::Named(id) => named_type(ir.ty(*id).name_in(form)),
            TypeRef::String => named_type("String"),
            TypeRef::Bool => named_type("bool"),
            TypeRef::Int(kind) => named_type(int_name(*kind)),
            TypeRef::F32 => named_type("f32"),
            TypeRef::F64 => named_type("f64"),
            TypeRef::DateTime => {
                generic_type("::chrono::DateTime", [named_type("::chrono::FixedOffset")])
            }
            TypeRef::Date => named_type("::chrono::NaiveDate"),
            TypeRef::Json => named_type("::serde_json::Value"),
            TypeRef::JsonMap => generic_type(
                "::serde_json::Map",
                [named_type("String"), named_type("::serde_json::Value")],
            ),
            TypeRef::Null => syn::parse_quote!(()),
            // Layers are folded below.
            TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Boxed(..) | TypeRef::Nullable(_) => {
                unreachable!("a leaf has no layer")
            }
        },
        |layer, _, inner| match layer {
            Layer::Vec => generic_type("Vec", [inner]),
            Layer::Map => generic_type(
                "::std::collections::BTreeMap",
                [named_type("String"), inner],
            ),
            Layer::Boxed(reason) => generic_type(holder_path(ir, reason), [inner]),
            Layer::Nullable => generic_type("Option", [inner]),
        },
    )
}

/// The Rust name of an integer type.
pub fn int_name(kind: IntKind) -> &'static str {
    match kind {
        IntKind::I8 => "i8",
        IntKind::I16 => "i16",
        IntKind::I32 => "i32",
        IntKind::I64 => "i64",
        IntKind::U8 => "u8",
        IntKind::U16 => "u16",
        IntKind::U32 => "u32",
        IntKind::U64 => "u64",
    }
}

/// `#[non_exhaustive]` on every struct and enum of a stable API ([`Ir::stable_api`]), after its
/// derives.
pub fn non_exhaustive(ir: &Ir) -> Option<syn::Attribute> {
    ir.stable_api.then(|| syntax::attr_word("non_exhaustive"))
}

/// `#[doc = "..."]` attributes for `text`, made safe for rustdoc: fenced blocks become `text`
/// blocks and lines are de-indented so nothing turns into a doctest by accident.
pub fn docs(text: Option<&str>) -> Vec<syn::Attribute> {
    let Some(text) = text else { return Vec::new() };
    sanitize_docs(text)
        .iter()
        .map(|line| {
            if line.is_empty() {
                syntax::doc("")
            } else {
                syntax::doc(&format!(" {line}"))
            }
        })
        .collect()
}

fn sanitize_docs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Most descriptions have no carriage returns: only copy the text when one needs replacing.
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    for raw in text.lines() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                out.push(fence.to_owned());
            } else {
                out.push(format!("{fence}text"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
        } else {
            out.push(trimmed.trim_end().to_owned());
        }
    }
    if in_fence {
        out.push("```".into());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

/// The lints generated modules allow: doc text comes from the spec verbatim.
pub fn module_allows() -> TokenStream {
    quote! {
        #![allow(
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::empty_docs,
            clippy::tabs_in_doc_comments,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::derivable_impls,
            clippy::enum_variant_names,
            clippy::should_implement_trait,
            clippy::wrong_self_convention,
            clippy::upper_case_acronyms,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::invalid_rust_codeblocks
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_never_become_doctests() {
        let lines =
            sanitize_docs("Intro\n\n    indented code\n```\nlet x = 1;\n```\n```json\n{}\n```");
        assert_eq!(
            lines,
            [
                "Intro",
                "",
                "indented code",
                "```text",
                "let x = 1;",
                "```",
                "```text",
                "{}",
                "```"
            ]
        );
    }
}
