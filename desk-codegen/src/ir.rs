//! The intermediate representation: what the emitters read.
//!
//! Lowering (`crate::lower`) resolves every `$ref`, decides every Rust name once, fixes every
//! ordering and decides every policy of the generated code (each form's field shapes and
//! methods, which conversions exist, how parameters are taken, the arms of each status `match`,
//! the crates each module needs); emitters only walk these structures. Nothing here refers to
//! `openapiv3` types. [`TypeRef`]s are read through one walk ([`TypeRef::fold`], with
//! [`TypeRef::layer`] and [`TypeRef::leaf`]).

/// Index of a [`TypeDef`] in [`Ir::types`].
pub type TypeId = usize;

/// A whole lowered API description.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// Servers in spec order.
    pub servers: Vec<Server>,
    /// Every named type, indexed by [`TypeId`]; emitted sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations sorted by method name.
    pub operations: Vec<Operation>,
    /// The path of the runtime's `Link` type (`::desk_runtime::Link`), which holds the edges
    /// boxed for [`BoxReason::BoundsWalk`].
    pub link_path: String,
    /// The name of the `mock` module's server type (`MockServer`, unless a schema has it).
    pub mock_server: String,
    /// The `apiKey` security schemes the client builder offers, in spec order.
    pub api_keys: Vec<ApiKey>,
    /// The trait that gives the client builder its API-key methods (`ApiKeys`, unless a schema
    /// has the name); `None` without API keys.
    pub api_keys_trait: Option<String>,
    /// The crates each module's code needs (decided from the rest of the IR, once).
    pub needs: ModuleNeeds,
    /// A stable API (`Config::stable_api`): every struct and enum of the API (models, request
    /// forms, parameter and multipart structs, outcome enums) is `#[non_exhaustive]`, and every
    /// struct users build has a constructor and setters (the model's [`ModelForm::constructor`]
    /// and each form's [`FormField::setter`], [`ParamsType::constructor`] and [`Param::setter`],
    /// [`MultipartDef::constructor`] and [`PartDef::setter`]), so that a new optional
    /// property, enum value, tagged-union alternative, status or operation is an addition for
    /// code in other crates.
    pub stable_api: bool,
    /// How open (string and integer) enums are ordered.
    pub enum_order: EnumOrder,
}

/// How open enums implement `PartialOrd` and `Ord`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EnumOrder {
    /// Derived: the declaration order (the description's), which a new value changes.
    #[default]
    Declaration,
    /// By wire value (the runtime's `wire_order!`), so that a new value changes no comparison:
    /// a stable API's.
    Wire,
}

/// An `apiKey` security scheme: a builder method that sets the key.
#[derive(Debug, Clone)]
pub struct ApiKey {
    /// The scheme's name in the description.
    pub scheme: String,
    /// The builder method's name, unique among the builder's methods.
    pub method: String,
    /// The header or query parameter the key goes in.
    pub name: String,
    /// Where it goes.
    pub location: KeyLocation,
    /// `description`.
    pub docs: Option<String>,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
}

/// The crates a module of generated code needs besides `serde` (which every type derives).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `desk-runtime`: open enums' macros, `Patch`, guarded and tagged unions' helpers, the
    /// client.
    pub runtime: bool,
    /// `serde_json`: `Value` fallbacks, tagged unions' catch-alls and encoding, guarded unions'
    /// decoding (the runtime's macro expands to `::serde_json` paths).
    pub serde_json: bool,
    /// `chrono`: dates and date-times.
    pub chrono: bool,
    /// The runtime's `link` feature: the module holds a `Link` (see `lower::nesting`).
    pub link: bool,
    /// The runtime's `Patch` by its name: the module has tri-state fields, and imports it.
    pub patch: bool,
}

impl Needs {
    /// What either needs.
    pub fn and(self, other: Needs) -> Needs {
        Needs {
            runtime: self.runtime || other.runtime,
            serde_json: self.serde_json || other.serde_json,
            chrono: self.chrono || other.chrono,
            link: self.link || other.link,
            patch: self.patch || other.patch,
        }
    }
}

/// What each module of the generated code needs (see [`Needs`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModuleNeeds {
    /// The `models` module.
    pub models: Needs,
    /// The `requests` module.
    pub requests: Needs,
    /// The `client` module.
    pub client: Needs,
    /// The `mock` module.
    pub mock: Needs,
}

impl ModuleNeeds {
    /// What `module` needs.
    pub fn of(&self, module: Module) -> Needs {
        match module {
            Module::Models => self.models,
            Module::Requests => self.requests,
            Module::Client => self.client,
            Module::Mock => self.mock,
        }
    }
}

impl Ir {
    /// Types in emission order: sorted by Rust name (names are unique).
    pub fn types_in_order(&self) -> Vec<&TypeDef> {
        let mut sorted: Vec<&TypeDef> = self.types.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        sorted
    }

    /// Type ids in emission order (see [`Ir::types_in_order`]).
    pub fn ids_in_order(&self) -> Vec<TypeId> {
        let mut ids: Vec<TypeId> = (0..self.types.len()).collect();
        ids.sort_by(|a, b| self.types[*a].name.cmp(&self.types[*b].name));
        ids
    }

    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id]
    }

    /// Whether a value of `ty` held in `form` is of another type than in the model form, so a
    /// model value needs converting (decided per named type by lowering:
    /// [`TypeDef::differs_in`]).
    pub fn differs(&self, ty: &TypeRef, form: Form) -> bool {
        let (leaf, form) = ty.leaf_in(form);
        leaf.named().is_some_and(|id| self.ty(id).differs_in(form))
    }
}

