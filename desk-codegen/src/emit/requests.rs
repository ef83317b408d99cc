//! Request types: `{Name}Create` for POST/PUT bodies and `{Name}Patch` for PATCH bodies.
//!
//! Both leave out read-only fields. Every field of a patch type is tri-state
//! (`Patch::Absent` / `Patch::Null` / `Patch::Value`), nested objects get their own patch types
//! (as in JSON merge patch) and arrays, maps and unions are replaced whole (create forms).
//! Conversions from the model form and a minimal `diff` between two models are generated
//! wherever every field can be converted.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::{emit_type, field_ty, shape, Shape};
use super::{doc_attrs, ident, ty_tokens, type_name, EmitOptions, Form};
use crate::ir::{Field, Ir, TypeId, TypeKind, TypeRef};
use crate::names::Scope;

/// Which conversions from the model form exist.
struct Convertible {
    create: BTreeSet<TypeId>,
}

impl Convertible {
    /// Fixpoint: start from every create form and drop those with a field the model lacks
    /// (a required write-only field) or whose nested conversion is missing.
    fn compute(ir: &Ir) -> Self {
        let mut create: BTreeSet<TypeId> =
            ir.types.iter().enumerate().filter(|(_, d)| d.create_name.is_some()).map(|(i, _)| i).collect();
        loop {
            let before = create.len();
            let snapshot = create.clone();
            create.retain(|id| match &ir.ty(*id).kind {
                TypeKind::Struct(st) => st.fields.iter().all(|f| match shape(f, Form::Create) {
                    Shape::Omitted => true,
                    Shape::Plain if f.write_only => false,
                    _ => f.write_only || ty_convertible(ir, &snapshot, &f.ty),
                }) && st.additional.as_ref().is_none_or(|t| ty_convertible(ir, &snapshot, t)),
                TypeKind::Union(u) => u.variants.iter().all(|v| ty_convertible(ir, &snapshot, &v.ty)),
                TypeKind::Alias(t) => ty_convertible(ir, &snapshot, t),
                _ => true,
            });
            if create.len() == before {
                return Self { create };
            }
        }
    }

    fn patch_ok(&self, ir: &Ir, id: TypeId) -> bool {
        let mut seen = BTreeSet::new();
        self.patch_ok_inner(ir, id, &mut seen)
    }

    fn patch_ok_inner(&self, ir: &Ir, id: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
        if !seen.insert(id) {
            return true;
        }
        match &ir.ty(id).kind {
            TypeKind::Struct(st) => st.fields.iter().filter(|f| !f.read_only && !f.write_only).all(|f| self.patch_field_ok(ir, &f.ty, seen)),
            TypeKind::Alias(t) => self.patch_field_ok(ir, t, seen),
            _ => true,
        }
    }

    fn patch_field_ok(&self, ir: &Ir, ty: &TypeRef, seen: &mut BTreeSet<TypeId>) -> bool {
        match ty {
            TypeRef::Named(id) if ir.ty(*id).patch_name.is_some() => self.patch_ok_inner(ir, *id, seen),
            TypeRef::Boxed(inner) => self.patch_field_ok(ir, inner, seen),
            other => ty_convertible(ir, &self.create, other),
        }
    }
}

fn ty_convertible(ir: &Ir, create: &BTreeSet<TypeId>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => ir.ty(*id).create_name.is_none() || create.contains(id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => ty_convertible(ir, create, inner),
        _ => true,
    }
}

/// Whether a value of `ty` changes type between the model form and `form`.
fn differs(ir: &Ir, ty: &TypeRef, form: Form) -> bool {
    match ty {
        TypeRef::Named(id) => type_name(ir, *id, Form::Model) != type_name(ir, *id, form),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => differs(ir, inner, Form::Create),
        TypeRef::Boxed(inner) => differs(ir, inner, form),
        _ => false,
    }
}

