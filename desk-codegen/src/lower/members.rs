//! The members emitters add to a type, decided once: each struct field's shape in every form,
//! the names of setters, clearers, constructors and catch-all variants, and which conversions
//! from the model form exist. Runs after [`super::forms::assign_forms`].
//!
//! Naming rules (scopes are per type and form, see [`super::names`]):
//!
//! - **Model form**, only for types used in query parameters when every field is optional:
//!   chained setters named after the fields, or `set_{field}` when that would shadow a trait
//!   method code calls by name (`clone`, `into`, `default`, ...).
//! - **Create form**: when every field is optional, the same setters; otherwise setters named
//!   after the non-required fields. The constructor is `new` unless a field takes that name;
//!   tri-state fields get `clear_{field}`.
//! - **Patch form**: `new`, `is_empty`, `diff` and `from_model` are taken first; setters are
//!   named after the fields, then `clear_{field}` for each field that may be `null`.
//! - **Catch-all variants**: `Other` for string and integer enums (lowering keeps that name free
//!   when naming the listed values), `Unknown` or the next free name for tagged unions.
//! - **Stable API** ([`Ir::stable_api`]): the model form is built as the create form is, with a
//!   constructor taking the required fields and setters for the others, by the same rule (so a
//!   create form that is its model shares them). The operations' own structs
//!   ([`decide_operations`]): a parameters struct gets a constructor taking the required
//!   parameters and a setter per optional one (named as a `Default` parameters struct's are),
//!   a multipart struct the same for its parts (setters named after the fields); the
//!   constructor is `new` unless a setter takes it. Without a stable API only a parameters
//!   struct whose parameters are all optional has setters, and no constructor.

use std::collections::BTreeSet;

use super::forms::shape;
use super::names::Scope;
use crate::ir::{
    BodyKind, Conversions, Field, Form, FormDef, FormField, FormUse, Ir, Layer, ModelForm,
    ParamLocation, RequestForm, Shape, StructDef, TypeId, TypeKind, TypeRef,
};

/// Fills [`crate::ir::TypeDef::forms`], the names forms use, tagged unions' `catch_all` and
/// `conversions` for every type;
/// `in_queries` says, by type id, which types a query or header parameter reaches.
pub(super) fn decide(ir: &mut Ir, in_queries: &[bool]) {
    let conversions = conversions(ir);
    let same = creates_same_as_model(ir, in_queries);
    let stable = ir.stable_api;
    for (id, def) in ir.types.iter_mut().enumerate() {
        def.conversions = conversions[id];
        def.create_is_model = same.contains(&id);
        // A create position names the create form, else the model; a patch position the patch
        // form, else whatever a create position names.
        let own_create = def.create_name.is_some() && !def.create_is_model;
        def.in_create = FormUse {
            name: def.create_name.clone().unwrap_or_else(|| def.name.clone()),
            differs: own_create,
        };
        def.in_patch = match &def.patch_name {
            Some(name) => FormUse {
                name: name.clone(),
                differs: true,
            },
            None => def.in_create.clone(),
        };
        match &mut def.kind {
            TypeKind::Union(union) if union.tag.is_some() => {
                let mut scope = Scope::default();
                for variant in &union.variants {
                    scope.claim(variant.rust_name.clone());
                }
                union.catch_all = Some(scope.claim("Unknown".to_owned()));
            }
            TypeKind::Struct(st) => {
                def.forms.model = Some(if stable {
                    let built = constructible_form(st, Form::Model);
                    ModelForm {
                        form: built.form,
                        constructor: Some(built.constructor),
                    }
                } else {
                    ModelForm {
                        form: model_form(st, in_queries[id]),
                        constructor: None,
                    }
                });
                def.forms.create = def
                    .create_name
                    .is_some()
                    .then(|| constructible_form(st, Form::Create));
                def.forms.patch = def.patch_name.is_some().then(|| patch_form(st));
            }
            _ => {}
        }
    }
}