/// A module of the generated code. Each is rendered, printed and dropped before the next one
/// is built, in this order (each uses the ones before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// `models`: the API's types as the server sends them.
    Models,
    /// `requests`: `*Create` and `*Patch` request bodies.
    Requests,
    /// `client`: the async client.
    Client,
    /// `mock`: typed mocks of the API for tests (see [`Config::mock_feature`](crate::Config::mock_feature)).
    Mock,
}

impl Module {
    /// The module's name in the generated code (and its file's stem): `models`.
    pub fn name(self) -> &'static str {
        match self {
            Module::Models => "models",
            Module::Requests => "requests",
            Module::Client => "client",
            Module::Mock => "mock",
        }
    }

    /// The module's doc line, as its declaration carries it.
    pub(crate) fn doc(self) -> &'static str {
        match self {
            Module::Models => " Models: the API's types as the server sends them.",
            Module::Requests => " Request bodies: `*Create` types for POST/PUT and `*Patch` types (tri-state fields) for PATCH.",
            Module::Client => " The async client: one method per operation.",
            Module::Mock => " Typed mocks of the API for tests: a mock server with one method per operation.",
        }
    }
}

/// A server URL with `{variables}`.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL template.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
    /// Variables with their defaults, in spec order.
    pub variables: Vec<ServerVariable>,
    /// The name of the client's constructor for this server (from the `x-desk-constructor`
    /// extension, else `for_{variables}` or `for_server_{index}`), unique among the client's
    /// methods.
    pub constructor: String,
    /// The URL template split into text and variables, once.
    pub url_parts: Vec<UrlPart>,
}

/// Text or a variable in a server URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlPart {
    /// Text copied as is (braces that name no variable included).
    Text(String),
    /// The index into [`Server::variables`] of a variable.
    Variable(usize),
}

/// One `{name}` of a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// The name inside the braces.
    pub name: String,
    /// The Rust parameter name.
    pub rust_name: String,
    /// The default value.
    pub default: String,
    /// Whether the URL template names it (a declared variable it does not name is accepted
    /// and ignored).
    pub in_url: bool,
}

/// A named Rust type the emitters produce.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name of the model (response) form: `UpperCamelCase`, unique.
    pub name: String,
    /// Where the schema is in the spec, as a JSON pointer (for docs and diagnostics).
    pub pointer: String,
    /// Documentation from `title`/`description`.
    pub docs: Option<String>,
    /// What the type is.
    pub kind: TypeKind,
    /// The name of the `{Name}Patch` form, when a PATCH body reaches this type.
    pub patch_name: Option<String>,
    /// The name of the `{Name}Create` form, when a POST/PUT body reaches this type.
    pub create_name: Option<String>,
    /// The create form is the model under another name (`pub type {Name}Create = {Name};`):
    /// no field is left out or held differently, no nested type differs and the model has no
    /// methods of its own, so lowering found nothing a separate struct would add and no
    /// conversion is needed between the two.
    pub create_is_model: bool,
    /// How a position of the create form names this type (see [`TypeDef::name_in`]).
    pub in_create: FormUse,
    /// How a position of the patch form names this type (see [`TypeDef::name_in`]).
    pub in_patch: FormUse,
    /// `readOnly: true` on the component schema itself: every use of it is read-only,
    /// including arrays and maps of it (see `lower::forms::read_only_collections`).
    pub read_only: bool,
    /// For a struct used as a request body: the index (in [`StructDef::fields`]) of the one
    /// field a value of its own type can be wrapped into (`{"conversation": {...}}`), so the
    /// request forms get `From<Inner>`. Set when that field is the only writable one, or the only
    /// required one while every other writable field is optional, and is of a named type.
    pub wrapper_field: Option<usize>,
    /// For structs: each form's field shapes and member names (see [`StructForms`]).
    pub forms: StructForms,
    /// Which conversions from the model form exist (decided by a fixpoint in lowering).
    pub conversions: Conversions,
}

/// A struct's three forms. `model` is set for every struct; `create` and `patch` when the
/// type has that form (`create_name`, `patch_name`).
#[derive(Debug, Clone, Default)]
pub struct StructForms {
    /// The model (response) form.
    pub model: Option<ModelForm>,
    /// The `{Name}Create` form.
    pub create: Option<RequestForm>,
    /// The `{Name}Patch` form.
    pub patch: Option<RequestForm>,
}

/// A struct in one form: how each field is held and what its methods are called.
#[derive(Debug, Clone, Default)]
pub struct FormDef {
    /// One entry per [`StructDef::fields`] entry, in the same order.
    pub fields: Vec<FormField>,
    /// Every field the form keeps is optional: the form derives `Default`, and its setters
    /// are all it needs (a constructor takes no argument).
    pub default: bool,
}

/// The model form of a struct: its fields, and its constructor in a stable API.
#[derive(Debug, Clone, Default)]
pub struct ModelForm {
    /// How each field is held and what its methods are called.
    pub form: FormDef,
    /// The constructor, taking the required fields: only in a stable API ([`Ir::stable_api`]),
    /// where the model is built as the create form is (`new`, or the next free name).
    pub constructor: Option<String>,
}

/// A request form (create or patch) of a struct: its fields and its constructor.
#[derive(Debug, Clone, Default)]
pub struct RequestForm {
    /// How each field is held and what its methods are called.
    pub form: FormDef,
    /// The constructor's name: `new`, or the next free name when a field's method takes it.
    pub constructor: String,
}

/// How positions of one request form write a named type, decided once by lowering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormUse {
    /// The Rust name: the form's own type when the type has one, else the closest form that
    /// exists (a patch position takes the create form, then the model).
    pub name: String,
    /// Whether that is another type than the model (a model value needs converting to be used
    /// there); `false` when the form is the model or an alias of it (`create_is_model`).
    pub differs: bool,
}

