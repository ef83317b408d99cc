//! Reads the public API model from generated Rust (`syn`): what regeneration compares against,
//! since the code on disk is the only record of the previous description.
//!
//! It reads what desk generates — a module folder (`models.rs`, `requests.rs`, `client.rs`), a
//! crate (`src/*.rs`) or one file with inline modules — and relies on the generated code's own
//! conventions where the Rust alone does not say what an item is for: the runtime's
//! `string_enum!`/`int_enum!` name an open enum's catch-all variant, a patch form's docs start
//! with "Partial update of", an operation method calls `.request(rt::Method::GET, "/path", ..)`
//! and matches on the status. `super::tests` checks that this reading and the IR's agree on
//! every spec desk owns.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::punctuated::Punctuated;

use super::model::{
    merge_statuses, ApiModel, Endpoint, Field, Item, Method, Presence, Role, Shape, Variant,
};

/// The modules whose items make up the public API.
const MODULES: [&str; 3] = ["models", "requests", "client"];

/// Methods of the client that every generated client has, whatever the description says.
const FIXED_CLIENT_METHODS: [&str; 5] = [
    "from_api",
    "api",
    "with_timeout",
    "with_deadline",
    "builder",
];

/// The methods every generated `ClientBuilder` has; the others set the API keys the
/// description names (`api_key`), and are part of its API.
const FIXED_BUILDER_METHODS: [&str; 10] = [
    "auth",
    "bearer_token",
    "basic_auth",
    "timeout",
    "deadline",
    "connect_timeout",
    "retry_policy",
    "transport",
    "user_agent",
    "build",
];

/// Derives that say what a type can do (and whose removal breaks users); serde's are left out,
/// since a hand-written impl may replace a derived one.
fn kept_derive(path: &str) -> bool {
    !path.contains("serde")
}

/// The model of generated files, given as (path, contents): files named after a module hold
/// its items, any other file may hold them as inline modules (`pub mod models { .. }`).
pub(crate) fn from_files<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<ApiModel, syn::Error> {
    let mut modules: Vec<(String, Vec<syn::Item>)> = Vec::new();
    for (path, contents) in files {
        if !path.ends_with(".rs") {
            continue;
        }
        let file = syn::parse_file(contents)?;
        let stem = std::path::Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if MODULES.contains(&stem) {
            modules.push((stem.to_owned(), file.items));
        } else {
            collect_inline(file.items, &mut modules);
        }
    }
    Ok(from_modules(&modules))
}

fn collect_inline(items: Vec<syn::Item>, modules: &mut Vec<(String, Vec<syn::Item>)>) {
    for item in items {
        if let syn::Item::Mod(module) = item {
            let name = module.ident.to_string();
            if let (true, Some((_, items))) = (MODULES.contains(&name.as_str()), module.content) {
                modules.push((name, items));
            }
        }
    }
}

/// The model of the given modules' items.
pub(crate) fn from_modules(modules: &[(String, Vec<syn::Item>)]) -> ApiModel {
    let mut model = ApiModel::default();
    for (module, items) in modules {
        read_module(module, items, &mut model);
    }
    assign_operation_roles(&mut model);
    model
}

fn path_of(module: &str, name: &str) -> String {
    format!("{module}::{name}")
}

