//! Lowering schemas to types.
//!
//! How a schema becomes a type (the table in `design/type-mapping.md`, plus the rules it leaves
//! open):
//!
//! - **Named types** are component schemas (keeping their name) and inline schemas that need a
//!   type of their own (objects with properties, enums, unions, merged `allOf`), named from
//!   where they appear: `{Parent}{Property}`, `{Parent}Item` for array items, `{Parent}Value`
//!   for map values, `{Parent}Extra` for `additionalProperties` beside properties,
//!   `{Union}{Title}` or `{Union}Variant{n}` for inline alternatives, `{Operation}Request`,
//!   `{Operation}{Status}Response` and `{Operation}{Param}` in operations.
//! - **Everything else is a reference** to a primitive (`String`, `i64`, ...), a `Vec`, a
//!   `BTreeMap` or a named type. A component schema that is not an object, enum or union
//!   becomes an alias (`pub type Name = ...`).
//! - **Integers**: `int8`..`int64` and `uint8`..`uint64` map to the matching Rust integer; no
//!   format, `int64` and unknown formats map to `i64`. `number`: `float` → `f32`, else `f64`.
//! - **Enums**: all-string values → string enum, all-integer values → integer enum (each with
//!   a catch-all variant); `null` among the values only makes the type nullable. Any other
//!   enum (mixed, or of booleans or numbers) keeps the underlying type, with a warning for
//!   mixed ones. An enum whose only value is `null` (`{type: string, enum: [null]}`) is `()`,
//!   which serde reads from and writes as `null`, wherever it appears.
//! - **`null` inside containers**: a nullable array item or map value (`nullable: true`, or
//!   `null` among its `enum`; inline or through a `$ref`) is `Option<T>` (`Vec<Option<T>>`,
//!   `BTreeMap<String, Option<T>>`, also the extra entries beside properties): a container
//!   cannot leave a `null` entry out the way a struct leaves out a field, so `null` must be a
//!   value of the item type; so is a nullable alternative of an untagged union. Fields keep
//!   their own nullability (`Option`/`Patch` by shape).
//! - **`allOf`** is decided by the shapes of its parts (see `compose`): what kind of JSON value
//!   each part admits (object, union, string, integer, number, boolean, array, or nothing
//!   said: description, title, nullable, readOnly, writeOnly, default, example, deprecated,
//!   `required` and `x-*` only). The rules apply wherever a schema appears (components,
//!   properties, items, map values, parameters, bodies, `oneOf`/`anyOf` alternatives):
//!   - **one schema-bearing part** (of any type) beside annotation-only parts is that part's
//!     type, with the annotations applied: `nullable` makes the use optional and
//!     null-accepting, `readOnly` leaves it out of request forms, `description` documents it
//!     (the 3.0 way to annotate a reference: `allOf: [{$ref: Boolean}, {description: ..}]`);
//!   - **object parts** merge into one struct, in order (a later part's property replaces an
//!     earlier one of the same wire name; `required` from any part applies; the first
//!     `additionalProperties` map found is kept). Object parts that name no property keep
//!     whatever the server sends, like any object without properties;
//!   - **objects and one union** (`allOf: [Base, {oneOf: [A, B]}]`, or `properties` beside
//!     `oneOf`) become a union whose every alternative is merged with the objects
//!     (`{Name}{Alternative}`): `A and (B or C)` is `(A and B) or (A and C)`, so the fields of
//!     both are kept; a discriminator still tags the alternatives;
//!   - **agreeing scalars** (a string `$ref` plus string constraints) are the referenced type
//!     (an enum, a named alias), or the inline one; `integer` within `number` is an integer;
//!   - **contradicting parts** (a string and an object, two unions) are `serde_json::Value`,
//!     with a warning at the first part that breaks the agreement: the data is kept, never
//!     forced into an empty struct;
//!   - an `allOf` that includes itself is an error; recursion *through* an annotated reference
//!     (`Not: {allOf: [{$ref: Expression}, {description}]}` inside `Expression`) is ordinary
//!     recursion, boxed like any other.
//!
//!   Component shapes are memoised and computed with an explicit stack, and components are
//!   lowered in an order where every component an `allOf` merges comes first, so chains of
//!   thousands of `allOf` levels cost a loop, never the call stack.
//! - **A `discriminator` on an object that others extend through `allOf`** (no `oneOf` of its
//!   own): the tagged union of the schemas that extend it (see `hierarchy`).
//! - **`oneOf`/`anyOf`**: a union. With a `discriminator` whose alternatives are all named and
//!   get distinct tag values (from `mapping`, whose values may be references or bare schema
//!   names, else the schema name), an internally tagged enum; otherwise untagged, with a
//!   warning when a discriminator could not be used. Without a discriminator, a union whose
//!   alternatives are all objects (inline or components; not nullable, no
//!   `additionalProperties`, no combinators of their own) that each require the same property
//!   pinned inline to a single string value (`{type: string, enum: [v]}`), every alternative
//!   to its own value, is tagged by that property exactly as if a discriminator named it (the
//!   first such property of the first alternative; progenitor's rule). An inline alternative
//!   is named after its tag value (its `title` wins) and lowered without the tag property, so
//!   no one-value enum type exists for it, and the union writes the tag when encoding
//!   (`UnionVariant::tag_in_object`); a component alternative keeps its field. What the
//!   variant holds (`VariantPayload`): nothing when the tag is all the alternative has
//!   (`DiskState::Creating`); the value of the one other property when that property is
//!   required, not nullable and neither read- nor write-only (`Datum::Bool(bool)` for
//!   `{type: bool, datum: true}`); otherwise a struct of the other properties
//!   (`{Union}{Tag}`). A variant without a struct costs no type of its own to compile: most
//!   implicitly tagged unions are of the first two kinds.
//!   Repeated values, an optional tag property or a non-object alternative keep the union
//!   untagged. A single alternative is the alternative
//!   itself (an inline one fills the component, which keeps its name). An untagged union
//!   decodes as the alternative the value belongs to (see `unions`): when an alternative's
//!   string-enum property decides (`type: markdown` vs `type: mosaic`), when an object
//!   alternative sits beside an array one, or when several object alternatives would take
//!   each other's objects, `Deserialize` tries, in spec order, first the alternatives that
//!   know every key of the object and list its enum values, then those whose enum values
//!   match, then any of the right JSON type (so a value no alternative lists still decodes,
//!   into the catch-all of the first). In the first pass an alternative that keeps every key
//!   (a `serde_json::Value` fallback, a map, a struct with `additionalProperties`, or a union
//!   holding one) takes an object that the alternatives with known keys would trim, so a key
//!   no typed alternative knows is kept; when every alternative is typed, an object with keys
//!   none knows (fields the server added later) still decodes into the first typed
//!   alternative of its JSON type. Otherwise serde's untagged order applies (it already
//!   tells strings, numbers and booleans apart).
//! - **Objects without properties** keep whatever the server sends: `type: object` alone (or
//!   with `additionalProperties: true`) is `serde_json::Map<String, Value>`, and with
//!   `additionalProperties: {schema}` a `BTreeMap<String, T>`. `additionalProperties: false`
//!   (an object that must be empty) is the same map: it decodes `{}`, and what a server sends
//!   anyway is kept rather than dropped.
//! - **`additionalProperties` beside properties**: a schema, or `true`, adds a flattened map
//!   field `additional_properties` (`BTreeMap<String, T>`, or of `serde_json::Value` for
//!   `true`) that keeps the extra entries and sends them back. Absent or `false`, extra
//!   entries are ignored when decoding.
//! - **Fallbacks to `serde_json::Value`** (each with a warning): `not`, an unknown `type`, a
//!   schema that is only a reference to itself, `allOf` parts that contradict each other, and
//!   aliases that contain themselves through arrays or maps (see
//!   `forms::break_alias_cycles`). Aliases that only name each other (`A` is `B`, `B` is `A`)
//!   describe no type and are an error.
//! - **`default`** is documented on the field ("Default: `value`."), not injected: it is what
//!   the server assumes for an absent field, so the field stays optional.
//! - **Recursion** is handled after lowering (see `nesting`): `Box` goes on the edges that
//!   close a cycle of direct containment (see `forms::box_cycles`) and on one edge in every 16
//!   of a longer chain of types held inline; `desk_runtime::Link` goes where rustc's
//!   drop-check and auto-trait walks would pass its recursion limit (rings of hundreds of
//!   schemas).

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::compose::{self, Shape};
use super::names::{self, Scope};
use super::{Lowerer, State};
use crate::error::DiagnosticKind;
use crate::ir::{
    EnumDef, EnumVariant, Field, IntKind, StructDef, TypeId, TypeKind, TypeRef, UnionDef,
    UnionVariant, VariantPayload,
};
use crate::locate::escape;