impl TypeDef {
    /// The Rust name this type is written with in a position of `form`.
    pub fn name_in(&self, form: Form) -> &str {
        match form {
            Form::Model => &self.name,
            Form::Create => &self.in_create.name,
            Form::Patch => &self.in_patch.name,
        }
    }

    /// Whether values of this type in `form` are of another type than in the model form.
    pub fn differs_in(&self, form: Form) -> bool {
        match form {
            Form::Model => false,
            Form::Create => self.in_create.differs,
            Form::Patch => self.in_patch.differs,
        }
    }

    /// How the struct field at `index` is held in the model form ([`Shape::Omitted`] when the
    /// form leaves it out, or the type has no model form).
    pub fn model_shape(&self, index: usize) -> Shape {
        self.forms
            .model
            .as_ref()
            .and_then(|model| model.form.fields.get(index))
            .map_or(Shape::Omitted, |field| field.shape)
    }
}

impl FormDef {
    /// The fields this form keeps, with their shapes and names.
    pub fn kept<'a>(
        &'a self,
        st: &'a StructDef,
    ) -> impl Iterator<Item = (&'a Field, &'a FormField)> {
        st.fields
            .iter()
            .zip(&self.fields)
            .filter(|(_, form)| form.shape != Shape::Omitted)
    }
}

/// One field in one form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// How the field is held.
    pub shape: Shape,
    /// The chained setter, when the form has one for this field.
    pub setter: Option<String>,
    /// The `clear_*` method (sets `null`), when the form has one for this field.
    pub clearer: Option<String>,
}

/// Which form of a named type a position uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The model (response) type.
    Model,
    /// The create (POST/PUT body) type: read-only fields left out.
    Create,
    /// The patch type: every field tri-state.
    Patch,
}

impl Form {
    /// The form of values inside arrays and maps of this form: a patch replaces them whole.
    pub fn replaced(self) -> Form {
        match self {
            Form::Patch => Form::Create,
            other => other,
        }
    }
}

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

/// Which conversions from a type's model form its request forms get.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conversions {
    /// `impl From<Model> for {Name}Create`: every writable field of the model converts (a
    /// required `writeOnly` field cannot: the model does not have it).
    pub create_from_model: bool,
    /// `{Name}Patch::from_model` and `{Name}Patch::diff`: every writable field converts.
    pub patch_from_model: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with named fields.
    Struct(StructDef),
    /// A string enum; unknown values are kept in its catch-all variant (`Other(String)`).
    StringEnum(EnumDef<String>),
    /// An integer enum; unknown values are kept in its catch-all variant (`Other(i64)`).
    IntEnum(EnumDef<i64>),
    /// `oneOf`/`anyOf`: an untagged enum (or tagged, with a discriminator).
    Union(UnionDef),
    /// A newtype over another type (a named schema that is not an object or enum).
    Alias(TypeRef),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Fields in spec order (merged through `allOf`).
    pub fields: Vec<Field>,
    /// `additionalProperties`: a flattened map next to the fields.
    pub additional: Option<TypeRef>,
    /// The Rust name of the field holding the `additional` map (`additional_properties`),
    /// kept free when the fields are named.
    pub additional_name: String,
}

/// One property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name: `snake_case`, not a keyword clash, unique within the struct.
    pub rust_name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Documentation from the property's description.
    pub docs: Option<String>,
    /// The value type (never an `Option`: optionality is in `required`/`nullable`).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true` (or a 3.1 `null` type).
    pub nullable: bool,
    /// `readOnly: true`: the server owns it; absent from create and patch types.
    pub read_only: bool,
    /// `writeOnly: true`: absent from the model type.
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
}

impl Field {
    /// Whether a patch may clear the field (send `null`): a key that is required and not
    /// nullable may be left out of a patch but never set to `null`, so it has no `clear_*`.
    pub fn clearable(&self) -> bool {
        !self.required || self.nullable
    }

    /// The wire name serde renames the field from, when it is not the Rust name.
    pub fn renamed_from(&self) -> Option<&str> {
        (self.rust_name != self.wire_name).then_some(self.wire_name.as_str())
    }
}

/// An open enum: the values the description lists, and the variant that keeps any other.
#[derive(Debug, Clone)]
pub struct EnumDef<V> {
    /// The listed values, in spec order.
    pub variants: Vec<EnumVariant<V>>,
    /// The catch-all variant (`Other`: lowering keeps the name free when naming the values),
    /// which holds an unlisted value as sent, so it re-serialises unchanged.
    pub catch_all: String,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant<V> {
    /// The Rust variant name: `UpperCamelCase`, unique.
    pub rust_name: String,
    /// The value on the wire.
    pub value: V,
    /// The value's description, where the spec gives one.
    pub docs: Option<String>,
}

/// A `oneOf`/`anyOf`.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// Variants in spec order.
    pub variants: Vec<UnionVariant>,
    /// The tag property of an internally tagged enum: `discriminator.propertyName` when present
    /// and usable, or the property every alternative pins to its own single string value.
    pub tag: Option<String>,
    /// For a tagged union, the catch-all variant that keeps an unknown tag's object as JSON
    /// (`Unknown`, or the next free name).
    pub catch_all: Option<String>,
    /// For an untagged union whose alternatives have guards, the alternatives to try, in
    /// order, with the parts of their guards each try checks; empty when serde's untagged
    /// derive (every alternative in spec order) decodes the union as it should.
    pub attempts: Vec<Attempt>,
}

