//! Compares two public API models and classifies each change.
//!
//! Items are paired by identity (the schema's pointer and form, or the operation's method and
//! path) when both models know it, else by Rust path, so an item whose Rust name changed is
//! reported as renamed, not as removed and added. Changes are described in Rust terms, with the
//! class the compiler gives them item by item: additions to a struct or enum break literals and
//! exhaustive `match`es unless it is `#[non_exhaustive]` (the stable API, [`ApiMode::Stable`]).

use std::collections::{BTreeMap, BTreeSet};

use super::model::{ApiModel, Endpoint, Field, Item, Method, Presence, Role, Shape, Variant};
use super::{Bump, Change, ChangeKind, Group};

/// A change before it is located: the pointers of both sides.
pub(crate) struct Found {
    pub change: Change,
    pub old_pointer: Option<String>,
    pub new_pointer: Option<String>,
}

/// Every change from `old` to `new`, in report order (operations by method name, then types
/// by path).
pub(crate) fn compare(old: &ApiModel, new: &ApiModel) -> Vec<Found> {
    let mut out = Out { found: Vec::new() };
    let (pairs, removed, added) = pair_items(old, new);
    let old_client = old.items.get("client::Client");
    let new_client = new.items.get("client::Client");
    let old_ops = operations(old_client);
    let new_ops = operations(new_client);
    let (op_pairs, ops_removed, ops_added) = pair_operations(&old_ops, &new_ops);
    // Items that come and go with their operation are told by the operation.
    let ops_new: BTreeSet<&str> = ops_added.iter().map(|(name, _)| name.as_str()).collect();

    for (name, method) in &ops_removed {
        out.op(
            name,
            ChangeKind::OperationRemoved,
            None,
            format!(
                "calls to `Client::{name}` ({}) stop compiling",
                http(method)
            ),
            (Some(method.sig()), None),
            (pointer(method), None),
        );
    }
    for (name, method) in &ops_added {
        out.op(
            name,
            ChangeKind::OperationAdded,
            None,
            format!("new method `Client::{name}` ({})", http(method)),
            (None, Some(method.sig())),
            (None, pointer(method)),
        );
    }
    for (old_name, new_name) in &op_pairs {
        let (a, b) = (&old_ops[old_name], &new_ops[new_name]);
        compare_operation(&mut out, old_name, new_name, a, b, old, new);
    }

    for (old_path, new_path) in &pairs {
        let (a, b) = (&old.items[old_path], &new.items[new_path]);
        compare_items(&mut out, a, b, old, new);
    }
    if let (Some(a), Some(b)) = (old_client, new_client) {
        compare_methods(&mut out, a, b); // the server constructors
    }
    let builder = "client::ClientBuilder";
    if let (Some(a), Some(b)) = (old.items.get(builder), new.items.get(builder)) {
        compare_methods(&mut out, a, b); // the API keys' methods
    }
    for path in &removed {
        let item = &old.items[path];
        out.ty(
            item,
            ChangeKind::TypeRemoved,
            None,
            format!("code naming `{}` stops compiling", item.name),
            (Some(item.shape.noun().to_owned()), None),
            (item.pointer.clone(), None),
        );
    }
    for path in &added {
        let item = &new.items[path];
        if item.owner.as_deref().is_some_and(|o| ops_new.contains(o)) {
            continue; // told by the new operation
        }
        out.ty(
            item,
            ChangeKind::TypeAdded,
            None,
            format!("new {} `{}`", item.shape.noun(), item.name),
            (None, Some(item.shape.noun().to_owned())),
            (None, item.pointer.clone()),
        );
    }
    out.found.sort_by(|a, b| {
        let key = |c: &Change| (c.group.order(), c.group.name().to_owned());
        key(&a.change).cmp(&key(&b.change))
    });
    out.found
}

struct Out {
    found: Vec<Found>,
}

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        group: Group,
        item: &str,
        kind: ChangeKind,
        absorbed: bool,
        member: Option<&str>,
        reason: String,
        (old, new): (Option<String>, Option<String>),
        (old_pointer, new_pointer): (Option<String>, Option<String>),
    ) {
        let change = Change::new(kind, absorbed, group, item, member, reason, old, new);
        self.found.push(Found {
            change,
            old_pointer,
            new_pointer,
        });
    }

    fn op(
        &mut self,
        name: &str,
        kind: ChangeKind,
        member: Option<&str>,
        reason: String,
        rust: (Option<String>, Option<String>),
        pointers: (Option<String>, Option<String>),
    ) {
        let item = format!("client::Client::{name}");
        self.push(
            Group::Operation(name.to_owned()),
            &item,
            kind,
            false,
            member,
            reason,
            rust,
            pointers,
        );
    }

    /// A change to `item`; an addition to it is absorbed when it is `#[non_exhaustive]`.
    fn ty(
        &mut self,
        item: &Item,
        kind: ChangeKind,
        member: Option<&str>,
        reason: String,
        rust: (Option<String>, Option<String>),
        pointers: (Option<String>, Option<String>),
    ) {
        self.ty_absorbed(
            item,
            item.non_exhaustive,
            kind,
            member,
            reason,
            rust,
            pointers,
        );
    }

    /// A change to `item`, saying whether the item absorbs it (see [`ChangeKind::bump`]).
    #[allow(clippy::too_many_arguments)]
    fn ty_absorbed(
        &mut self,
        item: &Item,
        absorbed: bool,
        kind: ChangeKind,
        member: Option<&str>,
        reason: String,
        rust: (Option<String>, Option<String>),
        pointers: (Option<String>, Option<String>),
    ) {
        let group = match &item.owner {
            Some(owner) => Group::Operation(owner.clone()),
            None => Group::Type(format!("{}::{}", item.module, item.name)),
        };
        let path = format!("{}::{}", item.module, item.name);
        self.push(group, &path, kind, absorbed, member, reason, rust, pointers);
    }
}

/// Pairs of (old path, new path), then paths only in `old`, then paths only in `new`.
type Pairing = (Vec<(String, String)>, Vec<String>, Vec<String>);