/// A schema reference lowered for use in a field, item or parameter.
#[derive(Debug, Clone)]
pub(crate) struct Use {
    pub ty: TypeRef,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub docs: Option<String>,
}

/// One uniform view over the shapes `openapiv3` deserialises a schema into.
pub(super) struct View<'s> {
    pub typ: Option<&'s str>,
    pub format: Option<&'s str>,
    pub enumeration: Vec<Value>,
    pub properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub one_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub all_of: &'s [ReferenceOr<Schema>],
    pub not: bool,
}

impl Use {
    /// The type of a value held in a container (an array item, a map value): `Option<T>` when
    /// the schema admits `null`, since a container cannot leave a `null` entry out the way a
    /// struct leaves out a field.
    pub(crate) fn held(self) -> TypeRef {
        match self.ty {
            ty @ (TypeRef::Json | TypeRef::Null | TypeRef::Nullable(_)) => ty,
            ty if self.nullable => TypeRef::Nullable(Box::new(ty)),
            ty => ty,
        }
    }
}

fn format_str<T: std::fmt::Debug>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> View<'s> {
    pub(super) fn of(schema: &'s Schema) -> Self {
        let mut view = View {
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = format_str(&s.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                });
                view.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = format_str(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                view.enumeration = i
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = format_str(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
            }
            SchemaKind::Type(Type::Boolean(_)) => view.typ = Some("boolean"),
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::Not { .. } => view.not = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.as_deref();
                view.enumeration = any.enumeration.clone();
                view.properties = (!any.properties.is_empty()).then_some(&any.properties);
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.all_of = &any.all_of;
                view.not = any.not.is_some();
            }
        }
        view
    }

    fn is_object_like(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (self.properties.is_some() || self.additional.is_some()))
    }
}

/// Whether `null` is a value of `schema` itself: `nullable: true`, or `null` among its `enum`.
fn admits_null(schema: &Schema) -> bool {
    schema.schema_data.nullable || View::of(schema).enumeration.iter().any(Value::is_null)
}

fn docs_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(title), Some(desc)) if !desc.starts_with(title.as_str()) => {
            Some(format!("{title}\n\n{desc}"))
        }
        (_, Some(desc)) => Some(desc.clone()),
        (Some(title), None) => Some(title.clone()),
        (None, None) => None,
    }
    .map(|d| d.trim().to_owned())
    .filter(|d| !d.is_empty())
}

/// Appends "Default: `value`." to a field's docs: `default` is what the server assumes when the
/// field is absent, so the field stays optional and the value is documented, not injected.
fn with_default(docs: Option<String>, default: Option<&Value>) -> Option<String> {
    let Some(default) = default else { return docs };
    let mut shown = default.to_string();
    if shown.len() > 80 {
        return docs;
    }
    shown = shown.replace('`', "'");
    let line = format!("Default: `{shown}`.");
    Some(match docs {
        Some(text) => format!("{text}\n\n{line}"),
        None => line,
    })
}

fn int_kind(format: Option<&str>) -> IntKind {
    match format {
        Some("int8") => IntKind::I8,
        Some("int16") => IntKind::I16,
        Some("int32") => IntKind::I32,
        Some("uint8") => IntKind::U8,
        Some("uint16") => IntKind::U16,
        Some("uint32") => IntKind::U32,
        Some("uint64" | "uint") => IntKind::U64,
        _ => IntKind::I64,
    }
}