fn read_module(module: &str, items: &[syn::Item], model: &mut ApiModel) {
    let mut catch_alls: BTreeMap<String, String> = BTreeMap::new();
    let mut wire_ordered: Vec<String> = Vec::new();
    let mut impls: Vec<&syn::ItemImpl> = Vec::new();
    for item in items {
        match item {
            syn::Item::Struct(st) if is_pub(&st.vis) => {
                let name = st.ident.to_string();
                if module == "client" && name == "ClientBuilder" {
                    // Its fields are private; its API-key methods are read with the impls.
                    let shape = Shape::Struct(Vec::new());
                    insert(model, module, &name, Role::Client, &st.attrs, shape);
                    continue;
                }
                let fields = match &st.fields {
                    syn::Fields::Named(named) => named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .map(read_field)
                        .collect(),
                    _ => Vec::new(),
                };
                let role = match module {
                    "requests" => request_role(&st.attrs),
                    "client" if name == "Client" => Role::Client,
                    "client" => Role::Params, // settled by `assign_operation_roles`
                    _ => Role::Model,
                };
                insert(model, module, &name, role, &st.attrs, Shape::Struct(fields));
            }
            syn::Item::Enum(en) if is_pub(&en.vis) => {
                let variants = en
                    .variants
                    .iter()
                    .map(|v| Variant {
                        name: v.ident.to_string(),
                        payload: match &v.fields {
                            syn::Fields::Unnamed(fields) => {
                                fields.unnamed.first().map(|f| type_text(&f.ty))
                            }
                            _ => None,
                        },
                        pointer: None,
                    })
                    .collect();
                let role = match module {
                    "requests" => Role::Create,
                    "client" => Role::Response, // settled by `assign_operation_roles`
                    _ => Role::Model,
                };
                // A tagged union is an enum of the models without `#[serde(untagged)]` (its
                // serde impls are written out) whose last variant holds the JSON of unknown
                // tags. (Open enums' catch-alls are named by their macro, below.)
                let tagged = module != "client"
                    && !en.attrs.iter().any(|a| a.path().is_ident("serde"))
                    && en.variants.last().is_some_and(|v| {
                        matches!(&v.fields, syn::Fields::Unnamed(f)
                            if f.unnamed.first().is_some_and(|f| type_text(&f.ty) == "::serde_json::Value"))
                    });
                let shape = Shape::Enum {
                    catch_all: tagged
                        .then(|| en.variants.last().map(|v| v.ident.to_string()))
                        .flatten(),
                    variants,
                    values: false,
                    wire_order: false,
                };
                insert(model, module, &en.ident.to_string(), role, &en.attrs, shape);
            }
            // The runtime's builder under the client's name (which derives `Debug`): its
            // API-key methods are read with the impls of the trait that gives them.
            syn::Item::Type(alias) if module == "client" && alias.ident == "ClientBuilder" => {
                insert(
                    model,
                    module,
                    "ClientBuilder",
                    Role::Client,
                    &[],
                    Shape::Struct(Vec::new()),
                );
                if let Some(builder) = model.items.get_mut(&path_of(module, "ClientBuilder")) {
                    builder.derives.insert("Debug".to_owned());
                }
            }
            syn::Item::Type(alias) if is_pub(&alias.vis) => {
                let role = match module {
                    "requests" => request_role(&alias.attrs),
                    _ => Role::Model,
                };
                let shape = Shape::Alias(type_text(&alias.ty));
                insert(
                    model,
                    module,
                    &alias.ident.to_string(),
                    role,
                    &alias.attrs,
                    shape,
                );
            }
            syn::Item::Macro(mac) => {
                let macro_name = mac.mac.path.segments.last().map(|s| s.ident.to_string());
                if macro_name.as_deref() == Some("wire_order") {
                    // `wire_order!(string Name, Other)`: the enum is its second word.
                    let name = mac.mac.tokens.clone().into_iter().nth(1);
                    if let Some(proc_macro2::TokenTree::Ident(name)) = name {
                        wire_ordered.push(name.to_string());
                    }
                }
                if matches!(macro_name.as_deref(), Some("string_enum" | "int_enum")) {
                    let idents: Vec<String> = mac
                        .mac
                        .tokens
                        .clone()
                        .into_iter()
                        .filter_map(|t| match t {
                            proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
                            _ => None,
                        })
                        .take(2)
                        .collect();
                    if let [name, catch_all] = idents.as_slice() {
                        catch_alls.insert(name.clone(), catch_all.clone());
                    }
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() || is_api_keys_impl(module, imp) => {
                impls.push(imp)
            }
            _ => {}
        }
    }
    for name in wire_ordered {
        if let Some(item) = model.items.get_mut(&path_of(module, &name)) {
            item.derives
                .extend(["PartialOrd".to_owned(), "Ord".to_owned()]);
            if let Shape::Enum { wire_order, .. } = &mut item.shape {
                *wire_order = true;
            }
        }
    }
    for (name, catch_all) in catch_alls {
        if let Some(Shape::Enum {
            catch_all: slot,
            values,
            ..
        }) = model
            .items
            .get_mut(&path_of(module, &name))
            .map(|item| &mut item.shape)
        {
            *slot = Some(catch_all);
            *values = true;
        }
    }
    for imp in impls {
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(item) = model.items.get_mut(&path_of(module, &name)) else {
            continue;
        };
        for member in &imp.items {
            let syn::ImplItem::Fn(method) = member else {
                continue;
            };
            if imp.trait_.is_none() && !is_pub(&method.vis) {
                continue;
            }
            let method_name = method.sig.ident.to_string();
            let fixed = match name.as_str() {
                "ClientBuilder" => FIXED_BUILDER_METHODS.as_slice(),
                _ if item.role == Role::Client => FIXED_CLIENT_METHODS.as_slice(),
                _ => &[],
            };
            if fixed.contains(&method_name.as_str()) {
                continue;
            }
            if let (Shape::Struct(fields), Some(field)) = (&mut item.shape, assigned_field(method))
            {
                if let Some(field) = fields.iter_mut().find(|f| f.name == field) {
                    field.accessors.insert(method_name.clone());
                }
            }
            let named = item.role == Role::Client && name == "Client";
            item.methods.insert(method_name, read_method(method, named));
        }
    }
}

/// The impl of the trait that gives the client's builder its API-key methods (the builder is
/// the runtime's type, so they cannot be its own).
fn is_api_keys_impl(module: &str, imp: &syn::ItemImpl) -> bool {
    let syn::Type::Path(self_ty) = &*imp.self_ty else {
        return false;
    };
    module == "client"
        && imp.trait_.is_some()
        && self_ty
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "ClientBuilder")
}

fn insert(
    model: &mut ApiModel,
    module: &str,
    name: &str,
    role: Role,
    attrs: &[syn::Attribute],
    shape: Shape,
) {
    let item = Item {
        module: module.to_owned(),
        name: name.to_owned(),
        role,
        owner: None,
        identity: None,
        pointer: None,
        shape,
        non_exhaustive: attrs.iter().any(|a| a.path().is_ident("non_exhaustive")),
        derives: derives(attrs),
        methods: BTreeMap::new(),
    };
    model.items.insert(path_of(module, name), item);
}

/// A request type is a patch form when its docs say it is a partial update.
fn request_role(attrs: &[syn::Attribute]) -> Role {
    let first_doc = attrs.iter().find_map(doc_text).unwrap_or_default();
    if first_doc.trim_start().starts_with("Partial update of") {
        Role::Patch
    } else {
        Role::Create
    }
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

fn derives(attrs: &[syn::Attribute]) -> std::collections::BTreeSet<String> {
    let mut derives = std::collections::BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in paths {
            let text = path_text(&path);
            if kept_derive(&text) {
                derives.insert(text);
            }
        }
    }
    derives
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn read_field(field: &syn::Field) -> Field {
    let name = field
        .ident
        .as_ref()
        .map(|i| i.to_string())
        .unwrap_or_default();
    let mut wire = name.clone();
    let (mut default, mut skip) = (false, false);
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                wire = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.path.is_ident("default") {
                default = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                skip = true;
            }
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    let presence = match outer_name(&field.ty).as_deref() {
        Some("Patch") => Presence::TriState,
        Some("Option") if default && !skip => Presence::Nullable,
        Some("Option") => Presence::Optional,
        _ => Presence::Required,
    };
    Field {
        name,
        ty: type_text(&field.ty),
        wire,
        presence,
        accessors: Default::default(),
        pointer: None,
    }
}

/// The last segment's name of a path type (`Option` for `Option<T>`).
fn outer_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The field a setter or clearer assigns: `self.field = ...;`.
fn assigned_field(method: &syn::ImplItemFn) -> Option<String> {
    let receiver = method.sig.receiver()?;
    if receiver.reference.is_some() {
        return None;
    }
    method.block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = stmt else {
            return None;
        };
        let syn::Expr::Field(field) = &*assign.left else {
            return None;
        };
        match (&*field.base, &field.member) {
            (syn::Expr::Path(base), syn::Member::Named(name)) if base.path.is_ident("self") => {
                Some(name.to_string())
            }
            _ => None,
        }
    })
}