fn pair_items(old: &ApiModel, new: &ApiModel) -> Pairing {
    // An identity names one item only when no other item of its side has it (lowering may
    // give one inline schema a type per use: those are paired by path).
    let by_identity = |model: &ApiModel| -> BTreeMap<String, String> {
        let mut seen: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (path, item) in &model.items {
            if let Some(identity) = &item.identity {
                seen.entry(identity.clone())
                    .and_modify(|slot| *slot = None)
                    .or_insert_with(|| Some(path.clone()));
            }
        }
        seen.into_iter()
            .filter_map(|(identity, path)| Some((identity, path?)))
            .collect()
    };
    let new_ids = by_identity(new);
    let old_ids = by_identity(old);
    let mut pairs = Vec::new();
    let mut taken_new: BTreeSet<String> = BTreeSet::new();
    let mut paired_old: BTreeSet<String> = BTreeSet::new();
    for (path, item) in &old.items {
        if item.role == Role::Client {
            continue;
        }
        let unique = item
            .identity
            .as_ref()
            .filter(|id| old_ids.contains_key(*id));
        if let Some(new_path) = unique.and_then(|id| new_ids.get(id)) {
            pairs.push((path.clone(), new_path.clone()));
            taken_new.insert(new_path.clone());
            paired_old.insert(path.clone());
        }
    }
    for (path, item) in &old.items {
        if item.role == Role::Client || paired_old.contains(path) {
            continue;
        }
        // By path, unless the new item of that path is another schema's (one the old
        // description had too, under another name).
        let same = new.items.get(path).filter(|n| {
            let others = item.identity.is_some()
                && n.identity
                    .as_ref()
                    .is_some_and(|id| old_ids.contains_key(id));
            !taken_new.contains(path) && !others
        });
        if same.is_some() {
            pairs.push((path.clone(), path.clone()));
            taken_new.insert(path.clone());
            paired_old.insert(path.clone());
        }
    }
    let removed = old
        .items
        .iter()
        .filter(|(p, i)| i.role != Role::Client && !paired_old.contains(*p))
        .map(|(p, _)| p.clone())
        .collect();
    let added = new
        .items
        .iter()
        .filter(|(p, i)| i.role != Role::Client && !taken_new.contains(*p))
        .map(|(p, _)| p.clone())
        .collect();
    (pairs, removed, added)
}

/// The client's operation methods, by name.
fn operations(client: Option<&Item>) -> BTreeMap<String, Method> {
    client
        .map(|c| {
            c.methods
                .iter()
                .filter(|(_, m)| m.endpoint.is_some())
                .map(|(n, m)| (n.clone(), m.clone()))
                .collect()
        })
        .unwrap_or_default()
}

type OpPairing = (
    Vec<(String, String)>,
    Vec<(String, Method)>,
    Vec<(String, Method)>,
);

/// Operations paired by method and path (so a renamed method is a rename), else by name.
fn pair_operations(old: &BTreeMap<String, Method>, new: &BTreeMap<String, Method>) -> OpPairing {
    let new_by_http: BTreeMap<&str, &str> =
        new.iter().map(|(n, m)| (http(m), n.as_str())).collect();
    let mut pairs = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut removed = Vec::new();
    for (name, method) in old {
        match new_by_http.get(http(method)) {
            Some(new_name) => {
                pairs.push((name.clone(), (*new_name).to_owned()));
                taken.insert((*new_name).to_owned());
            }
            None => removed.push((name.clone(), method.clone())),
        }
    }
    // A method whose path changed but whose name stayed is the same operation, moved.
    let mut still_removed = Vec::new();
    for (name, method) in removed {
        if new.contains_key(&name) && !taken.contains(&name) {
            taken.insert(name.clone());
            pairs.push((name.clone(), name));
        } else {
            still_removed.push((name, method));
        }
    }
    let added = new
        .iter()
        .filter(|(n, _)| !taken.contains(*n))
        .map(|(n, m)| (n.clone(), m.clone()))
        .collect();
    (pairs, still_removed, added)
}

fn http(method: &Method) -> &str {
    method.endpoint.as_ref().map_or("", |e| e.http.as_str())
}

fn pointer(method: &Method) -> Option<String> {
    method.endpoint.as_ref().and_then(|e| e.pointer.clone())
}

impl Method {
    /// The signature as Rust: `async fn (&self, token: &str) -> Result<..>`.
    fn sig(&self) -> String {
        let mut params: Vec<String> = Vec::new();
        if !self.receiver.is_empty() {
            params.push(self.receiver.clone());
        }
        params.extend(self.params.iter().map(|(name, ty)| {
            if name.is_empty() {
                ty.clone()
            } else {
                format!("{name}: {ty}")
            }
        }));
        let asyncness = if self.is_async { "async fn" } else { "fn" };
        format!("{asyncness}({}) -> {}", params.join(", "), self.output)
    }
}