/// One try of an untagged union's decoding: an alternative, when the value passes these parts
/// of its [`VariantGuard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// The alternative (an index into [`UnionDef::variants`]).
    pub variant: usize,
    /// The JSON type the value must have (`None`: any).
    pub json: Option<JsonKind>,
    /// Whether every key of the object must be one the alternative knows
    /// ([`VariantGuard::known`]).
    pub known: bool,
    /// Whether the alternative's string-enum properties must hold listed values
    /// ([`VariantGuard::listed`]).
    pub listed: bool,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The discriminator value, for tagged unions.
    pub tag_value: Option<String>,
    /// The alternative's type.
    pub ty: TypeRef,
    /// What a value must look like before an untagged union tries this alternative.
    pub guard: VariantGuard,
    /// Whether the alternative's own type holds the tag property; when not (an inline
    /// alternative of an implicitly tagged union), the union writes the tag when encoding.
    pub tag_in_object: bool,
    /// What the variant holds of the alternative's object.
    pub payload: VariantPayload,
    /// The alternative's description, for a variant without a struct of its own (whose docs
    /// would carry it).
    pub docs: Option<String>,
}

/// What a union variant holds of its alternative's object. Inline alternatives of an
/// implicitly tagged union that carry nothing but the tag, or the tag and one property, hold
/// no struct of their own (`DiskState::Creating`, `Datum::Bool(bool)`): the union reads and
/// writes the tag and that property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantPayload {
    /// The whole object, as the variant's type (`ty`).
    Object,
    /// Nothing: the object is `{tag: value}` (a unit variant; `ty` is [`TypeRef::Null`]).
    Unit,
    /// The value of this one required property: the object is `{tag: value, property: ty}`.
    Property(String),
}

/// What a JSON value must look like before an untagged union tries an alternative, so that an
/// alternative does not take the instances of another (serde's untagged enums take the first
/// alternative that decodes: an object with only optional fields decodes from `[]`, and a
/// string enum with a catch-all variant takes any value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariantGuard {
    /// The JSON type the alternative decodes from (`None`: any).
    pub json: Option<JsonKind>,
    /// Properties whose value, when present, must be one of the listed strings (the
    /// alternative's string-enum properties). A value none lists still decodes, after every
    /// alternative that lists it has been tried.
    pub listed: Vec<(String, Vec<String>)>,
    /// The property names of an object alternative without extra entries: an object whose
    /// keys are all among them is tried here first, before any alternative that would have
    /// to ignore some of its keys.
    pub known: Option<Vec<String>>,
    /// The alternative keeps every key of any object (a `serde_json::Value` fallback, a map,
    /// a struct with `additionalProperties`, or a union holding one): an object that an
    /// alternative with `known` keys would have to trim is tried here first.
    pub keeps_any_object: bool,
}

/// A JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// An object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
}