/// In a stable API, fills the constructors and setters of each operation's parameters and
/// multipart structs ([`crate::ir::ParamsType::constructor`], [`crate::ir::Param::setter`],
/// [`crate::ir::MultipartDef::constructor`], [`crate::ir::PartDef::setter`]). Runs after
/// lowering named the setters of parameters structs whose parameters are all optional.
pub(super) fn decide_operations(ir: &mut Ir) {
    if !ir.stable_api {
        return;
    }
    for op in &mut ir.operations {
        if let Some(params_type) = &mut op.params_type {
            // Setters as a `Default` struct names them (never shadowing a trait method), in
            // one scope with the constructor.
            let taken: Vec<String> = op.params.iter().filter_map(|p| p.setter.clone()).collect();
            let mut scope = Scope::with_reserved(taken.iter().map(String::as_str));
            for param in op
                .params
                .iter_mut()
                .filter(|p| p.location != ParamLocation::Path && !p.required && p.setter.is_none())
            {
                param.setter = Some(scope.claim(setter_name(&param.rust_name)));
            }
            params_type.constructor = Some(scope.claim("new".to_owned()));
        }
        let Some(BodyKind::Multipart(def)) = op.body.as_mut().map(|b| &mut b.kind) else {
            continue;
        };
        // The fields' own names are taken first (setters carry them).
        let mut scope = Scope::with_reserved(def.parts.iter().map(|p| p.rust_name.as_str()));
        def.constructor = Some(scope.claim("new".to_owned()));
        for part in def.parts.iter_mut().filter(|p| !p.required) {
            part.setter = Some(part.rust_name.clone());
        }
    }
}

/// The shapes of `st`'s fields in `form`, and whether every kept field is optional.
fn shapes(st: &StructDef, form: Form) -> (Vec<Shape>, bool) {
    let shapes: Vec<Shape> = st.fields.iter().map(|f| shape(f, form)).collect();
    let all_optional = shapes.iter().all(|s| *s != Shape::Plain);
    (shapes, all_optional)
}

/// Setters for every kept field, in a scope of their own ([`setter_name`]).
fn builder_setters(st: &StructDef, shapes: &[Shape]) -> Vec<Option<String>> {
    let mut scope = Scope::default();
    st.fields
        .iter()
        .zip(shapes)
        .map(|(field, shape)| {
            (*shape != Shape::Omitted).then(|| scope.claim(setter_name(&field.rust_name)))
        })
        .collect()
}

fn model_form(st: &StructDef, builder: bool) -> FormDef {
    let (shapes, all_optional) = shapes(st, Form::Model);
    let setters = if builder && all_optional {
        builder_setters(st, &shapes)
    } else {
        vec![None; shapes.len()]
    };
    FormDef {
        fields: shapes
            .into_iter()
            .zip(setters)
            .map(|(shape, setter)| FormField {
                shape,
                setter,
                clearer: None,
            })
            .collect(),
        default: all_optional,
    }
}

/// A form built through a constructor: the create form, and in a stable API the model form.
fn constructible_form(st: &StructDef, form: Form) -> RequestForm {
    let (shapes, all_optional) = shapes(st, form);
    let setters = if all_optional {
        builder_setters(st, &shapes)
    } else {
        st.fields
            .iter()
            .zip(&shapes)
            .map(|(field, shape)| {
                matches!(shape, Shape::Optional { .. } | Shape::TriState)
                    .then(|| field.rust_name.clone())
            })
            .collect()
    };
    // The fields' own names are taken first (setters carry them).
    let mut scope = Scope::with_reserved(
        st.fields
            .iter()
            .zip(&shapes)
            .filter(|(_, shape)| **shape != Shape::Omitted)
            .map(|(field, _)| field.rust_name.as_str()),
    );
    if st.additional.is_some() {
        scope.claim(st.additional_name.clone());
    }
    let constructor = scope.claim("new".to_owned());
    let fields = st
        .fields
        .iter()
        .zip(shapes)
        .zip(setters)
        .map(|((field, shape), setter)| FormField {
            shape,
            setter,
            clearer: (shape == Shape::TriState)
                .then(|| scope.claim(format!("clear_{}", field.rust_name))),
        })
        .collect();
    RequestForm {
        form: FormDef {
            fields,
            default: all_optional,
        },
        constructor,
    }
}

fn patch_form(st: &StructDef) -> RequestForm {
    let (shapes, all_optional) = shapes(st, Form::Patch);
    let mut scope = Scope::with_reserved(["new", "is_empty", "diff", "from_model"]);
    let setters: Vec<Option<String>> = st
        .fields
        .iter()
        .zip(&shapes)
        .map(|(field, shape)| {
            (*shape != Shape::Omitted).then(|| scope.claim(field.rust_name.clone()))
        })
        .collect();
    // A required, non-nullable key can be left out of a patch but not cleared: no `clear_*`.
    let clearers: Vec<Option<String>> = st
        .fields
        .iter()
        .zip(&shapes)
        .map(|(field, shape)| {
            (*shape != Shape::Omitted && field.clearable())
                .then(|| scope.claim(format!("clear_{}", field.rust_name)))
        })
        .collect();
    let fields = shapes
        .into_iter()
        .zip(setters.into_iter().zip(clearers))
        .map(|(shape, (setter, clearer))| FormField {
            shape,
            setter,
            clearer,
        })
        .collect();
    RequestForm {
        form: FormDef {
            fields,
            default: all_optional,
        },
        constructor: "new".to_owned(),
    }
}