fn compare_operation(
    out: &mut Out,
    old_name: &str,
    name: &str,
    a: &Method,
    b: &Method,
    old: &ApiModel,
    new: &ApiModel,
) {
    let (ea, eb) = (a.endpoint.as_ref(), b.endpoint.as_ref());
    let pointers = (pointer(a), pointer(b));
    if old_name != name {
        out.op(
            name,
            ChangeKind::OperationRenamed,
            None,
            format!(
                "`Client::{old_name}` is now `Client::{name}` ({}): calls by the old name stop compiling",
                http(b)
            ),
            (Some(old_name.to_owned()), Some(name.to_owned())),
            pointers.clone(),
        );
    }
    if http(a) != http(b) {
        out.op(
            name,
            ChangeKind::OperationMoved,
            None,
            format!("now sends `{}` instead of `{}`", http(b), http(a)),
            (Some(http(a).to_owned()), Some(http(b).to_owned())),
            pointers.clone(),
        );
    }
    // Arguments: path parameters, `params`, `body`.
    let args_a: BTreeMap<&str, &str> = a
        .params
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let args_b: BTreeMap<&str, &str> = b
        .params
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    for (arg, ty) in &args_a {
        match args_b.get(arg) {
            None if *arg == "body" => out.op(
                name,
                ChangeKind::RequestBodyChanged,
                Some("body"),
                "the method no longer takes a body: calls passing one stop compiling".into(),
                (Some((*ty).to_owned()), None),
                pointers.clone(),
            ),
            None if *arg == "params" => {
                for field in params_fields(old, ty) {
                    out.op(
                        name,
                        ChangeKind::ParameterRemoved,
                        Some(&field.name),
                        format!("the method no longer takes `params: {ty}` (it had `{}`): existing calls stop compiling", field.name),
                        (Some(field.ty.clone()), None),
                        (field.pointer.clone(), None),
                    );
                }
            }
            None => out.op(
                name,
                ChangeKind::ParameterRemoved,
                Some(arg),
                format!("path parameter `{arg}` removed: calls passing it stop compiling"),
                (Some((*ty).to_owned()), None),
                pointers.clone(),
            ),
            Some(new_ty) if new_ty != ty => {
                let kind = if *arg == "body" {
                    ChangeKind::RequestBodyChanged
                } else {
                    ChangeKind::ParameterTypeChanged
                };
                out.op(
                    name,
                    kind,
                    Some(arg),
                    format!("`{arg}` is now `{new_ty}` instead of `{ty}`: calls passing the old type stop compiling"),
                    (Some((*ty).to_owned()), Some((*new_ty).to_owned())),
                    pointers.clone(),
                )
            }
            Some(_) => {}
        }
    }
    for (arg, ty) in &args_b {
        if args_a.contains_key(arg) {
            continue;
        }
        match *arg {
            "body" => out.op(
                name,
                ChangeKind::RequestBodyChanged,
                Some("body"),
                format!("the method now takes a body (`{ty}`): existing calls stop compiling"),
                (None, Some((*ty).to_owned())),
                pointers.clone(),
            ),
            "params" => {
                // The operation gained its first query or header parameters: one change each,
                // all breaking (the method takes one more argument).
                for field in &params_fields(new, ty) {
                    let kind = if field.presence == Presence::Required {
                        ChangeKind::RequiredParameterAdded
                    } else {
                        ChangeKind::OptionalParameterAdded
                    };
                    out.op(
                        name,
                        kind,
                        Some(&field.name),
                        format!("the method now takes `params: {ty}` (with `{}`): existing calls stop compiling", field.name),
                        (None, Some(field.ty.clone())),
                        (None, field.pointer.clone()),
                    );
                }
            }
            _ => out.op(
                name,
                ChangeKind::RequiredParameterAdded,
                Some(arg),
                format!("new path parameter `{arg}: {ty}`: existing calls stop compiling"),
                (None, Some((*ty).to_owned())),
                pointers.clone(),
            ),
        }
    }
    // The result type, unless it is an outcome enum of the operation's own (compared below by
    // status) whose name stayed.
    if a.output != b.output {
        out.op(
            name,
            ChangeKind::ResponseTypeChanged,
            None,
            format!(
                "returns `{}` instead of `{}`: code using the result may stop compiling",
                b.output, a.output
            ),
            (Some(a.output.clone()), Some(b.output.clone())),
            pointers.clone(),
        );
    }
    if let (Some(ea), Some(eb)) = (ea, eb) {
        compare_statuses(out, name, a, b, ea, eb, old, new, pointers.clone());
        if ea.public != eb.public {
            let (reason, breaking) = if eb.public {
                (
                    "now public: the client no longer sends credentials with it",
                    false,
                )
            } else {
                ("now needs credentials: the client sends them, and a client built without any gets refused by the server", true)
            };
            let word = |public: bool| if public { "public" } else { "authenticated" };
            let mut change_reason = reason.to_owned();
            if !breaking {
                change_reason.push_str(" (the server says none are needed)");
            }
            out.op(
                name,
                if breaking {
                    ChangeKind::AuthRequired
                } else {
                    ChangeKind::AuthDropped
                },
                None,
                change_reason,
                (Some(word(ea.public).into()), Some(word(eb.public).into())),
                pointers,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn compare_statuses(
    out: &mut Out,
    name: &str,
    a: &Method,
    b: &Method,
    ea: &Endpoint,
    eb: &Endpoint,
    old: &ApiModel,
    new: &ApiModel,
    pointers: (Option<String>, Option<String>),
) {
    let codes = |e: &Endpoint| -> BTreeSet<Option<u16>> {
        let mut set = BTreeSet::new();
        for status in &e.statuses {
            match status {
                Some((first, last)) => set.extend((*first..=*last).map(Some)),
                None => {
                    set.insert(None);
                }
            }
        }
        set
    };
    let (ca, cb) = (codes(ea), codes(eb));
    // Outcome enums of the operation (matched exhaustively by users): a new or lost variant
    // breaks, and is told as the status it stands for.
    let enums = |model: &ApiModel, m: &Method| -> Vec<String> {
        let mut names = Vec::new();
        if let Some(inner) = m
            .output
            .strip_prefix("Result<")
            .and_then(|r| r.strip_suffix('>'))
        {
            if let Some((ok, err)) = inner.split_once(", rt::Error<") {
                for ty in [ok, err.trim_end_matches('>')] {
                    if model.items.contains_key(&format!("client::{ty}")) {
                        names.push(ty.to_owned());
                    }
                }
            }
        }
        names
    };
    let (enums_a, enums_b) = (enums(old, a), enums(new, b));
    let variants = |model: &ApiModel, names: &[String]| -> BTreeMap<String, Option<String>> {
        let mut all = BTreeMap::new();
        for n in names {
            if let Some(Shape::Enum { variants, .. }) =
                model.items.get(&format!("client::{n}")).map(|i| &i.shape)
            {
                for v in variants {
                    all.insert(format!("{n}::{}", v.name), v.payload.clone());
                }
            }
        }
        all
    };
    let (va, vb) = (variants(old, &enums_a), variants(new, &enums_b));
    // Variants of an outcome enum both sides have: one that comes or goes breaks a `match`.
    let kept: Vec<&String> = enums_a.iter().filter(|e| enums_b.contains(e)).collect();
    let in_kept = |k: &String| kept.iter().any(|e| k.starts_with(&format!("{e}::")));
    let same_enums = !kept.is_empty();
    // `#[non_exhaustive]` outcome enums (the stable API): matches on them have a wildcard arm.
    let open_enums = kept.iter().all(|e| {
        new.items
            .get(&format!("client::{e}"))
            .is_some_and(|item| item.non_exhaustive)
    });
    let shown = |range: &[Option<u16>]| -> String {
        let words: Vec<String> = group_codes(range);
        words.join(", ")
    };
    let added: Vec<Option<u16>> = cb.difference(&ca).copied().collect();
    let removed: Vec<Option<u16>> = ca.difference(&cb).copied().collect();
    if !added.is_empty() {
        let new_variants: Vec<&String> = vb
            .keys()
            .filter(|k| !va.contains_key(*k) && in_kept(k))
            .collect();
        let variant_list = new_variants
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (breaking, reason) = if same_enums && !new_variants.is_empty() && open_enums {
            (false, format!(
                "responses with this status now decode as {variant_list} instead of `Error::UnexpectedStatus`; the enum is `#[non_exhaustive]`, so matches on it already have a wildcard arm"
            ))
        } else if same_enums && !new_variants.is_empty() {
            (true, format!(
                "responses with this status now decode as {variant_list}: an exhaustive `match` on it needs the new arm"
            ))
        } else {
            (false, "responses with this status now decode as documented instead of `Error::UnexpectedStatus`".to_owned())
        };
        let mut change = Change::new(
            ChangeKind::StatusAdded,
            false,
            Group::Operation(name.to_owned()),
            &format!("client::Client::{name}"),
            Some(&shown(&added)),
            reason,
            None,
            Some(with_variants(shown(&added), &new_variants, same_enums)),
        );
        change.breaking = breaking;
        change.bump = if breaking { Bump::Major } else { Bump::Minor };
        out.found.push(Found {
            change,
            old_pointer: None,
            new_pointer: response_pointer(&pointers.1, &added),
        });
    }
    if !removed.is_empty() {
        let gone: Vec<&String> = va
            .keys()
            .filter(|k| !vb.contains_key(*k) && in_kept(k))
            .collect();
        let reason = if same_enums && !gone.is_empty() {
            format!(
                "{} no longer exist: code naming them stops compiling, and such responses are `Error::UnexpectedStatus`",
                gone.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
            )
        } else {
            "responses with this status now fail with `Error::UnexpectedStatus` instead of decoding (code still compiles)".to_owned()
        };
        let mut change = Change::new(
            ChangeKind::StatusRemoved,
            false,
            Group::Operation(name.to_owned()),
            &format!("client::Client::{name}"),
            Some(&shown(&removed)),
            reason,
            Some(with_variants(shown(&removed), &gone, same_enums)),
            None,
        );
        change.silent = !same_enums || gone.is_empty();
        out.found.push(Found {
            change,
            old_pointer: response_pointer(&pointers.0, &removed),
            new_pointer: None,
        });
    }
    // Variants of an outcome enum that came or went while the statuses stayed (a status
    // covered by a range or `default` that got its own variant, or lost it).
    if same_enums {
        let came: Vec<&String> = vb
            .keys()
            .filter(|k| !va.contains_key(*k) && in_kept(k))
            .collect();
        let went: Vec<&String> = va
            .keys()
            .filter(|k| !vb.contains_key(*k) && in_kept(k))
            .collect();
        let list = |v: &[&String]| {
            v.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if added.is_empty() && !came.is_empty() {
            // Responses that a range or `default` variant held now come as the new variant:
            // a `match` compiles (with a wildcard arm, when the enum is `#[non_exhaustive]`)
            // and no longer sees them where it did.
            let reason = if open_enums {
                format!(
                    "new variant {}: responses the range or `default` variant held now come as it, so code handling them there no longer sees them (matches still compile: the enum is `#[non_exhaustive]`)",
                    list(&came)
                )
            } else {
                format!(
                    "new variant {}: an exhaustive `match` on it needs the new arm",
                    list(&came)
                )
            };
            out.op(
                name,
                ChangeKind::StatusAdded,
                Some(&list(&came)),
                reason,
                (None, Some(list(&came))),
                pointers.clone(),
            );
            if let Some(found) = out.found.last_mut() {
                found.change.breaking = true;
                found.change.bump = Bump::Major;
                found.change.silent = open_enums;
            }
        }
        if removed.is_empty() && !went.is_empty() {
            out.op(
                name,
                ChangeKind::StatusRemoved,
                Some(&list(&went)),
                format!(
                    "{} no longer exist: code naming them stops compiling",
                    list(&went)
                ),
                (Some(list(&went)), None),
                pointers.clone(),
            );
        }
    }
    // A status whose body type changed, in an outcome enum that stayed.
    if same_enums {
        for (variant, payload) in &va {
            if let Some(new_payload) = vb.get(variant) {
                if new_payload != payload {
                    out.op(
                        name,
                        ChangeKind::ResponseTypeChanged,
                        Some(variant),
                        format!(
                            "`{variant}` now holds `{}` instead of `{}`",
                            new_payload.as_deref().unwrap_or("nothing"),
                            payload.as_deref().unwrap_or("nothing")
                        ),
                        (payload.clone(), new_payload.clone()),
                        pointers.clone(),
                    );
                }
            }
        }
    }
}

/// The fields of the parameters struct an argument of type `&XParams` names.
fn params_fields(model: &ApiModel, ty: &str) -> Vec<Field> {
    match model
        .items
        .get(&format!("client::{}", ty.trim_start_matches('&')))
        .map(|p| &p.shape)
    {
        Some(Shape::Struct(fields)) => fields.clone(),
        _ => Vec::new(),
    }
}

/// Status codes with the outcome-enum variants they stand for: `404 (XError::NotFound)`.
fn with_variants(codes: String, variants: &[&String], same_enums: bool) -> String {
    if !same_enums || variants.is_empty() {
        return codes;
    }
    let names: Vec<&str> = variants.iter().map(|v| v.as_str()).collect();
    format!("{codes} ({})", names.join(", "))
}

/// The pointer of the response a set of codes stands for, when it is one key of the
/// description (`200`, `4XX`, `default`); else the operation's.
fn response_pointer(operation: &Option<String>, codes: &[Option<u16>]) -> Option<String> {
    let words = group_codes(codes);
    match (operation, words.as_slice()) {
        (Some(op), [one]) => Some(format!("{op}/responses/{one}")),
        (op, _) => op.clone(),
    }
}

/// Codes as the description writes them: `200`, `4XX` for a whole hundred, `default`.
fn group_codes(codes: &[Option<u16>]) -> Vec<String> {
    let mut words = Vec::new();
    let set: BTreeSet<Option<u16>> = codes.iter().copied().collect();
    let mut skip_hundred: BTreeSet<u16> = BTreeSet::new();
    for code in codes.iter().flatten() {
        let hundred = code / 100;
        if skip_hundred.contains(&hundred) {
            continue;
        }
        if (hundred * 100..hundred * 100 + 100).all(|c| set.contains(&Some(c))) {
            skip_hundred.insert(hundred);
            words.push(format!("{hundred}XX"));
        } else {
            words.push(code.to_string());
        }
    }
    if set.contains(&None) {
        words.push("default".into());
    }
    words
}

fn compare_items(out: &mut Out, a: &Item, b: &Item, old_model: &ApiModel, new_model: &ApiModel) {
    let old_path = format!("{}::{}", a.module, a.name);
    let new_path = format!("{}::{}", b.module, b.name);
    if old_path != new_path {
        let collision = b
            .name
            .strip_prefix(a.name.as_str())
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()));
        let why = if collision {
            " (naming collision: another schema now has the old name)"
        } else {
            ""
        };
        out.ty(
            b,
            ChangeKind::TypeRenamed,
            None,
            format!(
                "`{}` is now `{}`{why}: code naming the old name stops compiling",
                a.name, b.name
            ),
            (Some(old_path), Some(new_path)),
            (a.pointer.clone(), b.pointer.clone()),
        );
    }
    let pointers = (a.pointer.clone(), b.pointer.clone());
    match (&a.shape, &b.shape) {
        (Shape::Struct(fa), Shape::Struct(fb)) => compare_fields(out, a, b, fa, fb, new_model),
        (
            Shape::Enum {
                variants: va,
                values,
                catch_all: ca,
                wire_order: wa,
            },
            Shape::Enum {
                variants: vb,
                catch_all: cb,
                wire_order: wb,
                ..
            },
        ) => {
            if a.role == Role::Response || a.role == Role::Error {
                non_exhaustive_changed(out, a, b);
                return; // the rest is told as statuses by the operation
            }
            let catch_all = Catchall {
                values: *values,
                old: ca.as_deref(),
                new: cb.as_deref(),
                wire_order: (*wa, *wb),
            };
            compare_variants(out, b, va, vb, catch_all)
        }
        (Shape::Alias(ta), Shape::Alias(tb)) => {
            if ta != tb {
                out.ty(
                    b,
                    ChangeKind::TypeChanged,
                    None,
                    format!("now stands for `{tb}` instead of `{ta}`"),
                    (Some(ta.clone()), Some(tb.clone())),
                    pointers.clone(),
                );
            }
        }
        (Shape::Alias(target), Shape::Struct(fb)) if old_target(old_model, a, target).is_some() => {
            // A create form that was its model under another name and is now a struct of its
            // own: what changed is what the model had against what the form has.
            let model = old_target(old_model, a, target).expect("checked");
            if let Shape::Struct(fa) = &model.shape {
                compare_fields(out, a, b, fa, fb, new_model);
            }
            // The alias's methods were the model's: `X::new` is gone unless `X` has its own.
            let now = new_model.items.get(&format!("models::{target}"));
            for (method, sig) in &a.methods {
                if now.is_some_and(|m| m.methods.contains_key(method)) {
                    continue;
                }
                let owner = now.unwrap_or(model);
                out.ty(
                    owner,
                    ChangeKind::MethodRemoved,
                    Some(method),
                    format!(
                        "`{target}::{method}` came from `{}` being `{target}`; `{}` is now a struct of its own",
                        a.name, b.name
                    ),
                    (Some(sig.sig()), None),
                    (a.pointer.clone(), b.pointer.clone()),
                );
            }
        }
        (sa, sb) => out.ty(
            b,
            ChangeKind::TypeChanged,
            None,
            format!(
                "now a {} instead of a {}: code using it as before stops compiling",
                sb.noun(),
                sa.noun()
            ),
            (Some(sa.noun().into()), Some(sb.noun().into())),
            pointers.clone(),
        ),
    }
    if a.shape.noun() != b.shape.noun() {
        return; // a type of another kind: told once, above
    }
    non_exhaustive_changed(out, a, b);
    for lost in a.derives.difference(&b.derives) {
        out.ty(
            b,
            ChangeKind::TraitImplRemoved,
            Some(lost),
            format!(
                "`{}` no longer implements `{lost}`: code relying on it stops compiling",
                b.name
            ),
            (Some(lost.clone()), None),
            pointers.clone(),
        );
    }
    for gained in b.derives.difference(&a.derives) {
        out.ty(
            b,
            ChangeKind::TraitImplAdded,
            Some(gained),
            format!("`{}` now implements `{gained}`", b.name),
            (None, Some(gained.clone())),
            pointers.clone(),
        );
    }
    compare_methods(out, a, b);
}

fn compare_fields(
    out: &mut Out,
    a: &Item,
    b: &Item,
    fa: &[Field],
    fb: &[Field],
    new_model: &ApiModel,
) {
    let model_form = model_of(new_model, b);
    let find = |fields: &'_ [Field], f: &Field| -> Option<usize> {
        fields
            .iter()
            .position(|g| g.wire == f.wire)
            .or_else(|| fields.iter().position(|g| g.name == f.name))
    };
    let request = b.role.is_request();
    for old in fa {
        match find(fb, old).map(|i| &fb[i]) {
            None => {
                let kept_by_model = model_form.is_some_and(|m| match &m.shape {
                    Shape::Struct(fields) => fields.iter().any(|f| f.wire == old.wire),
                    _ => false,
                });
                let (kind, reason) = if request && kept_by_model {
                    (
                        ChangeKind::FieldNowReadOnly,
                        format!("`{}` is now read-only: the server owns it, so `{}` no longer has it (code setting it stops compiling)", old.name, b.name),
                    )
                } else if request && a.role != Role::Params {
                    (
                        ChangeKind::FieldRemoved,
                        format!(
                            "`{}` can no longer be sent: code setting it stops compiling",
                            old.name
                        ),
                    )
                } else if a.role == Role::Params {
                    (
                        ChangeKind::ParameterRemoved,
                        format!("query or header parameter `{}` removed: code setting it stops compiling", old.name),
                    )
                } else {
                    (
                        ChangeKind::FieldRemoved,
                        format!(
                            "code reading `{}` stops compiling; the server no longer documents it",
                            old.name
                        ),
                    )
                };
                out.ty(
                    b,
                    kind,
                    Some(&old.name),
                    reason,
                    (Some(old.ty.clone()), None),
                    (old.pointer.clone(), b.pointer.clone()),
                );
            }
            Some(new) => {
                if new.name != old.name {
                    out.ty(
                        b,
                        ChangeKind::FieldRenamed,
                        Some(&new.name),
                        format!(
                            "field `{}` is now `{}`: code naming the old field stops compiling",
                            old.name, new.name
                        ),
                        (Some(old.name.clone()), Some(new.name.clone())),
                        (old.pointer.clone(), new.pointer.clone()),
                    );
                }
                if new.ty != old.ty {
                    let (kind, reason) = field_change(b.role, old, new);
                    out.ty(
                        b,
                        kind,
                        Some(&new.name),
                        reason,
                        (Some(old.ty.clone()), Some(new.ty.clone())),
                        (old.pointer.clone(), new.pointer.clone()),
                    );
                }
            }
        }
    }
    for new in fb {
        if find(fa, new).is_some() {
            continue;
        }
        let required = new.presence == Presence::Required;
        // What code building the struct must now do: set it in every literal (an exhaustive
        // struct), or pass it to the constructor (a `#[non_exhaustive]` one has no literals
        // outside the crate).
        let builders = if b.non_exhaustive {
            format!("`{}`'s constructor takes it", b.name)
        } else if request && b.role != Role::Params {
            "the constructor takes it and struct literals must set it".to_owned()
        } else {
            format!("struct literals of `{}` must set it", b.name)
        };
        let (kind, reason) = match (b.role, required) {
            (Role::Params, true) => (
                ChangeKind::RequiredParameterAdded,
                format!("new required parameter `{}`: {builders}", new.name),
            ),
            (Role::Params, false) => (
                ChangeKind::OptionalParameterAdded,
                format!(
                    "new optional parameter `{}`{}",
                    new.name,
                    literal_note(b, new)
                ),
            ),
            (_, true) if request => (
                ChangeKind::RequiredFieldAdded,
                format!("new required field `{}`: {builders}", new.name),
            ),
            (_, true) => (
                ChangeKind::RequiredFieldAdded,
                format!(
                    "new field `{}`: {builders}, and a response without it no longer decodes",
                    new.name
                ),
            ),
            (_, false) => (
                ChangeKind::OptionalFieldAdded,
                format!("new field `{}`{}", new.name, literal_note(b, new)),
            ),
        };
        out.ty(
            b,
            kind,
            Some(&new.name),
            reason,
            (None, Some(new.ty.clone())),
            (a.pointer.clone(), new.pointer.clone()),
        );
    }
}

/// The struct of the old model a create-form alias stood for (`pub type XCreate = X;`).
fn old_target<'m>(old: &'m ApiModel, alias: &Item, target: &str) -> Option<&'m Item> {
    if alias.role != Role::Create {
        return None;
    }
    old.items
        .get(&format!("models::{target}"))
        .filter(|item| matches!(item.shape, Shape::Struct(_)))
}