/// A reference to a type, as fields, items and parameters use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A named type.
    Named(TypeId),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8`..`u64`, by Rust name.
    Int(IntKind),
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// A date-time with an offset.
    DateTime,
    /// A calendar date.
    Date,
    /// Any JSON value.
    Json,
    /// A JSON object with any keys.
    JsonMap,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `T` held behind a pointer (`Box<T>`, or `desk_runtime::Link<T>`), for the reason given
    /// (see `lower::nesting`).
    Boxed(Box<TypeRef>, BoxReason),
    /// `Option<T>`: a nullable schema inside a container (an array item, a map value, an
    /// untagged union's alternative), where `null` is one of the values. Fields carry their own
    /// nullability instead (`Field::nullable`).
    Nullable(Box<TypeRef>),
    /// `()`: a schema whose only value is `null` (`enum: [null]`); serde maps `()` to `null`.
    Null,
}

/// Why lowering put an edge behind a pointer; the reason also decides which pointer
/// ([`BoxReason::holder`]). The rules are in the module docs of `lower::nesting`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BoxReason {
    /// The edge closes a cycle of types held inline: without it a type would contain itself.
    ClosesCycle,
    /// A chain of types held inline would pass the inline depth bound here.
    BoundsDepth,
    /// Rustc's checks that walk every type a value owns (drop-check, `Send` and `Sync`) would
    /// pass their recursion limit through this edge: the walk stops at a `Link`.
    BoundsWalk,
}

/// What holds a boxed edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// `Box<T>`.
    Box,
    /// `desk_runtime::Link<T>`: a box whose drop-check and auto traits do not look inside.
    Link,
}

impl BoxReason {
    /// The pointer type that holds an edge boxed for this reason.
    pub fn holder(self) -> Holder {
        match self {
            BoxReason::ClosesCycle | BoxReason::BoundsDepth => Holder::Box,
            BoxReason::BoundsWalk => Holder::Link,
        }
    }
}

/// A layer a [`TypeRef`] puts around another: what `Vec`, maps, pointers and `Option` add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// `Vec<T>`.
    Vec,
    /// `BTreeMap<String, T>`.
    Map,
    /// `Box<T>` or `Link<T>`, for this reason.
    Boxed(BoxReason),
    /// `Option<T>`.
    Nullable,
}

impl Layer {
    /// The form of what this layer holds, when the layer is held in `form`: arrays and maps are
    /// replaced whole, so a patch holds their values in the create form.
    pub fn inner_form(self, form: Form) -> Form {
        match self {
            Layer::Vec | Layer::Map => form.replaced(),
            Layer::Boxed(_) | Layer::Nullable => form,
        }
    }
}

/// The one walk over a [`TypeRef`]: a reference is a chain of [`Layer`]s around a leaf (a named
/// type or a scalar), so every question about one is asked of its outer layer, of its leaf, or
/// of each layer from the leaf out ([`TypeRef::fold`]).
impl TypeRef {
    /// The outer layer and what it holds; `None` for a leaf.
    pub fn layer(&self) -> Option<(Layer, &TypeRef)> {
        match self {
            TypeRef::Vec(inner) => Some((Layer::Vec, inner)),
            TypeRef::Map(inner) => Some((Layer::Map, inner)),
            TypeRef::Boxed(inner, reason) => Some((Layer::Boxed(*reason), inner)),
            TypeRef::Nullable(inner) => Some((Layer::Nullable, inner)),
            _ => None,
        }
    }

    /// The leaf inside every layer.
    pub fn leaf(&self) -> &TypeRef {
        self.leaf_in(Form::Model).0
    }

    /// The leaf inside every layer, and the form it is held in when `self` is held in `form`.
    pub fn leaf_in(&self, form: Form) -> (&TypeRef, Form) {
        let (mut ty, mut form) = (self, form);
        while let Some((layer, inner)) = ty.layer() {
            (ty, form) = (inner, layer.inner_form(form));
        }
        (ty, form)
    }

    /// The leaf inside every layer, to change it.
    pub fn leaf_mut(&mut self) -> &mut TypeRef {
        match self {
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Boxed(inner, _)
            | TypeRef::Nullable(inner) => inner.leaf_mut(),
            leaf => leaf,
        }
    }

    /// The named type at the leaf, when the leaf is one.
    pub fn named(&self) -> Option<TypeId> {
        match self.leaf() {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// Folds the reference from the leaf out: `leaf` maps the leaf (given the form it is held
    /// in), then `wrap` maps each layer (given the form the layer is held in) around what its
    /// contents gave.
    pub fn fold<T>(
        &self,
        form: Form,
        leaf: impl FnOnce(&TypeRef, Form) -> T,
        mut wrap: impl FnMut(Layer, Form, T) -> T,
    ) -> T {
        let mut layers = Vec::new();
        let (mut ty, mut form) = (self, form);
        while let Some((layer, inner)) = ty.layer() {
            layers.push((layer, form));
            (ty, form) = (inner, layer.inner_form(form));
        }
        let mut folded = leaf(ty, form);
        for (layer, form) in layers.into_iter().rev() {
            folded = wrap(layer, form, folded);
        }
        folded
    }
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `u8`
    U8,
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`
    U64,
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The Rust method name: `snake_case` of the operationId (or method + path), unique.
    pub rust_name: String,
    /// The operationId, when the spec gives one.
    pub operation_id: Option<String>,
    /// The name of the operation in `tracing` spans and the mock's API table: its operationId,
    /// else its method name.
    pub span_name: String,
    /// The HTTP method.
    pub method: http::Method,
    /// The path template as written (`/things/{id}.json`), which names the operation in
    /// `tracing` spans.
    pub path: String,
    /// The path template split into literal text and parameters, once: the client spells the
    /// path out piece by piece and never parses the template. Empty when the template has no
    /// parameters (it is the path).
    pub path_parts: Vec<PathPart>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Path, query and header parameters in spec order (path first).
    pub params: Vec<Param>,
    /// The request body, when any.
    pub body: Option<Body>,
    /// Documented responses, sorted by status: exact codes, then ranges (`4XX`), then
    /// `default`.
    pub responses: Vec<ResponseDef>,
    /// The arms of the `match` on the response status, in order (see [`StatusArm`]).
    pub arms: Vec<StatusArm>,
    /// The `Accept` header when a documented response is not JSON: the documented media types,
    /// in status order, without repeats (`None`: the client's default, `application/json`).
    pub accept: Option<String>,
    /// Whether the operation needs credentials (`security: []` turns them off).
    pub authenticated: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The struct of query and header parameters, when the operation has any.
    pub params_type: Option<ParamsType>,
    /// What a documented success returns.
    pub ok: Outcome,
    /// What a documented error carries in `Error::Api`.
    pub error: Outcome,
    /// List-endpoint pagination, when detected.
    pub pagination: Option<Pagination>,
    /// The names of the operation's mock (see [`OperationMock`]).
    pub mock: OperationMock,
}

/// The names the `mock` module gives one operation, decided after every other name (so they
/// never change one): its server method, its *when* and *then* types and their typed methods.
/// The fixed methods those types get from the runtime's macros are reserved in their scopes.
#[derive(Debug, Clone, Default)]
pub struct OperationMock {
    /// The mock server's method (the client method's name unless the server has one such).
    pub method: String,
    /// `{Stem}When`: what a request must carry.
    pub when_type: String,
    /// `{Stem}Then`: what the mock answers.
    pub then_type: String,
    /// One per [`Operation::params`] entry: the *when* method that matches it.
    pub param_methods: Vec<String>,
    /// The *when* methods that match the body (none for a multipart body).
    pub body_methods: Option<BodyMethods>,
    /// One per [`Operation::responses`] entry: the *then* method that answers it.
    pub response_methods: Vec<ResponseMethod>,
    /// The headers the responses document, each once (the first documentation wins).
    pub headers: Vec<MockHeader>,
}

/// The *then* method that answers one documented response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMethod {
    /// The method's name.
    pub name: String,
    /// The content type a text or binary answer is sent with: the documented media type, or
    /// for a wildcard one (`text/*`, `*/*`) `text/plain` or `application/octet-stream`.
    pub media_type: String,
}

/// The *when* methods that match a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyMethods {
    /// Matches the body exactly (`body`).
    pub exact: String,
    /// Matches JSON bodies that decode and satisfy a predicate (`body_matching`).
    pub matching: Option<String>,
}

/// A documented response header and the *then* method that sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockHeader {
    /// The header's name.
    pub wire_name: String,
    /// The *then* method.
    pub method: String,
    /// How the method takes the value.
    pub arg: ParamArg,
    /// The value type.
    pub ty: TypeRef,
    /// The header's description.
    pub docs: Option<String>,
}

/// The type an operation's successes (or errors) are returned as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing: `()` for successes without a body, `Infallible` when no error has a body type.
    None,
    /// The one body every documented success (or error with a body) has.
    Body(ResponseBody),
    /// An enum named here with one variant per documented response (`{Stem}Response`,
    /// `{Stem}Error`).
    Enum(String),
}