/// Trait methods that code calls by method or path syntax (`value.clone()`, `value.into()`,
/// `Type::default()`): an inherent setter of the same name would shadow them. (`eq`/`ne` are
/// left alone: `==` does not go through method lookup, and `filter.eq(x)` reads well.)
const TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "hash",
    "serialize",
    "deserialize",
    "default",
    "into",
    "from",
    "try_into",
    "try_from",
    "to_owned",
    "to_string",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// A builder setter is named after its field, or `set_{field}` when that would shadow a trait
/// method.
pub(super) fn setter_name(field: &str) -> String {
    if TRAIT_METHODS.contains(&field) {
        format!("set_{field}")
    } else {
        field.to_owned()
    }
}

/// Which conversions exist, by type id: a fixpoint over the create forms, then the patch forms'
/// check on top of it.
fn conversions(ir: &Ir) -> Vec<Conversions> {
    let create = convertible_creates(ir);
    (0..ir.types.len())
        .map(|id| Conversions {
            create_from_model: create.contains(&id),
            patch_from_model: ir.types[id].patch_name.is_some()
                && patch_convertible(ir, &create, id, &mut BTreeSet::new()),
        })
        .collect()
}

/// Fixpoint: start from every create form and drop those with a field the model lacks (a
/// required write-only field) or whose nested conversion is missing.
fn convertible_creates(ir: &Ir) -> BTreeSet<TypeId> {
    let start = (0..ir.types.len()).filter(|id| ir.types[*id].create_name.is_some());
    shrink_to_fixpoint(start, |kept, id| match &ir.types[id].kind {
        TypeKind::Struct(st) => {
            st.fields.iter().all(|f| field_converts(ir, kept, f))
                && members_convert(ir, kept, st.additional.as_ref())
        }
        kind => nested_convert(ir, kept, kind),
    })
}

/// Fixpoint: the create forms that would repeat their model field for field, so are emitted
/// as `type {Name}Create = {Name}`. Start from every create form and drop those with a field
/// shaped differently (read-only, write-only, optional and nullable), a nested type whose create
/// form is a type of its own, or a model with setters (the create form's methods would clash
/// with them) or a wrapper conversion from itself.
fn creates_same_as_model(ir: &Ir, in_queries: &[bool]) -> BTreeSet<TypeId> {
    let start = (0..ir.types.len())
        .filter(|id| ir.types[*id].create_name.is_some() && !self_wrapper(ir, *id));
    shrink_to_fixpoint(start, |kept, id| {
        let def = &ir.types[id];
        match &def.kind {
            TypeKind::Struct(st) => {
                // In a stable API the model has the constructor and setters the create form
                // would have (same rule, same shapes): the alias shares them.
                let model_setters = !ir.stable_api && in_queries[id] && shapes(st, Form::Model).1;
                !model_setters
                    && st.fields.iter().all(|f| {
                        let (model, create) = (shape(f, Form::Model), shape(f, Form::Create));
                        model == create
                            && (model == Shape::Omitted || ty_convertible(ir, kept, &f.ty))
                    })
                    && members_convert(ir, kept, st.additional.as_ref())
            }
            kind => nested_convert(ir, kept, kind),
        }
    })
}

/// The greatest subset of `start` in which every member passes `keep` against the subset:
/// members that fail are dropped until none does (each fixpoint above starts from every
/// candidate and only ever removes).
fn shrink_to_fixpoint(
    start: impl Iterator<Item = TypeId>,
    keep: impl Fn(&BTreeSet<TypeId>, TypeId) -> bool,
) -> BTreeSet<TypeId> {
    let mut kept: BTreeSet<TypeId> = start.collect();
    loop {
        let snapshot = kept.clone();
        kept.retain(|id| keep(&snapshot, *id));
        if kept.len() == snapshot.len() {
            return kept;
        }
    }
}

/// Whether a struct's extra entries (`additionalProperties`) convert, given the `kept` forms.
fn members_convert(ir: &Ir, kept: &BTreeSet<TypeId>, additional: Option<&TypeRef>) -> bool {
    additional.is_none_or(|t| ty_convertible(ir, kept, t))
}