/// The model form of a create or patch form: by identity when known, else by name.
fn model_of<'m>(model: &'m ApiModel, form: &Item) -> Option<&'m Item> {
    if !matches!(form.role, Role::Create | Role::Patch) {
        return None;
    }
    if let Some(identity) = &form.identity {
        let base = identity
            .rsplit_once('#')
            .map_or(identity.as_str(), |(b, _)| b);
        return model
            .items
            .values()
            .find(|i| i.role == Role::Model && i.identity.as_deref() == Some(base));
    }
    let stem = form
        .name
        .strip_suffix("Create")
        .or_else(|| form.name.strip_suffix("Patch"))?;
    model.items.get(&format!("models::{stem}"))
}

/// A struct or enum that became `#[non_exhaustive]` (code outside the crate can no longer build
/// it with a literal or match it exhaustively), or stopped being so (an addition).
fn non_exhaustive_changed(out: &mut Out, a: &Item, b: &Item) {
    if a.non_exhaustive == b.non_exhaustive || matches!(b.shape, Shape::Alias(_)) {
        return;
    }
    let what = match b.shape {
        Shape::Struct(_) => "struct literals of it outside the crate stop compiling (build it with its constructor and setters)",
        _ => "exhaustive `match`es on it outside the crate stop compiling (add a wildcard arm)",
    };
    let (kind, reason) = if b.non_exhaustive {
        (
            ChangeKind::TypeNowNonExhaustive,
            format!("`{}` is now `#[non_exhaustive]`: {what}", b.name),
        )
    } else {
        (
            ChangeKind::TypeNowExhaustive,
            format!(
                "`{}` is no longer `#[non_exhaustive]`: code outside the crate may now build or match it exhaustively",
                b.name
            ),
        )
    };
    let attribute = |on: bool| {
        Some(
            if on {
                "#[non_exhaustive]"
            } else {
                "exhaustive"
            }
            .to_owned(),
        )
    };
    out.ty(
        b,
        kind,
        None,
        reason,
        (attribute(a.non_exhaustive), attribute(b.non_exhaustive)),
        (a.pointer.clone(), b.pointer.clone()),
    );
}