/// A method's signature; parameter names are kept for the client's methods only (elsewhere
/// they are not part of what a caller writes).
fn read_method(method: &syn::ImplItemFn, named: bool) -> Method {
    let sig = &method.sig;
    let mut receiver = String::new();
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => {
                receiver = match (&r.reference, r.mutability) {
                    (Some(_), Some(_)) => "&mut self",
                    (Some(_), None) => "&self",
                    (None, Some(_)) => "mut self",
                    (None, None) => "self",
                }
                .to_owned();
            }
            syn::FnArg::Typed(typed) => {
                let name = match &*typed.pat {
                    _ if !named => String::new(),
                    syn::Pat::Ident(ident) => ident.ident.to_string(),
                    other => other.to_token_stream().to_string(),
                };
                params.push((name, type_text(&typed.ty)));
            }
        }
    }
    let output = match &sig.output {
        syn::ReturnType::Default => "()".to_owned(),
        syn::ReturnType::Type(_, ty) => type_text(ty),
    };
    let endpoint = sig
        .asyncness
        .is_some()
        .then(|| endpoint(&method.block))
        .flatten();
    Method {
        receiver,
        params,
        output,
        is_async: sig.asyncness.is_some(),
        endpoint,
    }
}

/// What an operation method's body sends and decodes: the `.request(..)` call of its request
/// chain, `.public()`, and the arms of its `match` on the status.
fn endpoint(block: &syn::Block) -> Option<Endpoint> {
    let mut seen = Seen::default();
    for stmt in &block.stmts {
        match stmt {
            syn::Stmt::Local(local) => {
                if let Some(init) = &local.init {
                    seen.walk(&init.expr);
                }
            }
            syn::Stmt::Expr(expr, _) => seen.walk(expr),
            _ => {}
        }
    }
    Some(Endpoint {
        http: seen.http?,
        public: seen.public,
        statuses: merge_statuses(seen.statuses),
        pointer: None,
    })
}

