//! Models: structs, enums, unions and aliases in their model (response) form, and the struct
//! emitter shared with the create form.
//!
//! Emission rules:
//!
//! - **Structs** derive `Debug, Clone, PartialEq, Serialize, Deserialize` (and `Default` when
//!   every field is optional). A field is `T`, `Option<T>` or `Patch<T>` by [`shape`]; the wire
//!   name is kept in `#[serde(rename)]` whenever the Rust name differs. `additionalProperties`
//!   beside properties is a `#[serde(flatten)]` `BTreeMap` named `additional_properties`.
//! - **Builder setters** (types used in query parameters, and create forms, when every field is
//!   optional) are named after the field, or `set_{field}` when that would shadow a trait
//!   method code calls by name (`clone`, `into`, `default`, ...).
//! - **String enums** have one variant per value plus `Other(String)`, and serialise through
//!   `as_str`/`From<&str>`, so unknown values survive a round trip. **Integer enums** do the
//!   same with `Other(i64)`.
//! - **Unions** without a tag are `#[serde(untagged)]` (variants tried in spec order); with a
//!   tag, `Deserialize` reads the tag property and decodes the matching variant (the tag stays
//!   inside the variant's object), and an unknown tag is kept as `Unknown(serde_json::Value)`.
//! - **Aliases** are `pub type Name = T;`.
//! - Doc text from the spec is made safe for rustdoc (fenced code becomes `text` blocks), and
//!   the lints that spec-derived names and docs can trip (`clippy::enum_variant_names`,
//!   `clippy::wrong_self_convention`, ...) are allowed per module (see
//!   [`module_allows`](super::module_allows)).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, ty_tokens, EmitOptions, Form};
use crate::ir::{EnumVariant, Field, Ir, StructDef, TypeDef, TypeKind, UnionDef};

/// How a field is held in a given form (the table in `design/type-mapping.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Left out of this form.
    Omitted,
    /// `T`, always sent.
    Plain,
    /// `Option<T>`; `skip` when `None` is left off the wire (otherwise sent as `null`).
    Optional {
        /// Skip serialising `None`.
        skip: bool,
    },
    /// `Patch<T>`: absent, null or a value.
    TriState,
}

/// The shape of `field` in `form`.
pub fn shape(field: &Field, form: Form) -> Shape {
    match form {
        Form::Model if field.write_only => Shape::Omitted,
        Form::Create | Form::Patch if field.read_only => Shape::Omitted,
        Form::Patch => Shape::TriState,
        Form::Model => match (field.required, field.nullable) {
            (true, false) => Shape::Plain,
            (true, true) => Shape::Optional { skip: false },
            (false, _) => Shape::Optional { skip: true },
        },
        Form::Create => match (field.required, field.nullable) {
            (true, false) => Shape::Plain,
            (true, true) => Shape::Optional { skip: false },
            (false, false) => Shape::Optional { skip: true },
            (false, true) => Shape::TriState,
        },
    }
}