/// An expression converting `expr` (an owned model-form value of `ty`) into `form`.
fn convert(ir: &Ir, expr: TokenStream, ty: &TypeRef, form: Form) -> TokenStream {
    if !differs(ir, ty, form) {
        return expr;
    }
    match ty {
        TypeRef::Named(_) => quote!(#expr.into()),
        TypeRef::Vec(inner) => {
            let item = convert(ir, quote!(item), inner, Form::Create);
            quote!(#expr.into_iter().map(|item| #item).collect())
        }
        TypeRef::Map(inner) => {
            let item = convert(ir, quote!(item), inner, Form::Create);
            quote!(#expr.into_iter().map(|(key, item)| (key, #item)).collect())
        }
        TypeRef::Boxed(inner) => {
            let item = convert(ir, quote!((*#expr)), inner, form);
            quote!(Box::new(#item))
        }
        _ => expr,
    }
}

/// Emits the create and patch forms of every type, sorted by name.
pub fn emit(ir: &Ir, options: &EmitOptions) -> TokenStream {
    let runtime = &options.runtime;
    let convertible = Convertible::compute(ir);
    let mut items = Vec::new();
    for id in ir.ids_in_order() {
        let def = ir.ty(id);
        if def.create_name.is_some() {
            items.push(emit_type(ir, def, Form::Create, options));
            if let TypeKind::Struct(st) = &def.kind {
                items.push(create_extras(ir, id, st, &convertible, runtime));
            }
            if let TypeKind::Union(u) = &def.kind {
                if convertible.create.contains(&id) && u.tag.is_none() {
                    items.push(union_from_model(ir, id, u));
                }
            }
        }
        if def.patch_name.is_some() {
            items.push(emit_patch(ir, id, &convertible, options));
        }
    }
    quote!(#(#items)*)
}

/// `From<Model>` for a create struct, setters when every field is optional, and `From<inner>`
/// for single-field wrappers.
fn create_extras(ir: &Ir, id: TypeId, st: &crate::ir::StructDef, convertible: &Convertible, runtime: &TokenStream) -> TokenStream {
    let def = ir.ty(id);
    let name = ident(type_name(ir, id, Form::Create));
    let model = ident(&def.name);
    let fields: Vec<(&Field, Shape)> =
        st.fields.iter().map(|f| (f, shape(f, Form::Create))).filter(|(_, s)| *s != Shape::Omitted).collect();
    let mut out = TokenStream::new();
    if convertible.create.contains(&id) {
        let inits = fields.iter().map(|(field, shape)| {
            let rust = ident(&field.rust_name);
            let value = quote!(value.#rust);
            let init = if field.write_only {
                quote!(Default::default())
            } else {
                let model_shape = super::models::shape(field, Form::Model);
                let converted = convert(ir, quote!(v), &field.ty, Form::Create);
                match (model_shape, shape) {
                    (Shape::Plain, Shape::Plain) => convert(ir, value, &field.ty, Form::Create),
                    (Shape::Optional { .. }, Shape::Optional { .. }) if !differs(ir, &field.ty, Form::Create) => value,
                    (Shape::Optional { .. }, Shape::Optional { .. }) => quote!(#value.map(|v| #converted)),
                    (Shape::Optional { .. }, Shape::TriState) if !differs(ir, &field.ty, Form::Create) => {
                        quote!(#value.map_or(#runtime::Patch::Absent, #runtime::Patch::Value))
                    }
                    (Shape::Optional { .. }, Shape::TriState) => {
                        quote!(#value.map_or(#runtime::Patch::Absent, |v| #runtime::Patch::Value(#converted)))
                    }
                    _ => quote!(Default::default()),
                }
            };
            quote!(#rust: #init,)
        });
        let extra = st.additional.as_ref().map(|ty| {
            let converted = convert(ir, quote!(v), ty, Form::Create);
            quote!(additional_properties: value.additional_properties.into_iter().map(|(k, v)| (k, #converted)).collect(),)
        });
        let used = if fields.iter().any(|(f, _)| !f.write_only) || extra.is_some() { quote!(value) } else { quote!(_value) };
        let doc = format!(" Everything of a [`{}`] that can be sent, read-only fields left out.", def.name);
        out.extend(quote! {
            impl From<#model> for #name {
                #[doc = #doc]
                fn from(#used: #model) -> Self {
                    Self { #(#inits)* #extra }
                }
            }
        });
    }
    out.extend(single_field_from(ir, &name, &fields, Form::Create, runtime));
    out
}

fn union_from_model(ir: &Ir, id: TypeId, union: &crate::ir::UnionDef) -> TokenStream {
    let name = ident(type_name(ir, id, Form::Create));
    let model = ident(type_name(ir, id, Form::Model));
    let arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let converted = convert(ir, quote!(inner), &v.ty, Form::Create);
        quote!(#model::#rust(inner) => Self::#rust(#converted),)
    });
    quote! {
        impl From<#model> for #name {
            fn from(value: #model) -> Self {
                match value { #(#arms)* }
            }
        }
    }
}

/// `impl From<Inner> for Wrapper` when the request type has one field of a named type, so a
/// body like `{"conversation": {...}}` can be given as its inner value.
fn single_field_from(
    ir: &Ir,
    name: &proc_macro2::Ident,
    fields: &[(&Field, Shape)],
    form: Form,
    runtime: &TokenStream,
) -> TokenStream {
    let [(field, shape)] = fields else { return TokenStream::new() };
    if !matches!(field.ty, TypeRef::Named(_)) {
        return TokenStream::new();
    }
    let inner = ty_tokens(ir, &field.ty, form);
    let rust = ident(&field.rust_name);
    let wrapped = match shape {
        Shape::Plain => quote!(value),
        Shape::Optional { .. } => quote!(Some(value)),
        Shape::TriState => quote!(#runtime::Patch::Value(value)),
        Shape::Omitted => return TokenStream::new(),
    };
    let doc = format!(" Wraps the value as `{}`.", field.wire_name);
    quote! {
        impl From<#inner> for #name {
            #[doc = #doc]
            fn from(value: #inner) -> Self {
                Self { #rust: #wrapped }
            }
        }
    }
}

fn emit_patch(ir: &Ir, id: TypeId, convertible: &Convertible, options: &EmitOptions) -> TokenStream {
    let runtime = &options.runtime;
    let extra = options.derives();
    let def = ir.ty(id);
    let patch_name = def.patch_name.as_deref().unwrap_or(&def.name);
    let name = ident(patch_name);
    let st = match &def.kind {
        TypeKind::Struct(st) => st,
        TypeKind::Alias(target) => {
            let target = ty_tokens(ir, target, Form::Patch);
            let doc = format!(" Partial update of [`{}`].", def.name);
            return quote! { #[doc = #doc] pub type #name = #target; };
        }
        _ => return TokenStream::new(),
    };
    let model = ident(&def.name);
    let fields: Vec<&Field> = st.fields.iter().filter(|f| shape(f, Form::Patch) == Shape::TriState).collect();
    let mut intro = format!(
        "Partial update of [`{}`]: every field is absent (left unchanged), null (cleared) or a value (set).\n\n\
         Read-only fields are not part of this type.",
        def.name
    );
    if let Some(docs) = &def.docs {
        intro.push_str("\n\n");
        intro.push_str(docs);
    }
    let docs = doc_attrs(Some(&intro));
    let decls = fields.iter().map(|field| {
        let docs = doc_attrs(field.docs.as_deref());
        let skip = format!("{runtime}::Patch::is_absent").replace(' ', "");
        let rename = (field.rust_name != field.wire_name).then(|| {
            let wire = &field.wire_name;
            quote!(rename = #wire,)
        });
        let rust = ident(&field.rust_name);
        let ty = field_ty(ir, field, Shape::TriState, Form::Patch, runtime);
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = #skip)]
            pub #rust: #ty,
        }
    });

    let mut methods = Scope::with_reserved(["new", "is_empty", "diff"]);
    let setters: Vec<_> = fields.iter().map(|f| methods.claim(f.rust_name.clone())).collect();
    let clearers: Vec<_> = fields.iter().map(|f| methods.claim(format!("clear_{}", f.rust_name))).collect();
    let accessors = fields.iter().zip(setters.iter().zip(&clearers)).map(|(field, (set, clear))| {
        let rust = ident(&field.rust_name);
        let set = ident(set);
        let clear = ident(clear);
        let inner = ty_tokens(ir, &field.ty, Form::Patch);
        let set_doc = format!(" Sets `{}` to `value`.", field.wire_name);
        let clear_doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
        quote! {
            #[doc = #set_doc]
            #[must_use]
            pub fn #set(mut self, value: impl Into<#inner>) -> Self {
                self.#rust = #runtime::Patch::Value(value.into());
                self
            }
            #[doc = #clear_doc]
            #[must_use]
            pub fn #clear(mut self) -> Self {
                self.#rust = #runtime::Patch::Null;
                self
            }
        }
    });
    let empties = fields.iter().map(|f| {
        let rust = ident(&f.rust_name);
        quote!(self.#rust.is_absent())
    });
    let is_empty_body = if fields.is_empty() { quote!(true) } else { quote!(#(#empties)&&*) };

    let mut conversions = TokenStream::new();
    if convertible.patch_ok(ir, id) {
        let from_fields = fields.iter().map(|field| {
            let rust = ident(&field.rust_name);
            if field.write_only {
                return quote!(#rust: #runtime::Patch::Absent,);
            }
            let converted = convert(ir, quote!(v), &field.ty, Form::Patch);
            match shape(field, Form::Model) {
                Shape::Plain => {
                    let value = convert(ir, quote!(value.#rust), &field.ty, Form::Patch);
                    quote!(#rust: #runtime::Patch::Value(#value),)
                }
                _ if !differs(ir, &field.ty, Form::Patch) => {
                    quote!(#rust: value.#rust.map_or(#runtime::Patch::Absent, #runtime::Patch::Value),)
                }
                _ => quote!(#rust: value.#rust.map_or(#runtime::Patch::Absent, |v| #runtime::Patch::Value(#converted)),),
            }
        });
        let diff_fields = fields.iter().filter(|f| !f.write_only).map(|field| {
            let rust = ident(&field.rust_name);
            let (changed, uses_old) = nested_or_whole(ir, &field.ty);
            let old_binding = if uses_old { quote!(old) } else { quote!(_) };
            let whole = convert(ir, owned_new(ir, &field.ty), &field.ty, Form::Patch);
            match shape(field, Form::Model) {
                Shape::Plain => quote! {
                    if old.#rust != new.#rust {
                        patch.#rust = #runtime::Patch::Value({
                            let (#old_binding, new) = (&old.#rust, &new.#rust);
                            #changed
                        });
                    }
                },
                _ => quote! {
                    patch.#rust = match (&old.#rust, &new.#rust) {
                        (old, new) if old == new => #runtime::Patch::Absent,
                        (_, None) => #runtime::Patch::Null,
                        (None, Some(new)) => #runtime::Patch::Value(#whole),
                        (Some(#old_binding), Some(new)) => #runtime::Patch::Value(#changed),
                    };
                },
            }
        });
        let used = if fields.iter().any(|f| !f.write_only) { quote!(value) } else { quote!(_value) };
        let (old, new) = if fields.iter().any(|f| !f.write_only) { (quote!(old), quote!(new)) } else { (quote!(_old), quote!(_new)) };
        let diff_doc = " The smallest patch that turns `old` into `new`: unchanged fields are absent, fields that became\n empty are cleared, nested objects are diffed field by field and arrays are replaced whole.\n Read-only fields (which the server owns) are ignored.";
        let mut_kw = if fields.iter().any(|f| !f.write_only) { quote!(mut) } else { TokenStream::new() };
        conversions = quote! {
            impl From<#model> for #name {
                /// Sets every writable field the model has; fields it lacks stay absent.
                fn from(#used: #model) -> Self {
                    Self { #(#from_fields)* }
                }
            }
            impl #name {
                #[doc = #diff_doc]
                pub fn diff(#old: &#model, #new: &#model) -> Self {
                    let #mut_kw patch = Self::new();
                    #(#diff_fields)*
                    patch
                }
            }
        };
    }
    let single = single_field_from(
        ir,
        &name,
        &fields.iter().map(|f| (*f, Shape::TriState)).collect::<Vec<_>>(),
        Form::Patch,
        runtime,
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Default, #extra ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#decls)*
        }
        impl #name {
            /// An empty patch: changes nothing.
            pub fn new() -> Self {
                <Self as Default>::default()
            }
            /// Whether the patch changes nothing (every field absent).
            pub fn is_empty(&self) -> bool {
                #is_empty_body
            }
            #(#accessors)*
        }
        #conversions
        #single
    }
}

/// The patch value for a changed field, given `old` and `new` references of model type `ty`:
/// a nested diff for objects with a patch form, the whole new value otherwise.
fn nested_or_whole(ir: &Ir, ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::Named(id) if ir.ty(*id).patch_name.is_some() && matches!(ir.ty(*id).kind, TypeKind::Struct(_)) => {
            let patch = ident(type_name(ir, *id, Form::Patch));
            (quote!(#patch::diff(old, new)), true)
        }
        TypeRef::Boxed(inner) => {
            let (nested, uses_old) = nested_or_whole(ir, inner);
            let old_binding = if uses_old { quote!(&**old) } else { quote!(()) };
            (quote!({ let (old, new) = (#old_binding, &**new); let _ = old; Box::new(#nested) }), uses_old)
        }
        other => (convert(ir, owned_new(ir, other), other, Form::Patch), false),
    }
}

/// `new` (a reference) as an owned value: a copy for `Copy` types, a clone otherwise.
fn owned_new(ir: &Ir, ty: &TypeRef) -> TokenStream {
    let is_copy = match ty {
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 | TypeRef::Date => true,
        TypeRef::Named(id) => matches!(ir.ty(*id).kind, TypeKind::IntEnum(_)),
        _ => false,
    };
    if is_copy {
        quote!(*new)
    } else {
        quote!(new.clone())
    }
}