#[derive(Default)]
struct Seen {
    http: Option<String>,
    public: bool,
    statuses: Vec<Option<(u16, u16)>>,
}

impl Seen {
    fn walk(&mut self, expr: &syn::Expr) {
        match expr {
            syn::Expr::MethodCall(call) => {
                match call.method.to_string().as_str() {
                    "request" => self.request(call),
                    "public" => self.public = true,
                    _ => {}
                }
                self.walk(&call.receiver);
            }
            syn::Expr::Await(inner) => self.walk(&inner.base),
            syn::Expr::Try(inner) => self.walk(&inner.expr),
            syn::Expr::Paren(inner) => self.walk(&inner.expr),
            syn::Expr::Match(m) => {
                for arm in &m.arms {
                    let unexpected =
                        matches!(&*arm.body, syn::Expr::MethodCall(c) if c.method == "unexpected");
                    if !unexpected {
                        statuses(&arm.pat, &mut self.statuses);
                    }
                }
            }
            _ => {}
        }
    }

    /// `.request(rt::Method::GET, "/path", "operationId")`.
    fn request(&mut self, call: &syn::ExprMethodCall) {
        let mut args = call.args.iter();
        let method = args.next().and_then(|a| match a {
            syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        });
        let path = args.next().and_then(|a| match a {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        });
        if let (Some(method), Some(path)) = (method, path) {
            self.http = Some(format!("{method} {path}"));
        }
    }
}

fn statuses(pat: &syn::Pat, out: &mut Vec<Option<(u16, u16)>>) {
    let code = |expr: &syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse::<u16>().ok(),
        _ => None,
    };
    match pat {
        syn::Pat::Or(or) => or.cases.iter().for_each(|case| statuses(case, out)),
        syn::Pat::Lit(lit) => {
            if let syn::Lit::Int(i) = &lit.lit {
                if let Ok(n) = i.base10_parse::<u16>() {
                    out.push(Some((n, n)));
                }
            }
        }
        syn::Pat::Range(range) => {
            if let (Some(first), Some(last)) = (
                range.start.as_deref().and_then(code),
                range.end.as_deref().and_then(code),
            ) {
                out.push(Some((first, last)));
            }
        }
        syn::Pat::Wild(_) => out.push(None),
        _ => {}
    }
}