/// The struct of an operation's query and header parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsType {
    /// Its Rust name (`{Stem}Params`), unique among types.
    pub name: String,
    /// Every parameter is optional: the struct is `Default` and has a chained setter per
    /// parameter ([`Param::setter`]).
    pub default: bool,
    /// The constructor, taking the required query and header parameters (stable API only, see
    /// [`Ir::stable_api`]; a setter per optional parameter then too).
    pub constructor: Option<String>,
}

/// One arm of an operation's `match` on the response status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusArm {
    /// The statuses it matches, each an inclusive range (`(404, 404)` for one code, `(400,
    /// 499)` for `4XX`; adjacent codes that decode alike share an arm, as one range); `None`
    /// for every other status (`_`).
    pub statuses: Option<Vec<(u16, u16)>>,
    /// What the arm returns.
    pub returns: ArmReturn,
}

/// What an arm of the status `match` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArmReturn {
    /// The documented success at this index of [`Operation::responses`] (the first of those the
    /// arm covers: they decode alike), decoded into the `Ok` outcome.
    Success(usize),
    /// The same for a documented error response, decoded into the error outcome.
    Failure(usize),
    /// `Ok(())`: no success is documented (`responses: {}`, or errors only), so any `2XX`
    /// means the call worked.
    AnySuccess,
    /// An unexpected status (`Error::UnexpectedStatus`): the last arm, unless a `default`
    /// response takes every other status.
    Unexpected,
}

/// Literal text or a parameter in a path template.
#[derive(Debug, Clone)]
pub enum PathPart {
    /// Text copied as is.
    Literal(String),
    /// The index into [`Operation::params`] of a path parameter.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// How a parameter value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamEncoding {
    /// `style: form` / `simple`: scalars as text; arrays comma-separated unless exploded.
    Plain {
        /// `explode: true` for arrays: repeat the key.
        explode: bool,
    },
    /// An array written as the [`Collection`] says: every array in a path, and a query or
    /// header array whose format the default `form`/`simple` style does not give (3.0's
    /// `spaceDelimited` and `pipeDelimited`, Swagger 2.0's `ssv`, `tsv` and `pipes`, arrays
    /// nested in arrays).
    Collection(Collection),
    /// `content: application/json`: the value serialised as JSON text.
    Json,
}

/// How the items of an array parameter or form field go on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// Each item under the parameter's name (`multi`, `explode: true`), rather than one joined
    /// value.
    pub explode: bool,
    /// What joins the items of each level that is not exploded, outermost first.
    pub delimiters: Vec<Delimiter>,
}

/// What joins the items of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `,` (`csv`, `form`/`simple` with `explode: false`).
    Comma,
    /// ` ` (`ssv`, `spaceDelimited`).
    Space,
    /// A tab (`tsv`).
    Tab,
    /// `|` (`pipes`, `pipeDelimited`).
    Pipe,
}

impl Delimiter {
    /// The delimiter's text.
    pub fn text(self) -> &'static str {
        match self {
            Delimiter::Comma => ",",
            Delimiter::Space => " ",
            Delimiter::Tab => "\t",
            Delimiter::Pipe => "|",
        }
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// The Rust field/argument name, unique within the operation.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// How it is written.
    pub encoding: ParamEncoding,
    /// The value type.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub docs: Option<String>,
    /// How the client's method takes it (path parameters).
    pub arg: ParamArg,
    /// How the values of an array parameter are held; `None` when `ty` is not an array.
    pub list: Option<ListKind>,
    /// The chained setter of the parameters struct, when it has setters
    /// ([`ParamsType::default`], or an optional parameter of a stable API): named after the field, or `set_{field}` when that would
    /// shadow a trait method code calls on the struct (`params.clone()`).
    pub setter: Option<String>,
}

/// How a method takes a value it only reads: a client method its path parameters, a mock's
/// *then* method the value of a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamArg {
    /// A string, borrowed: `&str`.
    Str,
    /// The value, owned: `T` (numbers, enums: cheap to copy or clone).
    Owned,
}

/// How the values of an array parameter are held (how they go on the wire is its
/// [`ParamEncoding`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `Vec<T>`, in the caller's order.
    List,
    /// `BTreeSet<T>`: `uniqueItems: true` with items that have a total order, so duplicates
    /// cannot be expressed and the order on the wire is fixed.
    Set,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The media type chosen (JSON preferred).
    pub media_type: String,
    /// How the body is encoded, decided from the media type (see [`BodyKind`]).
    pub kind: BodyKind,
    /// The type the body is written from (for JSON and urlencoded bodies).
    pub ty: Option<TypeRef>,
    /// JSON pointer of the body's schema (for JSON bodies), after following a `$ref` to
    /// `components/requestBodies`.
    pub schema_pointer: Option<String>,
    /// Which write form of named types the body uses.
    pub form: BodyForm,
    /// For a urlencoded form: the array fields whose items are not each sent under the
    /// field's name (3.0's default), and how they are sent instead (from
    /// `encoding.{field}.style`/`explode`, or Swagger 2.0's `collectionFormat`).
    pub form_collections: Vec<(String, Collection)>,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub docs: Option<String>,
}

/// How a request body is encoded, by media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` or any `+json` type with a schema: [`Body::ty`] as JSON.
    Json,
    /// `application/x-www-form-urlencoded` with a schema: [`Body::ty`] (an object) as
    /// `key=value` pairs (OpenAPI's default `style: form`, `explode: true`).
    Form,
    /// `multipart/form-data` with an object schema: one part per property.
    Multipart(MultipartDef),
    /// `text/*`: a `String`.
    Text,
    /// Any other media type (`application/octet-stream`, `image/png`, `*/*`), or a JSON or
    /// form body without a schema: bytes, with the content type the caller gives or the
    /// description's.
    Binary,
}

