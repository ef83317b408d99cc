//! A list operation's success body as the IR types it: its array of items, and its fields by
//! path of wire names.

use crate::ir::{
    Field, Ir, Layer, Operation, Outcome, PageField, ResponseBody, ResponseContent, Shape,
    StructDef, TypeKind, TypeRef,
};

/// How deep rules look for a field (`paging.cursors.after`, `_links.next.href`).
pub(super) const DEPTH: usize = 3;

/// A field and the fields on the way to it from the body's root.
pub(super) type Chain<'a> = Vec<Reached<'a>>;

/// One field on a path, with how the model form holds it.
#[derive(Clone, Copy)]
pub(super) struct Reached<'a> {
    pub field: &'a Field,
    pub optional: bool,
}

// Chains compare by the fields they reach.
impl PartialEq for Reached<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.field, other.field)
    }
}

impl Reached<'_> {
    pub fn page_field(&self) -> PageField {
        PageField {
            rust_name: self.field.rust_name.clone(),
            wire_name: self.field.wire_name.clone(),
            optional: self.optional,
        }
    }
}

/// The wire names of a chain.
pub(super) fn wire_path(chain: &[Reached<'_>]) -> Vec<String> {
    chain.iter().map(|r| r.field.wire_name.clone()).collect()
}

/// The success body of one operation.
pub(super) struct ListBody<'a> {
    ir: &'a Ir,
    /// The body's type.
    pub ty: &'a TypeRef,
    /// The variant of the operation's success enum that holds the body, when it has several
    /// successes.
    pub variant: Option<&'a str>,
}

/// The items of a list: the fields to the array (none when the body is the array) and the
/// item type.
#[derive(Clone)]
pub(super) struct Items<'a> {
    pub chain: Chain<'a>,
    pub item_ty: &'a TypeRef,
}

impl<'a> ListBody<'a> {
    /// The operation's JSON success body: its one success body, or with several successes
    /// (`200` and `304`) the first `2xx` one that is JSON.
    pub fn of(ir: &'a Ir, op: &'a Operation) -> Option<Self> {
        match &op.ok {
            Outcome::Body(ResponseBody::Json(ty)) => Some(ListBody {
                ir,
                ty,
                variant: None,
            }),
            Outcome::Enum(_) => op
                .responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
                .find_map(|r| match (&r.content, &r.ty) {
                    (ResponseContent::Json, Some(ty)) => Some(ListBody {
                        ir,
                        ty,
                        variant: Some(r.rust_name.as_str()),
                    }),
                    _ => None,
                }),
            _ => None,
        }
    }