/// Settles the role and owner of the client module's types from the operation methods that
/// use them: `params: &XParams` is a parameters struct, the `Ok` and error types of the result
/// are outcome enums, a body argument names a multipart struct.
fn assign_operation_roles(model: &mut ApiModel) {
    let Some(client) = model.items.get("client::Client") else {
        return;
    };
    let mut assigned: Vec<(String, Role, String)> = Vec::new();
    for (method_name, method) in &client.methods {
        if method.endpoint.is_none() {
            continue;
        }
        for (param, ty) in &method.params {
            let name = ty.trim_start_matches('&');
            let role = if param == "params" {
                Role::Params
            } else {
                Role::Multipart
            };
            let name = name
                .strip_prefix("Option<")
                .and_then(|n| n.strip_suffix('>'))
                .unwrap_or(name);
            assigned.push((name.to_owned(), role, method_name.clone()));
        }
        if let Some(inner) = method
            .output
            .strip_prefix("Result<")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            if let Some((ok, err)) = inner.split_once(", rt::Error<") {
                assigned.push((ok.to_owned(), Role::Response, method_name.clone()));
                let err = err.strip_suffix('>').unwrap_or(err);
                assigned.push((err.to_owned(), Role::Error, method_name.clone()));
            }
        }
    }
    for (name, role, owner) in assigned {
        if let Some(item) = model.items.get_mut(&path_of("client", &name)) {
            let fits = match item.shape {
                Shape::Struct(_) => matches!(role, Role::Params | Role::Multipart),
                _ => matches!(role, Role::Response | Role::Error),
            };
            if fits && item.owner.is_none() {
                item.role = role;
                item.owner = Some(owner);
            }
        }
    }
}

/// A path as written: `::chrono::DateTime` (without generic arguments on the last segment).
fn path_text(path: &syn::Path) -> String {
    let mut out = String::new();
    write_path(path, &mut out);
    out
}

/// A type in the model's one spelling: paths with `::`, generic arguments after `<` separated
/// by `, `, references as `&'a T`, `impl A + B`.
pub(crate) fn type_text(ty: &syn::Type) -> String {
    let mut out = String::new();
    write_type(ty, &mut out);
    out
}

fn write_path(path: &syn::Path, out: &mut String) {
    // The runtime's tri-state type is one type however it is spelt (`::desk_runtime::Patch`
    // before generated code imported it, `Patch` since; lowering keeps `Patch` free of type
    // names): its one spelling is `Patch<T>`, so output of another version compares equal.
    let patch = path.segments.len() > 1
        && path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Patch");
    if patch {
        let last = path.segments.last().expect("a path with segments");
        return write_path(&syn::Path::from(last.clone()), out);
    }
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    for (index, segment) in path.segments.iter().enumerate() {
        if index > 0 {
            out.push_str("::");
        }
        out.push_str(&segment.ident.to_string());
        if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
            out.push('<');
            for (i, arg) in args.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match arg {
                    syn::GenericArgument::Type(ty) => write_type(ty, out),
                    syn::GenericArgument::Lifetime(l) => out.push_str(&l.to_string()),
                    syn::GenericArgument::AssocType(assoc) => {
                        out.push_str(&assoc.ident.to_string());
                        out.push_str(" = ");
                        write_type(&assoc.ty, out);
                    }
                    other => out.push_str(&other.to_token_stream().to_string()),
                }
            }
            out.push('>');
        }
    }
}

fn write_type(ty: &syn::Type, out: &mut String) {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => write_path(&path.path, out),
        syn::Type::Reference(reference) => {
            out.push('&');
            if let Some(lifetime) = &reference.lifetime {
                out.push_str(&lifetime.to_string());
                out.push(' ');
            }
            if reference.mutability.is_some() {
                out.push_str("mut ");
            }
            write_type(&reference.elem, out);
        }
        syn::Type::Tuple(tuple) => {
            out.push('(');
            for (i, elem) in tuple.elems.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_type(elem, out);
            }
            out.push(')');
        }
        syn::Type::ImplTrait(imp) => {
            out.push_str("impl ");
            for (i, bound) in imp.bounds.iter().enumerate() {
                if i > 0 {
                    out.push_str(" + ");
                }
                match bound {
                    syn::TypeParamBound::Trait(t) => write_path(&t.path, out),
                    syn::TypeParamBound::Lifetime(l) => out.push_str(&l.to_string()),
                    other => out.push_str(&other.to_token_stream().to_string()),
                }
            }
        }
        syn::Type::Paren(paren) => write_type(&paren.elem, out),
        syn::Type::Group(group) => write_type(&group.elem, out),
        other => out.push_str(&other.to_token_stream().to_string()),
    }
}