impl Lowerer<'_> {
    /// Lowers component `id` from its schema entry.
    pub(super) fn lower_named(&mut self, id: TypeId, schema: &ReferenceOr<Schema>, pointer: &str) {
        let (ty, docs) = match schema {
            ReferenceOr::Reference { reference } => {
                match self.resolve_schema_ref(reference, pointer) {
                    Ok(target) if target == id => {
                        self.warn(
                            DiagnosticKind::Fallback,
                            pointer,
                            format!(
                                "`{}` is only a reference to itself; using `serde_json::Value`",
                                self.types[id].def.name
                            ),
                            "give the schema a type, or reference another schema",
                        );
                        (TypeRef::Json, None)
                    }
                    Ok(target) => (TypeRef::Named(target), None),
                    Err(diag) => {
                        self.error(diag);
                        return;
                    }
                }
            }
            ReferenceOr::Item(schema) => {
                let name = self.types[id].def.name.clone();
                (
                    self.classify(schema, pointer, &name, Some(id)),
                    docs_of(schema),
                )
            }
        };
        let def = &mut self.types[id].def;
        def.docs = docs.or(def.docs.take());
        if ty != TypeRef::Named(id) {
            def.kind = TypeKind::Alias(ty);
        }
    }

    /// Lowers a schema used somewhere (a property, item, parameter, body).
    /// `hint` names an inline schema that needs a named type.
    pub(crate) fn lower_use(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Option<Use> {
        match schema {
            ReferenceOr::Reference { reference } => {
                match self.resolve_schema_ref(reference, pointer) {
                    Ok(id) => {
                        let data = self.component_data(id);
                        let nullable = self.component_item(id).is_some_and(admits_null);
                        Some(Use {
                            ty: TypeRef::Named(id),
                            nullable,
                            read_only: data.is_some_and(|d| d.read_only),
                            write_only: data.is_some_and(|d| d.write_only),
                            deprecated: data.is_some_and(|d| d.deprecated),
                            docs: None,
                        })
                    }
                    Err(diag) => {
                        self.error(diag);
                        None
                    }
                }
            }
            ReferenceOr::Item(schema) => Some(self.lower_inline_use(schema, pointer, hint)),
        }
    }

    pub(super) fn lower_boxed_use(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> Option<Use> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_use(
                &ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                pointer,
                hint,
            ),
            ReferenceOr::Item(schema) => Some(self.lower_inline_use(schema, pointer, hint)),
        }
    }

    fn lower_inline_use(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Use {
        let data = &schema.schema_data;
        let mut use_ = Use {
            ty: TypeRef::Json,
            nullable: admits_null(schema),
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
            docs: with_default(docs_of(schema), data.default.as_ref()),
        };
        // `allOf: [{$ref}, {description}]` with `nullable`/`readOnly` beside it is the 3.0 way
        // to qualify a reference: the one schema-bearing part is the type, and the flags of the
        // wrapper, the annotation-only parts and the part itself combine.
        let view = View::of(schema);
        if let Some(index) = self.single_bearing_part(&view) {
            if let Some(inner) = self.lower_use(
                &view.all_of[index],
                &format!("{pointer}/allOf/{index}"),
                hint,
            ) {
                use_.ty = inner.ty;
                use_.nullable |= inner.nullable;
                use_.read_only |= inner.read_only;
                use_.write_only |= inner.write_only;
                use_.deprecated |= inner.deprecated;
                use_.docs = use_.docs.or(inner.docs);
            }
            for part in view.all_of.iter().filter_map(ReferenceOr::as_item) {
                let data = &part.schema_data;
                use_.nullable |= data.nullable;
                use_.read_only |= data.read_only;
                use_.write_only |= data.write_only;
                use_.deprecated |= data.deprecated;
                if use_.docs.is_none() {
                    use_.docs = with_default(docs_of(part), data.default.as_ref());
                }
            }
            return use_;
        }
        use_.ty = self.classify(schema, pointer, hint, None);
        use_
    }

    /// The index of the one `allOf` part that says what the value is, when the schema's own
    /// keywords and every other part are only annotations.
    fn single_bearing_part(&mut self, view: &View<'_>) -> Option<usize> {
        if view.all_of.is_empty() || compose::own_shape(view).bears() {
            return None;
        }
        let mut found = None;
        for (index, part) in view.all_of.iter().enumerate() {
            if self.part_shape(part).bears() {
                if found.is_some() {
                    return None;
                }
                found = Some(index);
            }
        }
        found
    }

    fn component_data(&self, id: TypeId) -> Option<&openapiv3::SchemaData> {
        self.component_item(id).map(|s| &s.schema_data)
    }

    fn component_item(&self, id: TypeId) -> Option<&Schema> {
        let (_, schema) = self.doc.components.as_ref()?.schemas.get_index(id)?;
        schema.as_item()
    }

    /// The type for `schema`'s shape. Shapes that need a named type fill `target` when given,
    /// or a new type named from `hint`.
    fn classify(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> TypeRef {
        let view = View::of(schema);
        if view.not {
            self.warn(
                DiagnosticKind::Fallback,
                pointer,
                "`not` schemas cannot be expressed as a Rust type; using `serde_json::Value`",
                "describe the allowed shape positively if a typed value is wanted",
            );
            return TypeRef::Json;
        }
        let alternatives = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !view.all_of.is_empty()
            || (!alternatives.is_empty() && view.properties.is_some_and(|p| !p.is_empty()))
        {
            return self.lower_all_of(schema, &view, pointer, hint, target);
        }
        if !alternatives.is_empty() {
            let keyword = if view.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            if let [single] = alternatives {
                return self.lower_single(single, &format!("{pointer}/{keyword}/0"), hint, target);
            }
            let id = self.named(target, hint, pointer);
            let kind = self.union(schema, alternatives, alternatives, keyword, pointer, id);
            self.set_kind(id, kind, schema);
            return TypeRef::Named(id);
        }
        let enum_values: Vec<&Value> = view.enumeration.iter().filter(|v| !v.is_null()).collect();
        if enum_values.is_empty() && !view.enumeration.is_empty() {
            // `enum: [null]`: the only value is `null`, whatever `type` says.
            return TypeRef::Null;
        }
        if !enum_values.is_empty() {
            if enum_values.iter().all(|v| v.is_string())
                && matches!(view.typ, None | Some("string"))
            {
                let id = self.named(target, hint, pointer);
                let kind = string_enum(&enum_values);
                self.set_kind(id, kind, schema);
                return TypeRef::Named(id);
            }
            if enum_values.iter().all(|v| v.is_i64()) && matches!(view.typ, None | Some("integer"))
            {
                let id = self.named(target, hint, pointer);
                let kind = int_enum(&enum_values);
                self.set_kind(id, kind, schema);
                return TypeRef::Named(id);
            }
            if view.typ != Some("boolean") {
                self.warn(
                    DiagnosticKind::Fallback,
                    &format!("{pointer}/enum"),
                    "an enum whose values are not all strings or all integers; using the underlying type",
                    "split mixed enums into a oneOf of typed enums",
                );
            }
        }
        match view.typ {
            Some("string") => match view.format {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                _ => TypeRef::String,
            },
            Some("integer") => TypeRef::Int(int_kind(view.format)),
            Some("number") => match view.format {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => {
                let item = match view.items {
                    Some(items) => self
                        .lower_boxed_use(items, &format!("{pointer}/items"), &format!("{hint}Item"))
                        .map_or(TypeRef::Json, Use::held),
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            _ if view.is_object_like() => {
                if view.properties.is_some_and(|p| !p.is_empty()) {
                    let id = self.named(target, hint, pointer);
                    let kind = self.merged_struct(schema, &view, pointer, id);
                    self.set_kind(id, kind, schema);
                    return TypeRef::Named(id);
                }
                match view.additional {
                    Some(AdditionalProperties::Schema(inner)) => {
                        let value = self
                            .lower_use(
                                inner,
                                &format!("{pointer}/additionalProperties"),
                                &format!("{hint}Value"),
                            )
                            .map_or(TypeRef::Json, Use::held);
                        TypeRef::Map(Box::new(value))
                    }
                    _ => TypeRef::JsonMap,
                }
            }
            None => TypeRef::Json,
            Some(other) => {
                self.warn(
                    DiagnosticKind::Fallback,
                    &format!("{pointer}/type"),
                    format!("unknown schema type `{other}`; using `serde_json::Value`"),
                    "use one of string, integer, number, boolean, array, object",
                );
                TypeRef::Json
            }
        }
    }

    /// `allOf` (and `properties` beside `oneOf`/`anyOf`), by the shapes of the parts: the one
    /// schema-bearing part; a merged struct; a union whose alternatives the object parts
    /// complete; agreeing scalars; or, when the parts contradict each other, a located warning
    /// and `serde_json::Value`.
    fn lower_all_of(
        &mut self,
        schema: &Schema,
        view: &View<'_>,
        pointer: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> TypeRef {
        let own = compose::own_shape(view);
        let parts: Vec<Shape> = view
            .all_of
            .iter()
            .map(|part| self.part_shape(part))
            .collect();
        let bearing: Vec<usize> = (0..parts.len()).filter(|i| parts[*i].bears()).collect();
        if !own.bears() {
            match bearing.as_slice() {
                // Only annotations: any value; a referenced part keeps its name (so a ring of
                // schemas that only name each other is reported, see `unions::alias_rings`).
                [] => {
                    return match view
                        .all_of
                        .iter()
                        .position(|p| matches!(p, ReferenceOr::Reference { .. }))
                    {
                        Some(index) => self.lower_single(
                            &view.all_of[index],
                            &format!("{pointer}/allOf/{index}"),
                            hint,
                            target,
                        ),
                        None => TypeRef::Json,
                    };
                }
                [single] => {
                    // A component written this way keeps the annotation parts' description.
                    if let Some(id) = target {
                        if self.types[id].def.docs.is_none() {
                            self.types[id].def.docs = view
                                .all_of
                                .iter()
                                .filter_map(ReferenceOr::as_item)
                                .find_map(docs_of);
                        }
                    }
                    return self.lower_single(
                        &view.all_of[*single],
                        &format!("{pointer}/allOf/{single}"),
                        hint,
                        target,
                    );
                }
                _ => {}
            }
        }
        let mut shapes = vec![own];
        shapes.extend(parts.iter().copied());
        match compose::combine(&shapes) {
            Shape::Object => {
                let id = self.named(target, hint, pointer);
                let kind = self.merged_struct(schema, view, pointer, id);
                let kind = match kind {
                    // Object parts that name no property keep whatever the server sends.
                    TypeKind::Struct(def) if def.fields.is_empty() && def.additional.is_none() => {
                        TypeKind::Alias(TypeRef::JsonMap)
                    }
                    kind => kind,
                };
                self.set_kind(id, kind, schema);
                TypeRef::Named(id)
            }
            Shape::Union => self.distribute_union(schema, view, &parts, pointer, hint, target),
            Shape::Scalar(scalar) => {
                // Agreeing scalars: a referenced part of the merged type says the most (an
                // enum, a named alias); `integer` wins over `number`.
                let exact: Vec<usize> = bearing
                    .iter()
                    .copied()
                    .filter(|i| parts[*i] == Shape::Scalar(scalar))
                    .collect();
                let referenced = exact
                    .iter()
                    .copied()
                    .find(|i| matches!(view.all_of[*i], ReferenceOr::Reference { .. }));
                let own_exact = own == Shape::Scalar(scalar);
                match referenced.or(if own_exact {
                    None
                } else {
                    exact.first().copied()
                }) {
                    Some(index) => self.lower_single(
                        &view.all_of[index],
                        &format!("{pointer}/allOf/{index}"),
                        hint,
                        target,
                    ),
                    None => {
                        self.classify(&without_combinators(schema, false), pointer, hint, target)
                    }
                }
            }
            Shape::Annotation => TypeRef::Json,
            Shape::Opaque => {
                // Locate the first part that breaks the agreement.
                let mut seen = vec![own];
                let mut culprit = pointer.to_owned();
                for (index, shape) in parts.iter().enumerate() {
                    seen.push(*shape);
                    if compose::combine(&seen) == Shape::Opaque {
                        culprit = format!("{pointer}/allOf/{index}");
                        break;
                    }
                }
                self.warn(
                    DiagnosticKind::Fallback,
                    &culprit,
                    "the `allOf` parts do not describe one type (e.g. a string and an object); using `serde_json::Value`",
                    "make every part describe the same type: objects merge, and a `$ref` beside description-only parts is that reference",
                );
                TypeRef::Json
            }
        }
    }

    /// `allOf` of objects and one union (`oneOf`/`anyOf`): a union whose every alternative is
    /// merged with the object parts (`A and (B or C)` is `(A and B) or (A and C)`), so the
    /// fields of both are kept.
    fn distribute_union(
        &mut self,
        schema: &Schema,
        view: &View<'_>,
        parts: &[Shape],
        pointer: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> TypeRef {
        let mut objects: Vec<ReferenceOr<Schema>> = Vec::new();
        let mut union: Option<(Schema, String)> = None;
        let mut union_component = None;
        if compose::own_shape(view) == Shape::Union {
            union = Some((without_combinators(schema, true), pointer.to_owned()));
            if view.properties.is_some_and(|p| !p.is_empty()) || view.typ == Some("object") {
                objects.push(ReferenceOr::Item(without_combinators(schema, false)));
            }
        }
        for (index, part) in view.all_of.iter().enumerate() {
            if parts[index] != Shape::Union {
                objects.push(part.clone());
                continue;
            }
            let found = match part {
                ReferenceOr::Item(inner) => {
                    Some((inner.clone(), format!("{pointer}/allOf/{index}")))
                }
                ReferenceOr::Reference { reference } => {
                    let doc: &openapiv3::OpenAPI = self.doc;
                    let id = self.resolve_schema_ref(reference, pointer).ok();
                    if let Some(id) = id {
                        if self.distributing.contains(&id) {
                            // The union reaches itself through its alternatives' `allOf`s:
                            // merging would never end.
                            let at = self.types[id].def.pointer.clone();
                            self.warn(
                                DiagnosticKind::Fallback,
                                &at,
                                "a union that includes itself through `allOf` cannot be merged with objects; using `serde_json::Value`",
                                "merge the object parts into the union's alternatives",
                            );
                            return TypeRef::Json;
                        }
                        union_component = Some(id);
                    }
                    id.and_then(|id| {
                        let (name, schema) = doc.components.as_ref()?.schemas.get_index(id)?;
                        Some((
                            schema.as_item()?.clone(),
                            format!("/components/schemas/{}", escape(name)),
                        ))
                    })
                }
            };
            union = found;
        }
        let Some((union_schema, union_pointer)) = union.filter(|(u, _)| {
            let v = View::of(u);
            !v.one_of.is_empty() || !v.any_of.is_empty()
        }) else {
            self.warn(
                DiagnosticKind::Fallback,
                pointer,
                "an `allOf` whose union part is itself composed cannot be merged; using `serde_json::Value`",
                "write the union part as a `oneOf`/`anyOf` of the alternatives",
            );
            return TypeRef::Json;
        };
        let union_view = View::of(&union_schema);
        let (alternatives, keyword) = if union_view.one_of.is_empty() {
            (union_view.any_of, "anyOf")
        } else {
            (union_view.one_of, "oneOf")
        };
        let merged: Vec<ReferenceOr<Schema>> = alternatives
            .iter()
            .map(|alternative| {
                let title = match alternative {
                    ReferenceOr::Reference { reference } => {
                        reference.rsplit('/').next().map(crate::locate::unescape)
                    }
                    ReferenceOr::Item(inner) => inner.schema_data.title.clone(),
                };
                let mut all_of = objects.clone();
                all_of.push(alternative.clone());
                ReferenceOr::Item(Schema {
                    schema_data: openapiv3::SchemaData {
                        title,
                        ..Default::default()
                    },
                    schema_kind: SchemaKind::AllOf { all_of },
                })
            })
            .collect();
        let id = self.named(target, hint, pointer);
        self.distributing.extend(union_component);
        let kind = self.union(
            &union_schema,
            &merged,
            alternatives,
            keyword,
            &union_pointer,
            id,
        );
        if union_component.is_some() {
            self.distributing.pop();
        }
        self.set_kind(id, kind, schema);
        TypeRef::Named(id)
    }

    /// The one schema of a one-element `allOf`/`oneOf`/`anyOf`: a reference is used as is; an
    /// inline schema is the type itself, so it fills `target` (a component keeps its own name
    /// instead of becoming an alias of `{Name}2`).
    fn lower_single(
        &mut self,
        single: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> TypeRef {
        match single {
            ReferenceOr::Item(inner) => {
                let ty = self.classify(inner, pointer, hint, target);
                if let (Some(id), TypeRef::Named(got)) = (target, &ty) {
                    if *got == id && self.types[id].def.docs.is_none() {
                        self.types[id].def.docs = docs_of(inner);
                    }
                }
                ty
            }
            reference => self
                .lower_use(reference, pointer, hint)
                .map_or(TypeRef::Json, |u| u.ty),
        }
    }

    fn named(&mut self, target: Option<TypeId>, hint: &str, pointer: &str) -> TypeId {
        match target {
            Some(id) => id,
            None => {
                let id = self.alloc_type(names::type_name(hint), pointer.to_owned());
                self.types[id].state = State::Done;
                id
            }
        }
    }

    fn set_kind(&mut self, id: TypeId, kind: TypeKind, schema: &Schema) {
        let def = &mut self.types[id].def;
        def.kind = kind;
        if def.docs.is_none() {
            def.docs = docs_of(schema);
        }
    }

    /// A struct from `properties`, merged with every `allOf` part (in order; later parts win).
    fn merged_struct(
        &mut self,
        schema: &Schema,
        view: &View<'_>,
        pointer: &str,
        id: TypeId,
    ) -> TypeKind {
        let struct_name = self.types[id].def.name.clone();
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        for (index, part) in view.all_of.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{index}");
            match part {
                ReferenceOr::Reference { reference } => {
                    let Ok(target) = self
                        .resolve_schema_ref(reference, &part_pointer)
                        .map_err(|d| self.error(d))
                    else {
                        continue;
                    };
                    if !self.component_shape(target).bears() {
                        // Only annotations (a shared description): nothing to merge.
                        continue;
                    }
                    if !self.ensure_lowered(target) {
                        self.error(
                            self.spec
                                .diagnostic(
                                    DiagnosticKind::UnsupportedSchema,
                                    &part_pointer,
                                    "`allOf` includes a schema that includes this one again",
                                )
                                .help("break the cycle: an object cannot contain all of itself"),
                        );
                        continue;
                    }
                    match self.resolved_kind(target) {
                        Some(TypeKind::Struct(def)) => {
                            for field in def.fields {
                                merge_field(&mut fields, field);
                            }
                            additional = additional.or(def.additional);
                        }
                        // An object without properties: its `additionalProperties` apply.
                        Some(TypeKind::Alias(TypeRef::Map(value))) => {
                            additional = additional.or(Some(*value))
                        }
                        Some(TypeKind::Alias(TypeRef::JsonMap)) => {
                            additional = additional.or(Some(TypeRef::Json))
                        }
                        // Only object parts reach a merge (see `lower_all_of`).
                        _ => {}
                    }
                }
                ReferenceOr::Item(inner) => {
                    let inner_view = View::of(inner);
                    if !inner_view.all_of.is_empty() || inner_view.properties.is_some() {
                        if let TypeKind::Struct(def) =
                            self.merged_struct(inner, &inner_view, &part_pointer, id)
                        {
                            for field in def.fields {
                                merge_field(&mut fields, field);
                            }
                            additional = additional.or(def.additional);
                        }
                    } else if let Some(AdditionalProperties::Schema(extra)) = inner_view.additional
                    {
                        let hint = format!("{struct_name}Extra");
                        let value = self.lower_use(
                            extra,
                            &format!("{part_pointer}/additionalProperties"),
                            &hint,
                        );
                        additional = additional.or(value.map(Use::held));
                    }
                    // Otherwise only `required` (applied below) or annotations.
                    for name in inner_view.required {
                        if let Some(field) = fields.iter_mut().find(|f| &f.wire_name == name) {
                            field.required = true;
                        }
                    }
                }
            }
        }
        if let Some(properties) = view.properties {
            for (wire, prop) in properties {
                let prop_pointer = format!("{pointer}/properties/{}", escape(wire));
                let hint = format!("{struct_name}{}", names::type_part(wire));
                let Some(use_) = self.lower_boxed_use(prop, &prop_pointer, &hint) else {
                    continue;
                };
                merge_field(
                    &mut fields,
                    Field {
                        rust_name: String::new(),
                        wire_name: wire.clone(),
                        docs: use_.docs,
                        ty: use_.ty,
                        required: false,
                        nullable: use_.nullable,
                        read_only: use_.read_only,
                        write_only: use_.write_only,
                        deprecated: use_.deprecated,
                    },
                );
            }
        }
        for name in view.required {
            if let Some(field) = fields.iter_mut().find(|f| &f.wire_name == name) {
                field.required = true;
            }
        }
        match view.additional {
            Some(AdditionalProperties::Schema(inner)) => {
                let hint = format!("{struct_name}Extra");
                additional = self
                    .lower_use(inner, &format!("{pointer}/additionalProperties"), &hint)
                    .map(Use::held)
                    .or(additional);
            }
            // Extra entries are kept (and sent back) as JSON values.
            Some(AdditionalProperties::Any(true)) => {
                additional = additional.or(Some(TypeRef::Json))
            }
            _ => {}
        }
        // Field names are decided once the merged list is final.
        let mut scope = Scope::with_reserved([ADDITIONAL_FIELD]);
        for field in &mut fields {
            field.rust_name = scope.claim(names::field_name(&field.wire_name));
        }
        let _ = schema;
        TypeKind::Struct(StructDef {
            fields,
            additional,
            additional_name: ADDITIONAL_FIELD.to_owned(),
        })
    }

    /// The kind of `id`, looking through aliases.
    pub(super) fn resolved_kind(&self, mut id: TypeId) -> Option<TypeKind> {
        for _ in 0..=self.types.len() {
            match &self.types[id].def.kind {
                TypeKind::Alias(TypeRef::Named(next)) => id = *next,
                kind => return Some(kind.clone()),
            }
        }
        None
    }

    /// The implicit tag of a union without a discriminator: the first property of the first
    /// alternative that every alternative (an object schema, inline or a component, not
    /// nullable, without `additionalProperties`) requires and pins, inline, to one string value
    /// (`type: string, enum: [value]`), each alternative to its own. Returns the property and
    /// the values in alternative order.
    fn implicit_tag(&self, alternatives: &[ReferenceOr<Schema>]) -> Option<(String, Vec<String>)> {
        if alternatives.len() < 2 {
            return None;
        }
        let mut objects = Vec::new();
        for alternative in alternatives {
            let schema = match alternative {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    let name =
                        crate::locate::unescape(reference.strip_prefix("#/components/schemas/")?);
                    self.doc
                        .components
                        .as_ref()?
                        .schemas
                        .get(&name)?
                        .as_item()?
                }
            };
            let view = View::of(schema);
            if !view.is_object_like()
                || admits_null(schema)
                || view.additional.is_some()
                || !view.all_of.is_empty()
                || !view.one_of.is_empty()
                || !view.any_of.is_empty()
            {
                return None;
            }
            objects.push(view);
        }
        let pinned = |view: &View<'_>, property: &str| -> Option<String> {
            if !view.required.iter().any(|r| r == property) {
                return None;
            }
            let ReferenceOr::Item(schema) = view.properties?.get(property)? else {
                return None;
            };
            let tag = View::of(schema);
            match (tag.typ, tag.enumeration.as_slice()) {
                (Some("string"), [Value::String(value)]) if !admits_null(schema) => {
                    Some(value.clone())
                }
                _ => None,
            }
        };
        objects[0].properties?.keys().find_map(|property| {
            let values: Vec<String> = objects
                .iter()
                .map(|view| pinned(view, property))
                .collect::<Option<_>>()?;
            let distinct: std::collections::BTreeSet<&String> = values.iter().collect();
            (distinct.len() == values.len()).then(|| (property.clone(), values))
        })
    }

    /// `schema`, an inline object alternative of a union tagged by `property`, without its tag:
    /// nothing else, one plain required property, or an object.
    fn inline_alternative(&self, schema: &Schema, property: &str) -> Option<InlineAlternative> {
        let mut copy = schema.clone();
        let (properties, required) = match &mut copy.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                (&mut object.properties, &mut object.required)
            }
            SchemaKind::Any(any) => (&mut any.properties, &mut any.required),
            _ => return None,
        };
        properties.shift_remove(property)?;
        required.retain(|name| name != property);
        let (name, value) = match properties.first() {
            None => return Some(InlineAlternative::Unit),
            Some((name, value)) if properties.len() == 1 => (name.clone(), value.clone()),
            Some(_) => return Some(InlineAlternative::Object(copy)),
        };
        let required = required.contains(&name);
        let plain = |item: &Schema| {
            let data = &item.schema_data;
            !admits_null(item) && !data.read_only && !data.write_only
        };
        let schema = match value {
            ReferenceOr::Item(item) if plain(&item) => ReferenceOr::Item(*item),
            ReferenceOr::Reference { reference }
                if reference
                    .strip_prefix("#/components/schemas/")
                    .map(crate::locate::unescape)
                    .and_then(|n| self.doc.components.as_ref()?.schemas.get(&n)?.as_item())
                    .is_some_and(plain) =>
            {
                ReferenceOr::Reference { reference }
            }
            _ => return Some(InlineAlternative::Object(copy)),
        };
        if !required {
            return Some(InlineAlternative::Object(copy));
        }
        Some(InlineAlternative::Property(name, schema))
    }

    /// A union of `alternatives`; `tag_sources` are the alternatives as written (the same, or the
    /// union part of an `allOf` whose alternatives were merged), where discriminator values are
    /// looked up.
    pub(super) fn union(
        &mut self,
        schema: &Schema,
        alternatives: &[ReferenceOr<Schema>],
        tag_sources: &[ReferenceOr<Schema>],
        keyword: &str,
        pointer: &str,
        id: TypeId,
    ) -> TypeKind {
        let union_name = self.types[id].def.name.clone();
        let implicit = if schema.schema_data.discriminator.is_none()
            && std::ptr::eq(alternatives, tag_sources)
        {
            self.implicit_tag(alternatives)
        } else {
            None
        };
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let mut alt_pointer = format!("{pointer}/{keyword}/{index}");
            let title = alternative
                .as_item()
                .and_then(|s| s.schema_data.title.clone());
            // An inline alternative of an implicitly tagged union is named after its tag value
            // (unless it has a title) and leaves its tag to the union: no one-value enum type
            // for it, and no struct at all when the tag is all it has, or the tag and one
            // property.
            let own_tag = match (&implicit, alternative, &title) {
                (Some((_, values)), ReferenceOr::Item(_), None) => values.get(index),
                _ => None,
            };
            let inline = match (&implicit, alternative) {
                (Some((property, _)), ReferenceOr::Item(item)) => {
                    self.inline_alternative(item, property)
                }
                _ => None,
            };
            let part = match (&title, own_tag) {
                (Some(title), _) => names::type_part(title),
                (None, Some(tag)) => names::type_part(tag),
                (None, None) => format!("Variant{index}"),
            };
            let hint = format!("{union_name}{part}");
            let tag_named = own_tag.map(|tag| names::variant_name(tag));
            let tag_in_object = inline.is_none();
            let docs = alternative.as_item().and_then(docs_of);
            let (alternative, payload) = match inline {
                None => (alternative.clone(), VariantPayload::Object),
                Some(InlineAlternative::Object(object)) => {
                    (ReferenceOr::Item(object), VariantPayload::Object)
                }
                Some(InlineAlternative::Property(property, schema)) => {
                    alt_pointer = format!("{alt_pointer}/properties/{}", escape(&property));
                    (schema, VariantPayload::Property(property))
                }
                Some(InlineAlternative::Unit) => {
                    let wanted = tag_named.unwrap_or_else(|| names::variant_name(&part));
                    variants.push(UnionVariant {
                        rust_name: scope.claim(wanted),
                        tag_value: None,
                        ty: TypeRef::Null,
                        guard: Default::default(),
                        tag_in_object,
                        payload: VariantPayload::Unit,
                        docs,
                    });
                    continue;
                }
            };
            let Some(use_) = self.lower_use(&alternative, &alt_pointer, &hint) else {
                continue;
            };
            let wanted = match (tag_named, &use_.ty, &alternative) {
                (Some(name), _, _) => name,
                (None, TypeRef::Named(target), ReferenceOr::Reference { .. })
                    if payload == VariantPayload::Object =>
                {
                    self.types[*target].def.name.clone()
                }
                // An inline alternative that is a component (`allOf: [{$ref}, {description}]`)
                // is named after it.
                (None, TypeRef::Named(target), ReferenceOr::Item(_))
                    if title.is_none() && *target < self.components.len() =>
                {
                    self.types[*target].def.name.clone()
                }
                (None, TypeRef::Named(_), _) => title
                    .as_deref()
                    .map_or_else(|| format!("Variant{index}"), names::variant_name),
                (None, other, _) => primitive_variant_name(other).to_owned(),
            };
            // A variant without a struct of its own carries the alternative's description.
            let docs = match &payload {
                VariantPayload::Property(property) => {
                    let held = format!("Holds the `{property}` property.");
                    Some(match docs.or(use_.docs.clone()) {
                        Some(docs) => format!("{docs}\n\n{held}"),
                        None => held,
                    })
                }
                _ => None,
            };
            // A nullable alternative of an untagged union holds `null` too (`Option<T>`); a
            // tagged one is always an object with its tag.
            let ty = if schema.schema_data.discriminator.is_none() && implicit.is_none() {
                use_.held()
            } else {
                use_.ty
            };
            variants.push(UnionVariant {
                rust_name: scope.claim(wanted),
                tag_value: None,
                ty,
                guard: Default::default(),
                tag_in_object,
                payload,
                docs,
            });
        }
        if let Some((property, values)) = implicit {
            if variants.len() == values.len() {
                for (variant, value) in variants.iter_mut().zip(values) {
                    variant.tag_value = Some(value);
                }
                return TypeKind::Union(UnionDef {
                    variants,
                    tag: Some(property),
                    catch_all: None,
                    attempts: Vec::new(),
                });
            }
        }
        let mut tag = None;
        if let Some(discriminator) = &schema.schema_data.discriminator {
            let all_named = variants.iter().all(|v| matches!(v.ty, TypeRef::Named(_)));
            if all_named {
                tag = Some(discriminator.property_name.clone());
                for (variant, alternative) in variants.iter_mut().zip(tag_sources) {
                    let reference = match alternative {
                        ReferenceOr::Reference { reference } => reference.as_str(),
                        ReferenceOr::Item(_) => "",
                    };
                    // Mapping values are references or bare schema names.
                    let short = reference
                        .strip_prefix("#/components/schemas/")
                        .map(crate::locate::unescape);
                    let mapped = discriminator
                        .mapping
                        .iter()
                        .find(|(_, target)| {
                            *target == reference || Some(target.as_str()) == short.as_deref()
                        })
                        .map(|(k, _)| k.clone());
                    variant.tag_value = mapped.or(short).filter(|v| !v.is_empty());
                }
                // Every variant needs its own tag value, or the enum falls back to untagged.
                let mut seen = std::collections::BTreeSet::new();
                if variants
                    .iter()
                    .any(|v| v.tag_value.as_ref().is_none_or(|t| !seen.insert(t.clone())))
                {
                    tag = None;
                    self.warn(
                        DiagnosticKind::Fallback,
                        &format!("{pointer}/discriminator"),
                        "the discriminator does not give every alternative its own value; decoding tries each alternative in order (untagged)",
                        "list each alternative once, as a `$ref`, and give `discriminator.mapping` one value per alternative",
                    );
                }
            }
        }
        TypeKind::Union(UnionDef {
            variants,
            tag,
            catch_all: None,
            attempts: Vec::new(),
        })
    }
}

/// What an inline object alternative of an implicitly tagged union is without its tag.
enum InlineAlternative {
    /// Only the tag.
    Unit,
    /// The tag and this one property: required, not nullable, neither read- nor write-only.
    Property(String, ReferenceOr<Schema>),
    /// The object without its tag property.
    Object(Schema),
}

/// A copy of `schema` without `allOf`, and without `oneOf`/`anyOf` unless `keep_union`: its own
/// keywords, to be lowered as one part among others.
fn without_combinators(schema: &Schema, keep_union: bool) -> Schema {
    let mut copy = schema.clone();
    match &mut copy.schema_kind {
        SchemaKind::Any(any) => {
            any.all_of.clear();
            if !keep_union {
                any.one_of.clear();
                any.any_of.clear();
            }
        }
        SchemaKind::AllOf { .. } => copy.schema_kind = SchemaKind::Any(Default::default()),
        _ => {}
    }
    copy
}

fn merge_field(fields: &mut Vec<Field>, field: Field) {
    match fields.iter_mut().find(|f| f.wire_name == field.wire_name) {
        Some(existing) => {
            *existing = Field {
                required: existing.required || field.required,
                ..field
            }
        }
        None => fields.push(field),
    }
}

fn primitive_variant_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Bool => "Bool",
        TypeRef::Int(_) => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Json => "Value",
        TypeRef::JsonMap | TypeRef::Map(_) => "Object",
        TypeRef::Vec(_) => "Array",
        TypeRef::Named(_) | TypeRef::Boxed(_, _) => "Variant",
        TypeRef::Nullable(_) => "Nullable",
        TypeRef::Null => "Null",
    }
}