/// Whether a union's alternatives or an alias's target convert (other kinds have no nested
/// forms), given the `kept` forms.
fn nested_convert(ir: &Ir, kept: &BTreeSet<TypeId>, kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Union(u) => u.variants.iter().all(|v| ty_convertible(ir, kept, &v.ty)),
        TypeKind::Alias(t) => ty_convertible(ir, kept, t),
        _ => true,
    }
}

/// Whether a struct wraps a value of its own type (`From<Self>` would clash with the blanket
/// `From<T> for T` once both forms are one type).
fn self_wrapper(ir: &Ir, id: TypeId) -> bool {
    let def = &ir.types[id];
    match (&def.kind, def.wrapper_field) {
        (TypeKind::Struct(st), Some(index)) => {
            matches!(st.fields.get(index).map(|f| &f.ty), Some(TypeRef::Named(inner)) if *inner == id)
        }
        _ => false,
    }
}

/// Whether a create form's field can be filled from the model.
fn field_converts(ir: &Ir, create: &BTreeSet<TypeId>, field: &Field) -> bool {
    match shape(field, Form::Create) {
        Shape::Omitted => true,
        Shape::Plain if field.write_only => false,
        _ => field.write_only || ty_convertible(ir, create, &field.ty),
    }
}

/// Whether the patch form of `id` can be built from its model (`from_model`, `diff`).
fn patch_convertible(
    ir: &Ir,
    create: &BTreeSet<TypeId>,
    id: TypeId,
    seen: &mut BTreeSet<TypeId>,
) -> bool {
    if !seen.insert(id) {
        return true;
    }
    match &ir.types[id].kind {
        TypeKind::Struct(st) => {
            st.fields
                .iter()
                .filter(|f| !f.read_only && !f.write_only)
                .all(|f| patch_field_convertible(ir, create, &f.ty, seen))
                && st
                    .additional
                    .as_ref()
                    .is_none_or(|t| ty_convertible(ir, create, t))
        }
        TypeKind::Alias(t) => patch_field_convertible(ir, create, t, seen),
        _ => true,
    }
}

/// Whether a patch field of type `ty` can be filled from the model: a nested patch (boxed or
/// not) when it converts, anything else through its create form.
fn patch_field_convertible(
    ir: &Ir,
    create: &BTreeSet<TypeId>,
    ty: &TypeRef,
    seen: &mut BTreeSet<TypeId>,
) -> bool {
    match (ty.layer(), ty.named()) {
        (Some((Layer::Boxed(_), inner)), _) => patch_field_convertible(ir, create, inner, seen),
        (None, Some(id)) if ir.types[id].patch_name.is_some() => {
            patch_convertible(ir, create, id, seen)
        }
        _ => ty_convertible(ir, create, ty),
    }
}

/// Whether a value of `ty` converts into the create form, given the `create` forms that do.
fn ty_convertible(ir: &Ir, create: &BTreeSet<TypeId>, ty: &TypeRef) -> bool {
    ty.named()
        .is_none_or(|id| ir.types[id].create_name.is_none() || create.contains(&id))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::ir::{FormDef, Ir, Shape, TypeDef};
    use crate::{load, Config};

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Members, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: filter, in: query, schema: {$ref: '#/components/schemas/Filter'}}
      responses: {"200": {description: ok}}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses: {"201": {description: ok}}
    patch:
      operationId: patchThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses: {"200": {description: ok}}
  /secrets:
    post:
      operationId: createSecret
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Secret'}
      responses: {"201": {description: ok}}
components:
  schemas:
    Filter:
      type: object
      properties:
        clone: {type: string}
        name: {type: string}
    Thing:
      type: object
      required: [name, diff]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        new: {type: string}
        diff: {type: string}
        note: {type: string, nullable: true}
    Secret:
      type: object
      required: [password]
      properties:
        password: {type: string, writeOnly: true}
    State:
      type: string
      enum: [other, Other, open]
"##;

    fn lower() -> Ir {
        let spec = load::load_str(Path::new("members.yaml"), SPEC.to_owned()).expect("loads");
        Config::new().lower_spec(&spec).expect("lowers").ir
    }

    fn by_name<'a>(ir: &'a Ir, name: &str) -> &'a TypeDef {
        ir.types.iter().find(|t| t.name == name).expect("a type")
    }

    /// `(setter, clearer)` of each field, `-` for none.
    fn methods(form: &FormDef) -> Vec<(&str, &str)> {
        form.fields
            .iter()
            .map(|f| {
                (
                    f.setter.as_deref().unwrap_or("-"),
                    f.clearer.as_deref().unwrap_or("-"),
                )
            })
            .collect()
    }

    const SAME_SPEC: &str = r##"