/// What a new optional field or parameter does to code that builds the struct: it breaks
/// struct literals of an exhaustive struct; a `#[non_exhaustive]` one is built through its
/// constructor and setters, which it only adds to.
fn literal_note(item: &Item, field: &Field) -> String {
    if item.non_exhaustive {
        let setter = match field.accessors.iter().next() {
            Some(setter) => format!(" (set it with `{}::{setter}`)", item.name),
            None => String::new(),
        };
        return format!(
            ": an addition{setter}; `{}` is `#[non_exhaustive]`, so code outside the crate builds it through its constructor and setters",
            item.name
        );
    }
    let default = if item.derives.contains("Default") {
        " (`..Default::default()` and the setters keep working)"
    } else {
        ""
    };
    format!(
        ": struct literals of `{}` must set it, since it is not `#[non_exhaustive]`{default}",
        item.name
    )
}

fn field_change(role: Role, old: &Field, new: &Field) -> (ChangeKind, String) {
    use Presence::*;
    let inner = |f: &Field| -> String {
        match f.presence {
            Required => f.ty.clone(),
            _ => {
                f.ty.split_once('<')
                    .map(|(_, rest)| rest.trim_end_matches('>').to_owned())
                    .unwrap_or_else(|| f.ty.clone())
            }
        }
    };
    let same_inner = inner(old) == inner(new);
    match (old.presence, new.presence) {
        (Required, Optional | Nullable) if same_inner && !role.is_request() => (
            ChangeKind::FieldNowOptional,
            format!(
                "now `{}`: the server may {} it; reads of `{}` stop compiling",
                new.ty,
                if new.presence == Nullable {
                    "send `null` for"
                } else {
                    "leave out"
                },
                new.name
            ),
        ),
        (Optional | Nullable, Required) if same_inner && !role.is_request() => (
            ChangeKind::FieldTypeChanged,
            format!("now always sent: reads get `{}` instead of `{}`, code expecting an `Option` stops compiling", new.ty, old.ty),
        ),
        (Optional | Nullable | TriState, Required) if same_inner && role.is_request() => (
            ChangeKind::FieldNowRequired,
            format!(
                "`{}` must now be sent: the constructor takes it and its setter is gone",
                new.name
            ),
        ),
        (Optional, Nullable) | (Nullable, Optional) if old.ty == new.ty => (
            ChangeKind::FieldTypeChanged,
            format!(
                "`None` is now sent as {}",
                if new.presence == Nullable {
                    "`null`"
                } else {
                    "an absent key"
                }
            ),
        ),
        _ if role == Role::Params => (
            ChangeKind::ParameterTypeChanged,
            format!(
                "now `{}` instead of `{}`: code setting it may stop compiling",
                new.ty, old.ty
            ),
        ),
        _ => (
            ChangeKind::FieldTypeChanged,
            format!(
                "now `{}` instead of `{}`: code using it may stop compiling",
                new.ty, old.ty
            ),
        ),
    }
}