/// The request type of a `multipart/form-data` body: one field per part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartDef {
    /// The Rust name of the struct (`{Stem}Multipart`), unique among types.
    pub name: String,
    /// Parts in property order.
    pub parts: Vec<PartDef>,
    /// Every part is optional: the struct is `Default`.
    pub default: bool,
    /// The constructor, taking the required parts (stable API only, see [`Ir::stable_api`]).
    pub constructor: Option<String>,
}

/// One property of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDef {
    /// The part name on the wire (the property name).
    pub wire_name: String,
    /// The Rust field name, unique within the struct.
    pub rust_name: String,
    /// Documentation from the property's description.
    pub docs: Option<String>,
    /// What the part holds.
    pub kind: PartKind,
    /// Listed in `required`.
    pub required: bool,
    /// `encoding.{property}.contentType`, when the description gives one.
    pub content_type: Option<String>,
    /// The chained setter of an optional part (stable API only).
    pub setter: Option<String>,
}

/// What one multipart property holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A text part: strings as they are, numbers and booleans as JSON notation, objects as
    /// JSON (`application/json`).
    Text(TypeRef),
    /// An array of values: one text part per item, under the property's name.
    Texts(TypeRef),
    /// A `format: binary` string: a file part (`FilePart`: bytes, file name, content type).
    File,
    /// An array of `format: binary` strings: one file part per file.
    Files,
    /// An array (the field's type) whose items go in parts as the [`Collection`] says (Swagger
    /// 2.0's `collectionFormat` of a formData parameter: one part holding the items joined, or
    /// one part per item with nested arrays joined).
    Collection(TypeRef, Collection),
}

/// Which form of a schema a request body uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyForm {
    /// PATCH: every field tri-state, read-only fields left out.
    Patch,
    /// POST/PUT/...: read-only fields left out.
    Create,
}

impl BodyForm {
    /// The form of named types the body is written in.
    pub fn form(self) -> Form {
        match self {
            BodyForm::Patch => Form::Patch,
            BodyForm::Create => Form::Create,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct ResponseDef {
    /// The status code, or `None` for `default`; for a range (`4XX`) its first code.
    pub status: Option<u16>,
    /// Whether `status` stands for a range of a hundred codes (`4XX`).
    pub range: bool,
    /// The Rust variant name for this status (`Ok`, `Created`, `BadRequest`, `Status418`).
    pub rust_name: String,
    /// The JSON body type, when documented.
    pub ty: Option<TypeRef>,
    /// What the body holds, by media type (see [`ResponseContent`]).
    pub content: ResponseContent,
    /// The media type whose schema was read (JSON preferred), when the response has content.
    pub media_type: Option<String>,
    /// JSON pointer of the body's schema (for JSON bodies), after following a `$ref` to
    /// `components/responses`.
    pub schema_pointer: Option<String>,
    /// `description`.
    pub docs: Option<String>,
    /// The headers the response documents, in spec order.
    pub headers: Vec<ResponseHeader>,
}

/// A header a response documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHeader {
    /// The header's name.
    pub wire_name: String,
    /// The value type (text for a schema that is not a scalar or a reference).
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub docs: Option<String>,
}

impl ResponseDef {
    /// What the client returns of the body: typed JSON, text or bytes (`None`: nothing).
    pub fn body(&self) -> Option<ResponseBody> {
        match self.content {
            ResponseContent::Json => self.ty.clone().map(ResponseBody::Json),
            ResponseContent::Text => Some(ResponseBody::Text),
            ResponseContent::Binary => Some(ResponseBody::Binary),
            ResponseContent::None => None,
        }
    }

    /// A documented success (`1XX`–`3XX`).
    pub fn is_success(&self) -> bool {
        self.status.is_some_and(|s| (100..400).contains(&s))
    }
}

/// What a response's body reaches the caller as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// JSON decoded into the type.
    Json(TypeRef),
    /// The text with its content type (the runtime's `Text`).
    Text,
    /// The bytes with their content type (the runtime's `Binary`).
    Binary,
}

/// What a response body holds, by the media type the description gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseContent {
    /// No content, or JSON content without a schema: nothing is decoded.
    None,
    /// JSON (`application/json`, any `+json` type) with a schema: [`ResponseDef::ty`].
    Json,
    /// `text/*`: the text with its content type.
    Text,
    /// Any other media type: the bytes with their content type.
    Binary,
}

/// How a list operation pages (decided by `lower::pagination`, whose module docs list the
/// rules): what the next request changes, where the items are, what says "no more", and the
/// names of the two methods. The runtime (`desk_runtime::client::Paging`) walks it.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The rule that decided it (for docs and the corpus report).
    pub rule: PageRule,
    /// What the next request changes.
    pub next: PageNext,
    /// The success body type (a struct, or an array when the body is the list).
    pub body_ty: TypeRef,
    /// When the operation has several documented successes (GitHub's `200` and `304`): the
    /// variant of its success enum that holds `body_ty`. Pages are then the enum, and a page
    /// of another variant holds no items.
    pub page_variant: Option<String>,
    /// The fields from the body to its array of items; empty when the body is the array.
    pub items: Vec<PageField>,
    /// The item type.
    pub item_ty: TypeRef,
    /// Booleans that say "more pages follow", in order of preference (wire-name paths).
    pub more: Vec<Vec<String>>,
    /// Booleans that say "this is the last page" (wire-name paths).
    pub done: Vec<Vec<String>>,
    /// Where the page gives the number of items in the whole list.
    pub total_items: Option<PageSource>,
    /// Where the page gives the number of pages.
    pub total_pages: Option<PageSource>,
    /// The query parameter (wire name) that sets the page size.
    pub page_size: Option<String>,
    /// Token walks: the only query parameters (wire names) the next requests keep.
    pub keep_only: Option<Vec<String>>,
    /// Next links: query parameters (wire names) added to a link that lacks them.
    pub carry: Vec<String>,
    /// The method that yields whole bodies page after page (`{operation}_pages`).
    pub pages_method: String,
    /// The method that yields the items page after page (`{operation}_stream`).
    pub items_method: String,
}