    /// The fields of `ty` when it is a struct (named, or through aliases), with their
    /// model-form shapes.
    fn fields(&self, ty: &TypeRef) -> Vec<Reached<'a>> {
        let mut ty = ty;
        let mut found = None;
        for _ in 0..8 {
            let TypeRef::Named(id) = ty else {
                return Vec::new();
            };
            let def = self.ir.ty(*id);
            match &def.kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => {
                    found = Some(def);
                    break;
                }
            }
        }
        let Some(def) = found else {
            return Vec::new();
        };
        let TypeKind::Struct(StructDef { fields, .. }) = &def.kind else {
            return Vec::new();
        };
        fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| match def.model_shape(index) {
                Shape::Omitted | Shape::TriState => None,
                Shape::Plain => Some(Reached {
                    field,
                    optional: false,
                }),
                Shape::Optional { .. } => Some(Reached {
                    field,
                    optional: true,
                }),
            })
            .collect()
    }

    /// Every field within [`DEPTH`] objects of the root, each with its chain, depth first in
    /// field order.
    pub fn all_fields(&self) -> Vec<Chain<'a>> {
        let mut found = Vec::new();
        self.walk(self.ty, &mut Vec::new(), &mut found);
        found
    }

    fn walk(&self, ty: &TypeRef, chain: &mut Chain<'a>, found: &mut Vec<Chain<'a>>) {
        if chain.len() >= DEPTH {
            return;
        }
        for reached in self.fields(ty) {
            chain.push(reached);
            found.push(chain.clone());
            self.walk(&reached.field.ty, chain, found);
            chain.pop();
        }
    }

    /// The chain a dotted path names: at each step the longest run of `.`-joined segments that
    /// is a field's wire name (so `@odata.nextLink` is one field).
    pub fn dotted(&self, text: &str) -> Option<Chain<'a>> {
        let segments: Vec<&str> = text.split('.').collect();
        let mut ty = self.ty;
        let mut chain = Vec::new();
        let mut start = 0;
        while start < segments.len() {
            let fields = self.fields(ty);
            let (end, reached) = (start + 1..=segments.len()).rev().find_map(|end| {
                let name = segments[start..end].join(".");
                fields
                    .iter()
                    .find(|r| r.field.wire_name == name)
                    .map(|r| (end, *r))
            })?;
            ty = &reached.field.ty;
            chain.push(reached);
            start = end;
        }
        (!chain.is_empty()).then_some(chain)
    }

    /// The array of items: the body itself when it is an array; else the array field named
    /// `named`; else the one array nearest the root (within [`DEPTH`] objects), or of several
    /// at that depth the one not deprecated, or whose name says items or is one of
    /// `resources` (normalised names of what the path lists).
    pub fn items(&self, named: Option<&str>, resources: &[String]) -> Option<Items<'a>> {
        if let Some(item_ty) = self.vec_item(self.ty) {
            return named.is_none().then_some(Items {
                chain: Vec::new(),
                item_ty,
            });
        }
        if let Some(named) = named {
            return self.array(self.dotted(named)?);
        }
        let fields = self.all_fields();
        // Arrays of links, errors or facets, and arrays inside paging metadata, are not items.
        let beside = |chain: &Chain<'a>| {
            chain
                .iter()
                .any(|r| NOT_ITEMS.contains(&super::norm(&r.field.wire_name).as_str()))
        };
        for depth in 1..=DEPTH {
            let arrays: Vec<&Chain<'a>> = fields
                .iter()
                .filter(|chain| chain.len() == depth && !beside(chain))
                .filter(|chain| self.vec_item(&chain[depth - 1].field.ty).is_some())
                .collect();
            if arrays.is_empty() {
                continue;
            }
            return self.array(Self::pick(arrays, resources)?.clone());
        }
        None
    }

    /// One of several arrays at the same depth (see [`ListBody::items`]).
    fn pick<'c>(arrays: Vec<&'c Chain<'a>>, resources: &[String]) -> Option<&'c Chain<'a>> {
        let leaf = |chain: &Chain<'a>| chain.last().map(|r| r.field);
        let current: Vec<&Chain<'a>> = arrays
            .iter()
            .copied()
            .filter(|chain| leaf(chain).is_some_and(|f| !f.deprecated))
            .collect();
        let candidates = if current.is_empty() { arrays } else { current };
        if let [one] = candidates.as_slice() {
            return Some(one);
        }
        let named: Vec<&Chain<'a>> = candidates
            .into_iter()
            .filter(|chain| {
                leaf(chain).is_some_and(|f| {
                    let name = super::norm(&f.wire_name);
                    ITEM_NAMES.contains(&name.as_str()) || resources.contains(&name)
                })
            })
            .collect();
        match named.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    fn array(&self, chain: Chain<'a>) -> Option<Items<'a>> {
        let item_ty = self.vec_item(&chain.last()?.field.ty)?;
        Some(Items { chain, item_ty })
    }

    /// The item type of an array type, looking through aliases (`pub type List = Vec<T>`).
    fn vec_item(&self, ty: &'a TypeRef) -> Option<&'a TypeRef> {
        let mut ty = ty;
        for _ in 0..8 {
            match ty {
                TypeRef::Vec(item) => return Some(item),
                TypeRef::Named(id) => match &self.ir.ty(*id).kind {
                    TypeKind::Alias(inner) => ty = inner,
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// The fields of the item type, when it is a struct.
    pub fn item_fields(&self, item_ty: &TypeRef) -> Vec<&'a Field> {
        self.fields(item_ty).into_iter().map(|r| r.field).collect()
    }

    /// What a field's value is, looking through aliases.
    pub fn kind(&self, ty: &TypeRef) -> ValueKind {
        let mut ty = ty;
        for _ in 0..8 {
            match ty.layer() {
                Some((Layer::Vec, _)) => return ValueKind::Array,
                Some((Layer::Map, _)) => return ValueKind::Other,
                Some((Layer::Nullable | Layer::Boxed(_), inner)) => {
                    ty = inner;
                    continue;
                }
                None => {}
            }
            match ty {
                TypeRef::Bool => return ValueKind::Bool,
                TypeRef::Int(_) => return ValueKind::Int,
                TypeRef::String => return ValueKind::Text,
                TypeRef::Named(id) => match &self.ir.ty(*id).kind {
                    TypeKind::Alias(inner) => ty = inner,
                    TypeKind::Struct(_) => return ValueKind::Object,
                    TypeKind::StringEnum(_) => return ValueKind::Text,
                    _ => return ValueKind::Other,
                },
                _ => return ValueKind::Other,
            }
        }
        ValueKind::Other
    }
}

/// What a field holds, as far as paging cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    Bool,
    Int,
    Text,
    Array,
    Object,
    Other,
}

/// Names (normalised) of arrays that are not a list's items, and of the objects that hold
/// paging metadata rather than items.
const NOT_ITEMS: &[&str] = &[
    "link",
    "links",
    "error",
    "errors",
    "warnings",
    "facets",
    "meta",
    "metadata",
    "pagination",
    "paging",
    "pageinfo",
];

/// Names (normalised, see [`super::norm`]) that say an array holds a list's items.
const ITEM_NAMES: &[&str] = &[
    "items",
    "data",
    "results",
    "value",
    "values",
    "records",
    "entries",
    "elements",
    "list",
    "content",
    "hits",
    "rows",
    "nodes",
    "objects",
    "resources",
    "collection",
    "edges",
];