fn string_enum(values: &[&Value]) -> TypeKind {
    let mut scope = Scope::with_reserved([CATCH_ALL]);
    let mut seen = std::collections::BTreeSet::new();
    let variants = values
        .iter()
        .filter_map(|v| v.as_str())
        .filter(|v| seen.insert(*v))
        .map(|value| EnumVariant {
            rust_name: scope.claim(names::variant_name(value)),
            value: value.to_owned(),
            docs: None,
        })
        .collect();
    TypeKind::StringEnum(EnumDef {
        variants,
        catch_all: CATCH_ALL.to_owned(),
    })
}

fn int_enum(values: &[&Value]) -> TypeKind {
    let mut scope = Scope::with_reserved([CATCH_ALL]);
    let mut seen = std::collections::BTreeSet::new();
    let variants = values
        .iter()
        .filter_map(|v| v.as_i64())
        .filter(|v| seen.insert(*v))
        .map(|value| {
            let raw = if value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                value.to_string()
            };
            EnumVariant {
                rust_name: scope.claim(names::variant_name(&raw)),
                value,
                docs: None,
            }
        })
        .collect();
    TypeKind::IntEnum(EnumDef {
        variants,
        catch_all: CATCH_ALL.to_owned(),
    })
}

/// The variant of an open enum that keeps a value the description does not list.
const CATCH_ALL: &str = "Other";

/// The field of a struct that holds the entries `additionalProperties` allows.
const ADDITIONAL_FIELD: &str = "additional_properties";