/// What the next request of a page walk changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageNext {
    /// Page numbers in this query parameter (wire name), from `first` when the first request
    /// sends none.
    Number {
        /// The query parameter.
        param: String,
        /// The first page's number.
        first: i64,
    },
    /// An offset in this query parameter, advanced by the items received.
    Offset {
        /// The query parameter.
        param: String,
        /// The first item's offset, when the first request sends none (0, or 1).
        start: u64,
    },
    /// A token from the page, sent back.
    Token {
        /// Where the page gives it.
        from: PageSource,
        /// What carries it.
        to: PageTarget,
    },
    /// A field (wire name) of the page's last item, sent as the next request's `to`.
    LastItem {
        /// The item's field.
        field: String,
        /// What carries it.
        to: PageTarget,
    },
    /// A URL from the page, fetched with `GET`.
    Link {
        /// Where the page gives it.
        from: PageSource,
    },
}

/// Where a page says something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageSource {
    /// A body field, by the wire names from the root.
    Body(Vec<String>),
    /// A response header.
    Header(String),
    /// The `rel="next"` target of the `Link` header.
    LinkHeader,
}

/// What carries a token into the next request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageTarget {
    /// A query parameter (wire name).
    Query(String),
    /// A request header.
    Header(String),
}

/// The documented rule that decided an operation's pagination, in the order the rules are
/// tried (see `lower::pagination`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageRule {
    /// `Config::pagination`.
    Config,
    /// The `x-desk-pagination` extension.
    DeskExtension,
    /// Azure's `x-ms-pageable`.
    MsPageable,
    /// Dropshot's `x-dropshot-pagination`.
    Dropshot,
    /// Speakeasy's `x-speakeasy-pagination`.
    Speakeasy,
    /// A token (cursor) in the body or a header, and a parameter to send it back.
    Token,
    /// Stripe's `starting_after`: the last item's id, while `has_more` says so.
    LastItem,
    /// A next link in the body.
    NextLink,
    /// A documented RFC 8288 `Link` response header.
    LinkHeader,
    /// Offset and limit parameters.
    Offset,
    /// Page numbers.
    PageNumber,
}

impl PageRule {
    /// The rule's name in reports and docs.
    pub fn name(self) -> &'static str {
        match self {
            PageRule::Config => "Config::pagination",
            PageRule::DeskExtension => "x-desk-pagination",
            PageRule::MsPageable => "x-ms-pageable",
            PageRule::Dropshot => "x-dropshot-pagination",
            PageRule::Speakeasy => "x-speakeasy-pagination",
            PageRule::Token => "body or header token",
            PageRule::LastItem => "last item id (starting_after)",
            PageRule::NextLink => "next link in the body",
            PageRule::LinkHeader => "Link header",
            PageRule::Offset => "offset and limit",
            PageRule::PageNumber => "page numbers",
        }
    }
}

impl Pagination {
    /// A one-line account for reports: `token body:nextPageToken -> query:pageToken; items
    /// items; more meta.has_more`.
    pub fn summary(&self) -> String {
        let source = |s: &PageSource| match s {
            PageSource::Body(path) => format!("body:{}", path.join(".")),
            PageSource::Header(name) => format!("header:{name}"),
            PageSource::LinkHeader => "Link".to_owned(),
        };
        let target = |t: &PageTarget| match t {
            PageTarget::Query(name) => format!("query:{name}"),
            PageTarget::Header(name) => format!("header:{name}"),
        };
        let mut text = match &self.next {
            PageNext::Number { param, first } => format!("page query:{param} from {first}"),
            PageNext::Offset { param, start } => format!("offset query:{param} from {start}"),
            PageNext::Token { from, to } => format!("token {} -> {}", source(from), target(to)),
            PageNext::LastItem { field, to } => format!("last item .{field} -> {}", target(to)),
            PageNext::Link { from } => format!("link {}", source(from)),
        };
        let items: Vec<&str> = self.items.iter().map(|f| f.wire_name.as_str()).collect();
        text.push_str(&format!(
            "; items {}",
            if items.is_empty() {
                "(body)".to_owned()
            } else {
                items.join(".")
            }
        ));
        for more in &self.more {
            text.push_str(&format!("; more {}", more.join(".")));
        }
        for done in &self.done {
            text.push_str(&format!("; done {}", done.join(".")));
        }
        if let Some(total) = &self.total_items {
            text.push_str(&format!("; total items {}", source(total)));
        }
        if let Some(total) = &self.total_pages {
            text.push_str(&format!("; total pages {}", source(total)));
        }
        text
    }
}

impl PageNext {
    /// The style's name in reports.
    pub fn style(&self) -> &'static str {
        match self {
            PageNext::Number { .. } => "page number",
            PageNext::Offset { .. } => "offset",
            PageNext::Token { .. } => "token",
            PageNext::LastItem { .. } => "last item",
            PageNext::Link {
                from: PageSource::LinkHeader,
            } => "Link header",
            PageNext::Link { .. } => "next link",
        }
    }
}

/// One field on the way from a list body to its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageField {
    /// The Rust field name.
    pub rust_name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Whether the model form holds it in an `Option` (not required, or nullable).
    pub optional: bool,
}