openapi: 3.0.3
info: {title: Same, version: "1"}
paths:
  /crates:
    post:
      operationId: createCrate
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Crate'}
      responses: {"201": {description: ok}}
  /labelled:
    post:
      operationId: createLabelled
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Labelled'}
      responses: {"201": {description: ok}}
  /filters:
    get:
      operationId: listFilters
      parameters:
        - {name: filter, in: query, schema: {$ref: '#/components/schemas/Filter'}}
      responses: {"200": {description: ok}}
    post:
      operationId: createFilter
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Filter'}
      responses: {"201": {description: ok}}
  /notes:
    post:
      operationId: createNote
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
      responses: {"201": {description: ok}}
components:
  schemas:
    Crate:
      type: object
      required: [label]
      properties:
        label: {$ref: '#/components/schemas/Label'}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
    Labelled:
      type: object
      required: [labels]
      properties:
        labels: {type: array, items: {$ref: '#/components/schemas/Label'}}
    Label:
      type: object
      properties:
        text: {type: string}
    Tag:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
    Filter:
      type: object
      properties:
        name: {type: string}
    Note:
      type: object
      properties:
        text: {type: string, nullable: true}
"##;

    #[test]
    fn create_forms_are_the_model_only_when_nothing_differs() {
        let spec = load::load_str(Path::new("same.yaml"), SAME_SPEC.to_owned()).expect("loads");
        let ir = Config::new().lower_spec(&spec).expect("lowers").ir;
        let same = |name: &str| {
            let def = by_name(&ir, name);
            assert!(def.create_name.is_some(), "{name} has a create form");
            def.create_is_model
        };
        // Every field sent as the model holds it, nested types included.
        assert!(same("Label"));
        assert!(same("Labelled"));
        // A read-only field is left out of the create form, and so is the array holding it.
        assert!(!same("Tag"));
        assert!(!same("Crate"));
        // The model has setters of its own (used in a query).
        assert!(!same("Filter"));
        // Optional and nullable: `Option<T>` in the model, tri-state in the create form.
        assert!(!same("Note"));
    }

    #[test]
    fn builder_setters_do_not_shadow_trait_methods() {
        let ir = lower();
        let model = by_name(&ir, "Filter")
            .forms
            .model
            .as_ref()
            .expect("model form");
        assert_eq!(methods(&model.form), [("set_clone", "-"), ("name", "-")]);
    }

    #[test]
    fn create_forms_name_their_constructor_around_the_fields() {
        let ir = lower();
        let thing = by_name(&ir, "Thing");
        let create = thing.forms.create.as_ref().expect("create form");
        // `new` is a field (and its setter), so the constructor takes the next name.
        assert_eq!(create.constructor, "new2");
        let shapes: Vec<Shape> = create.form.fields.iter().map(|f| f.shape).collect();
        assert_eq!(
            shapes,
            [
                Shape::Omitted,
                Shape::Plain,
                Shape::Optional { skip: true },
                Shape::Plain,
                Shape::TriState
            ]
        );
        assert_eq!(
            methods(&create.form),
            [
                ("-", "-"),
                ("-", "-"),
                ("new", "-"),
                ("-", "-"),
                ("note", "clear_note")
            ]
        );
        assert!(thing.conversions.create_from_model);
    }

    #[test]
    fn patch_forms_keep_their_own_method_names() {
        let ir = lower();
        let thing = by_name(&ir, "Thing");
        let patch = thing.forms.patch.as_ref().expect("patch form");
        assert_eq!(patch.constructor, "new");
        // `new` and `diff` are the patch's own methods: the setters move aside; required keys
        // (`name`, `diff`) cannot be cleared.
        assert_eq!(
            methods(&patch.form),
            [
                ("-", "-"),
                ("name", "-"),
                ("new2", "clear_new"),
                ("diff2", "-"),
                ("note", "clear_note")
            ]
        );
        assert!(thing.conversions.patch_from_model);
    }

    #[test]
    fn a_required_write_only_field_rules_out_from_model() {
        let ir = lower();
        let secret = by_name(&ir, "Secret");
        assert!(secret.create_name.is_some());
        assert!(!secret.conversions.create_from_model);
    }

    #[test]
    fn enums_keep_their_catch_all_name_free() {
        let ir = lower();
        let state = by_name(&ir, "State");
        let crate::ir::TypeKind::StringEnum(def) = &state.kind else {
            panic!("a string enum");
        };
        assert_eq!(def.catch_all, "Other");
        let names: Vec<&str> = def.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert!(!names.contains(&"Other"), "{names:?}");
    }
}