/// Emits every type's model form, sorted by name.
pub fn emit(ir: &Ir, options: &EmitOptions) -> TokenStream {
    let items = ir.types_in_order().into_iter().map(|def| emit_type(ir, def, Form::Model, options));
    quote!(#(#items)*)
}

/// Emits `def` in `form` (`Model` or `Create`; patch forms are in `requests`).
pub fn emit_type(ir: &Ir, def: &TypeDef, form: Form, options: &EmitOptions) -> TokenStream {
    let name = match form {
        Form::Model => &def.name,
        Form::Create => def.create_name.as_deref().unwrap_or(&def.name),
        Form::Patch => def.patch_name.as_deref().unwrap_or(&def.name),
    };
    let docs = doc_attrs(def.docs.as_deref());
    match &def.kind {
        TypeKind::Struct(st) => emit_struct(ir, name, &docs, st, form, def.builder || form == Form::Create, options),
        TypeKind::StringEnum(variants) => emit_string_enum(name, &docs, variants),
        TypeKind::IntEnum(variants) => emit_int_enum(name, &docs, variants),
        TypeKind::Union(union) => emit_union(ir, name, &docs, union, form),
        TypeKind::Alias(target) => {
            let name = ident(name);
            let target = ty_tokens(ir, target, form);
            quote! { #docs pub type #name = #target; }
        }
    }
}

fn serde_field_attrs(field: &Field, shape: Shape, runtime: &TokenStream) -> TokenStream {
    let mut parts: Vec<TokenStream> = Vec::new();
    if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        parts.push(quote!(rename = #wire));
    }
    match shape {
        Shape::Optional { skip: true } => {
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        Shape::Optional { skip: false } => parts.push(quote!(default)),
        Shape::TriState => {
            let skip = format!("{runtime}::Patch::is_absent").replace(' ', "");
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = #skip));
        }
        Shape::Plain | Shape::Omitted => {}
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// The field's type in `form`, wrapped per its shape.
pub fn field_ty(ir: &Ir, field: &Field, shape: Shape, form: Form, runtime: &TokenStream) -> TokenStream {
    let inner = ty_tokens(ir, &field.ty, form);
    match shape {
        Shape::Optional { .. } => quote!(Option<#inner>),
        Shape::TriState => quote!(#runtime::Patch<#inner>),
        Shape::Plain | Shape::Omitted => inner,
    }
}

fn field_docs(field: &Field) -> TokenStream {
    let mut text = field.docs.clone().unwrap_or_default();
    if field.deprecated {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("Deprecated by the API.");
    }
    doc_attrs(Some(&text).filter(|t| !t.is_empty()).map(String::as_str))
}

fn emit_struct(
    ir: &Ir,
    name: &str,
    docs: &TokenStream,
    st: &StructDef,
    form: Form,
    builder: bool,
    options: &EmitOptions,
) -> TokenStream {
    let runtime = &options.runtime;
    let extra = options.derives();
    let name = ident(name);
    let fields: Vec<(&Field, Shape)> =
        st.fields.iter().map(|f| (f, shape(f, form))).filter(|(_, s)| *s != Shape::Omitted).collect();
    let all_optional = fields.iter().all(|(_, s)| *s != Shape::Plain);
    let field_tokens = fields.iter().map(|(field, shape)| {
        let docs = field_docs(field);
        let attrs = serde_field_attrs(field, *shape, runtime);
        let rust = ident(&field.rust_name);
        let ty = field_ty(ir, field, *shape, form, runtime);
        quote! { #docs #attrs pub #rust: #ty, }
    });
    let additional = st.additional.as_ref().map(|extra| {
        let ty = ty_tokens(ir, extra, form);
        quote! {
            /// Properties not listed above, by name.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let default = if all_optional { quote!(Default,) } else { TokenStream::new() };
    let setters = if builder && all_optional {
        let mut method_names = crate::names::Scope::default();
        let methods = fields.iter().map(|(field, shape)| {
            let rust = ident(&field.rust_name);
            let setter = ident(&method_names.claim(setter_name(&field.rust_name)));
            let inner = ty_tokens(ir, &field.ty, form);
            let doc = format!(" Sets `{}`.", field.wire_name);
            match shape {
                Shape::TriState => quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #setter(mut self, value: impl Into<#inner>) -> Self {
                        self.#rust = #runtime::Patch::Value(value.into());
                        self
                    }
                },
                _ => quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #setter(mut self, value: impl Into<#inner>) -> Self {
                        self.#rust = Some(value.into());
                        self
                    }
                },
            }
        });
        quote! { impl #name { #(#methods)* } }
    } else {
        TokenStream::new()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #extra ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#field_tokens)*
            #additional
        }
        #setters
    }
}

/// Trait methods that code calls by method or path syntax (`value.clone()`, `value.into()`,
/// `Type::default()`): an inherent setter of the same name would shadow them. (`eq`/`ne` are
/// left alone: `==` does not go through method lookup, and `filter.eq(x)` reads well.)
const TRAIT_METHODS: &[&str] = &[
    "clone", "clone_from", "fmt", "hash", "serialize", "deserialize", "default", "into", "from", "try_into",
    "try_from", "to_owned", "to_string", "borrow", "borrow_mut", "type_id",
];

/// A builder setter is named after its field, or `set_{field}` when that would shadow a trait
/// method.
fn setter_name(field: &str) -> String {
    if TRAIT_METHODS.contains(&field) {
        format!("set_{field}")
    } else {
        field.to_owned()
    }
}

fn emit_string_enum(name: &str, docs: &TokenStream, variants: &[EnumVariant<String>]) -> TokenStream {
    let name = ident(name);
    let decls = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let doc = format!(" `{}`", v.value.replace('`', "'"));
        quote! { #[doc = #doc] #rust, }
    });
    let to_str = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = &v.value;
        quote! { Self::#rust => #value, }
    });
    let from_str = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = &v.value;
        quote! { #value => Self::#rust, }
    });
    let values = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        quote!(Self::#rust)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#decls)*
            /// A value this description does not list; kept as sent so it re-serialises unchanged.
            Other(String),
        }
        impl #name {
            /// Every value the description lists.
            pub const KNOWN: &'static [Self] = &[#(#values),*];
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Other(value) => value,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn emit_int_enum(name: &str, docs: &TokenStream, variants: &[EnumVariant<i64>]) -> TokenStream {
    let name = ident(name);
    let decls = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let doc = format!(" `{}`", v.value);
        quote! { #[doc = #doc] #rust, }
    });
    let to_int = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = v.value;
        quote! { Self::#rust => #value, }
    });
    let from_int = variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = v.value;
        quote! { #value => Self::#rust, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#decls)*
            /// A value this description does not list; kept as sent.
            Other(i64),
        }
        impl #name {
            /// The value on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#to_int)*
                    Self::Other(value) => value,
                }
            }
        }
        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_int)*
                    other => Self::Other(other),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn emit_union(ir: &Ir, name: &str, docs: &TokenStream, union: &UnionDef, form: Form) -> TokenStream {
    let name = ident(name);
    let decls = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let ty = ty_tokens(ir, &v.ty, form);
        quote! { #rust(#ty), }
    });
    let Some(tag) = &union.tag else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#decls)*
            }
        };
    };
    // Tagged: the tag stays inside the variant's object (it is usually one of its properties),
    // and an unknown tag is kept as raw JSON instead of failing.
    let arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = v.tag_value.as_deref().unwrap_or_default();
        quote! {
            Some(#value) => ::serde_json::from_value(value).map(Self::#rust).map_err(::serde::de::Error::custom),
        }
    });
    let ser_arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        quote! { Self::#rust(value) => ::serde::Serialize::serialize(value, serializer), }
    });
    let mut scope = crate::names::Scope::default();
    for v in &union.variants {
        scope.claim(v.rust_name.clone());
    }
    let unknown = ident(&scope.claim("Unknown".into()));
    let doc = format!(" The `{tag}` value is one this description does not list; the object as sent.");
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            #[doc = #doc]
            #unknown(::serde_json::Value),
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
    }
}