/// The variants both sides have, in another relative order, in an enum whose derived
/// `PartialOrd` orders by declaration.
fn reordered(out: &mut Out, b: &Item, (va, vb): (&[Variant], &[Variant]), order: (bool, bool)) {
    let by_wire = |on: bool| {
        if on {
            "by wire value".to_owned()
        } else {
            "by declaration".to_owned()
        }
    };
    if order.0 != order.1 {
        out.ty(
            b,
            ChangeKind::EnumValuesReordered,
            None,
            format!(
                "`{}`'s `PartialOrd`/`Ord` now order its values {} instead of {}: comparisons and sorted collections order them differently",
                b.name,
                by_wire(order.1),
                by_wire(order.0)
            ),
            (Some(by_wire(order.0)), Some(by_wire(order.1))),
            (b.pointer.clone(), b.pointer.clone()),
        );
        return;
    }
    // Ordered by wire value, the order does not depend on the declaration.
    if order.1 || !b.derives.contains("PartialOrd") {
        return;
    }
    let common = |from: &[Variant], other: &[Variant]| -> Vec<String> {
        from.iter()
            .filter(|v| other.iter().any(|w| w.name == v.name))
            .map(|v| v.name.clone())
            .collect()
    };
    let (before, after) = (common(va, vb), common(vb, va));
    if before == after {
        return;
    }
    out.ty(
        b,
        ChangeKind::EnumValuesReordered,
        None,
        format!(
            "`{}` derives `PartialOrd`/`Ord` from the declaration order, which changed: comparisons and sorted collections order its values differently",
            b.name
        ),
        (Some(before.join(", ")), Some(after.join(", "))),
        (b.pointer.clone(), b.pointer.clone()),
    );
}

/// `Enum::Variant`, or `Enum::Variant(Payload)`.
fn variant_text(item: &Item, variant: &Variant) -> String {
    match &variant.payload {
        Some(payload) => format!("{}::{}({payload})", item.name, variant.name),
        None => format!("{}::{}", item.name, variant.name),
    }
}

/// What unknown values of an enum decode into, on both sides: an open enum's `Other`
/// (`values`), a tagged union's `Unknown`.
struct Catchall<'a> {
    values: bool,
    old: Option<&'a str>,
    new: Option<&'a str>,
    /// Ordered by wire value (`wire_order!`) on each side.
    wire_order: (bool, bool),
}

fn compare_variants(out: &mut Out, b: &Item, va: &[Variant], vb: &[Variant], catch_all: Catchall) {
    reordered(out, b, (va, vb), catch_all.wire_order);
    let (added_kind, removed_kind) = if catch_all.values {
        (ChangeKind::EnumValueAdded, ChangeKind::EnumValueRemoved)
    } else {
        (
            ChangeKind::UnionVariantAdded,
            ChangeKind::UnionVariantRemoved,
        )
    };
    let by_name = |vs: &'_ [Variant], n: &str| vs.iter().find(|v| v.name == n).cloned();
    for old in va {
        match by_name(vb, &old.name) {
            None => {
                let after = match catch_all.new {
                    Some(other) if catch_all.values => {
                        format!("the value now decodes as `{}::{other}`", b.name)
                    }
                    Some(other) => format!("such objects now decode as `{}::{other}`", b.name),
                    None => "such values no longer decode".to_owned(),
                };
                let reason = format!(
                    "code naming `{}::{}` stops compiling; {after}",
                    b.name, old.name
                );
                out.ty(
                    b,
                    removed_kind,
                    Some(&old.name),
                    reason,
                    (Some(variant_text(b, old)), None),
                    (old.pointer.clone(), b.pointer.clone()),
                );
            }
            Some(new) if new.payload != old.payload => {
                out.ty(
                    b,
                    ChangeKind::UnionVariantChanged,
                    Some(&new.name),
                    format!(
                        "`{}::{}` now holds `{}` instead of `{}`",
                        b.name,
                        new.name,
                        new.payload.as_deref().unwrap_or("nothing"),
                        old.payload.as_deref().unwrap_or("nothing")
                    ),
                    (old.payload.clone(), new.payload.clone()),
                    (old.pointer.clone(), new.pointer.clone()),
                );
            }
            Some(_) => {}
        }
    }
    for new in vb {
        if by_name(va, &new.name).is_some() {
            continue;
        }
        // Before, such a value decoded into the catch-all (or, without one, failed to decode
        // or decoded as another alternative).
        let before = match catch_all.old {
            Some(other) if catch_all.values => {
                format!("; the value used to decode as `{}::{other}`", b.name)
            }
            Some(other) => format!(
                "; objects with its tag used to decode as `{}::{other}`",
                b.name
            ),
            None => String::new(),
        };
        // A `#[non_exhaustive]` enum absorbs a new variant when values of it had a place before
        // (the catch-all): matches compile, and code that handled them there now sees them
        // under their own name. Without a catch-all, values another alternative used to take
        // may now decode as this one: a change of behaviour no compiler reports.
        let absorbed = b.non_exhaustive && catch_all.old.is_some();
        let silent = b.non_exhaustive && !absorbed;
        let reason = if absorbed {
            format!(
                "an addition: `{}` is `#[non_exhaustive]`, so matches on it have a wildcard arm{before}",
                b.name
            )
        } else if silent {
            format!(
                "`{}` is `#[non_exhaustive]`, so matches compile, but it keeps no unknown values: a value another alternative used to take may now decode as `{}::{}`",
                b.name, b.name, new.name
            )
        } else {
            format!(
                "an exhaustive `match` on `{}` needs an arm for `{}` (the enum is not `#[non_exhaustive]`){before}",
                b.name, new.name
            )
        };
        out.ty_absorbed(
            b,
            absorbed,
            added_kind,
            Some(&new.name),
            reason,
            (None, Some(variant_text(b, new))),
            (b.pointer.clone(), new.pointer.clone()),
        );
        if silent {
            if let Some(found) = out.found.last_mut() {
                found.change.silent = true;
            }
        }
    }
}

/// Methods that are not told by a field change: a setter or clearer goes with its field, and a
/// constructor's arguments with the required fields.
fn compare_methods(out: &mut Out, a: &Item, b: &Item) {
    // The client's operation methods are compared as operations.
    let (a, b) = (&without_operations(a), &without_operations(b));
    let fields = |item: &Item| -> Vec<Field> {
        match &item.shape {
            Shape::Struct(fields) => fields.clone(),
            _ => Vec::new(),
        }
    };
    let (fa, fb) = (fields(a), fields(b));
    let mut explained: BTreeSet<String> = BTreeSet::new();
    let mut required_changed = false;
    for f in fa.iter().chain(&fb) {
        let other = if fa.contains(f) { &fb } else { &fa };
        let same = other.iter().any(|g| g.name == f.name && g.ty == f.ty);
        if !same {
            explained.extend(f.accessors.iter().cloned());
            required_changed |= f.presence == Presence::Required;
        }
    }
    for (name, old) in &a.methods {
        if explained.contains(name) {
            continue;
        }
        match b.methods.get(name) {
            None => out.ty(
                b,
                ChangeKind::MethodRemoved,
                Some(name),
                format!("calls to `{}::{name}` stop compiling", b.name),
                (Some(old.sig()), None),
                (a.pointer.clone(), b.pointer.clone()),
            ),
            Some(new) if new != old => {
                let constructor = old.receiver.is_empty() && old.output == "Self";
                if constructor && required_changed {
                    continue; // told by the required field that changed
                }
                out.ty(
                    b,
                    ChangeKind::MethodChanged,
                    Some(name),
                    format!(
                        "`{}::{name}` changed its signature: calls may stop compiling",
                        b.name
                    ),
                    (Some(old.sig()), Some(new.sig())),
                    (a.pointer.clone(), b.pointer.clone()),
                )
            }
            Some(_) => {}
        }
    }
    for (name, new) in &b.methods {
        if a.methods.contains_key(name) || explained.contains(name) {
            continue;
        }
        out.ty(
            b,
            ChangeKind::MethodAdded,
            Some(name),
            format!("new method `{}::{name}`", b.name),
            (None, Some(new.sig())),
            (a.pointer.clone(), b.pointer.clone()),
        );
    }
}

fn without_operations(item: &Item) -> Item {
    let mut item = item.clone();
    item.methods.retain(|_, m| m.endpoint.is_none());
    item
}
