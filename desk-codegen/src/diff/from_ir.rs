//! Reads the public API model from the IR: the adapter between what lowering decided and what
//! the diff compares, and the one place to change when the IR does.
//!
//! It says what the emitters make of each IR node (which items, fields, variants and methods
//! exist, and their Rust types, through [`emit::ty_syn`]) without building their bodies, so
//! comparing two descriptions costs two loads and two lowerings. `super::tests` checks, for
//! every spec desk owns, that this model equals the one read from the generated code.

use std::collections::{BTreeMap, BTreeSet};

use super::from_rust::type_text;
use super::model::{
    merge_statuses, ApiModel, Endpoint, Field, Item, Method, Presence, Role, Shape, Variant,
};
use crate::emit::{self, EmitOptions, Form};
use crate::ir::{
    BodyForm, BodyKind, EnumDef, FormDef, Ir, ListKind, Operation, Outcome, ParamArg,
    ParamLocation, PartKind, ResponseBody, ResponseDef, Shape as FieldShape, StructDef, TypeDef,
    TypeKind, TypeRef,
};
use crate::locate::escape;
use crate::Parts;

/// The model of what emitting `ir` with `options` gives for `parts`.
pub(crate) fn from_ir(ir: &Ir, options: &EmitOptions, parts: Parts) -> ApiModel {
    let modules = parts.modules();
    let reader = Reader { ir, options };
    let mut model = ApiModel::default();
    for def in &ir.types {
        if modules.contains(&crate::Module::Models) {
            reader.model_form(def, &mut model);
        }
        if modules.contains(&crate::Module::Requests) {
            reader.create_form(def, &mut model);
            reader.patch_form(def, &mut model);
        }
    }
    if modules.contains(&crate::Module::Client) {
        reader.client(&mut model);
    }
    // A stable API marks every struct and enum (`emit::non_exhaustive`).
    for item in model.items.values_mut() {
        item.non_exhaustive =
            ir.stable_api && item.role != Role::Client && !matches!(item.shape, Shape::Alias(_));
    }
    model
}

struct Reader<'a> {
    ir: &'a Ir,
    options: &'a EmitOptions,
}

fn ty(ir: &Ir, ty: &TypeRef, form: Form) -> String {
    type_text(&emit::ty_syn(ir, ty, form))
}

fn item(module: &str, name: &str, role: Role, shape: Shape) -> Item {
    Item {
        module: module.to_owned(),
        name: name.to_owned(),
        role,
        owner: None,
        identity: None,
        pointer: None,
        shape,
        non_exhaustive: false,
        derives: BTreeSet::new(),
        methods: BTreeMap::new(),
    }
}

fn derives(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|d| (*d).to_owned()).collect()
}

fn method(receiver: &str, params: Vec<(String, String)>, output: &str) -> Method {
    Method {
        receiver: receiver.to_owned(),
        params,
        output: output.to_owned(),
        is_async: false,
        endpoint: None,
    }
}

/// A parameter of a method that is not the client's: its name is not part of the API.
fn unnamed(ty: String) -> (String, String) {
    (String::new(), ty)
}

fn insert(model: &mut ApiModel, item: Item) {
    model
        .items
        .insert(format!("{}::{}", item.module, item.name), item);
}

impl Reader<'_> {
    fn struct_derives(&self, default: bool) -> BTreeSet<String> {
        let mut set = derives(&["Debug", "Clone", "PartialEq"]);
        if default {
            set.insert("Default".into());
        }
        for extra in &self.options.extra_derives {
            if let Ok(path) = syn::parse_str::<syn::Path>(extra) {
                let text = type_text(&syn::Type::Path(syn::TypePath { qself: None, path }));
                if !text.contains("serde") {
                    set.insert(text);
                }
            }
        }
        set
    }

    /// The fields `form` keeps, with the flattened map of `additionalProperties` (whose values
    /// are `additional`).
    fn fields(
        &self,
        def: &TypeDef,
        st: &StructDef,
        form_def: &FormDef,
        form: Form,
        additional: Option<String>,
    ) -> Vec<Field> {
        let mut fields: Vec<Field> = form_def
            .kept(st)
            .map(|(field, form_field)| Field {
                name: field.rust_name.clone(),
                ty: type_text(&emit::models::field_ty(
                    self.ir,
                    field,
                    form_field.shape,
                    form,
                )),
                wire: field.wire_name.clone(),
                presence: match form_field.shape {
                    FieldShape::Optional { skip: true } => Presence::Optional,
                    FieldShape::Optional { skip: false } => Presence::Nullable,
                    FieldShape::TriState => Presence::TriState,
                    FieldShape::Plain | FieldShape::Omitted => Presence::Required,
                },
                accessors: BTreeSet::new(),
                pointer: Some(format!(
                    "{}/properties/{}",
                    def.pointer,
                    escape(&field.wire_name)
                )),
            })
            .collect();
        if let Some(values) = additional {
            fields.push(Field {
                name: "additional_properties".into(),
                ty: format!("::std::collections::BTreeMap<String, {values}>"),
                wire: "additional_properties".into(),
                presence: Presence::Required,
                accessors: BTreeSet::new(),
                pointer: Some(format!("{}/additionalProperties", def.pointer)),
            });
        }
        fields
    }

    /// Chained setters of a form whose fields are all optional (`emit::models::setters_impl`).
    fn optional_setters(&self, st: &StructDef, form_def: &FormDef, form: Form, target: &mut Item) {
        if !form_def.default {
            return;
        }
        for (field, form_field) in form_def.kept(st) {
            if let Some(setter) = &form_field.setter {
                self.setter(target, field, setter, form);
            }
        }
    }

    fn setter(&self, target: &mut Item, field: &crate::ir::Field, name: &str, form: Form) {
        let inner = ty(self.ir, &field.ty, form);
        // `emit::models::setter`: a field of type `()` is set without an argument.
        let params = if inner == "()" {
            Vec::new()
        } else {
            vec![unnamed(format!("impl Into<{inner}>"))]
        };
        target
            .methods
            .insert(name.to_owned(), method("mut self", params, "Self"));
        accessor(target, &field.rust_name, name);
    }

    fn clearer(&self, target: &mut Item, field: &crate::ir::Field, name: &str) {
        target
            .methods
            .insert(name.to_owned(), method("mut self", Vec::new(), "Self"));
        accessor(target, &field.rust_name, name);
    }

    /// `def` as `emit::models::emit_type` writes it in `form` (`Model` or `Create`).
    fn type_in_form(&self, def: &TypeDef, form: Form, module: &str, role: Role) -> Option<Item> {
        let name = def.name_in(form);
        let identity = match form {
            Form::Model => def.pointer.clone(),
            Form::Create => format!("{}#create", def.pointer),
            Form::Patch => format!("{}#patch", def.pointer),
        };
        let mut out = match &def.kind {
            TypeKind::Struct(st) => {
                let (form_def, constructor) = match form {
                    Form::Create => def.forms.create.as_ref().map(|create| (&create.form, None)),
                    _ => def
                        .forms
                        .model
                        .as_ref()
                        .map(|model| (&model.form, model.constructor.as_deref())),
                }?;
                let additional = st.additional.as_ref().map(|t| ty(self.ir, t, form));
                let fields = self.fields(def, st, form_def, form, additional);
                let mut out = item(module, name, role, Shape::Struct(fields));
                out.derives = self.struct_derives(form_def.default);
                self.optional_setters(st, form_def, form, &mut out);
                if let Some(constructor) = constructor {
                    self.builder(st, form_def, constructor, form, &mut out);
                }
                out
            }
            TypeKind::StringEnum(values) => {
                let mut out = self.value_enum(def, module, name, role, values, "String");
                out.derives = derives(&[
                    "Debug",
                    "Clone",
                    "PartialEq",
                    "Eq",
                    "Hash",
                    "PartialOrd",
                    "Ord",
                ]);
                out
            }
            TypeKind::IntEnum(values) => {
                let mut out = self.value_enum(def, module, name, role, values, "i64");
                out.derives = derives(&[
                    "Debug",
                    "Clone",
                    "Copy",
                    "PartialEq",
                    "Eq",
                    "Hash",
                    "PartialOrd",
                    "Ord",
                ]);
                out
            }
            TypeKind::Union(union) => {
                let keyword = if def.pointer.contains("anyOf") {
                    "anyOf"
                } else {
                    "oneOf"
                };
                let mut variants: Vec<Variant> = union
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Variant {
                        name: v.rust_name.clone(),
                        payload: (v.payload != crate::ir::VariantPayload::Unit)
                            .then(|| ty(self.ir, &v.ty, form)),
                        pointer: Some(format!("{}/{keyword}/{i}", def.pointer)),
                    })
                    .collect();
                if let (Some(_), Some(catch_all)) = (&union.tag, &union.catch_all) {
                    variants.push(Variant {
                        name: catch_all.clone(),
                        payload: Some("::serde_json::Value".into()),
                        pointer: None,
                    });
                }
                let shape = Shape::Enum {
                    variants,
                    values: false,
                    catch_all: union.tag.as_ref().and(union.catch_all.clone()),
                    wire_order: false,
                };
                let mut out = item(module, name, role, shape);
                out.derives = derives(&["Debug", "Clone", "PartialEq"]);
                out
            }
            TypeKind::Alias(target) => {
                item(module, name, role, Shape::Alias(ty(self.ir, target, form)))
            }
        };
        out.identity = Some(identity);
        out.pointer = Some(def.pointer.clone());
        Some(out)
    }

    #[allow(clippy::too_many_arguments)]
    /// A string or integer enum: its values, then the catch-all holding `held`.
    fn value_enum<V>(
        &self,
        def: &TypeDef,
        module: &str,
        name: &str,
        role: Role,
        values: &EnumDef<V>,
        held: &str,
    ) -> Item {
        let mut variants: Vec<Variant> = values
            .variants
            .iter()
            .enumerate()
            .map(|(i, value)| Variant {
                name: value.rust_name.clone(),
                payload: None,
                pointer: Some(format!("{}/enum/{i}", def.pointer)),
            })
            .collect();
        variants.push(Variant {
            name: values.catch_all.clone(),
            payload: Some(held.to_owned()),
            pointer: None,
        });
        let shape = Shape::Enum {
            variants,
            values: true,
            catch_all: Some(values.catch_all.clone()),
            wire_order: self.ir.enum_order == crate::ir::EnumOrder::Wire,
        };
        item(module, name, role, shape)
    }

    fn model_form(&self, def: &TypeDef, model: &mut ApiModel) {
        if let Some(out) = self.type_in_form(def, Form::Model, "models", Role::Model) {
            insert(model, out);
        }
    }

    /// The create form (`emit::requests`): a struct with its constructor, setters and clearers,
    /// or an alias of the model when it would repeat it.
    fn create_form(&self, def: &TypeDef, model: &mut ApiModel) {
        let Some(name) = def.create_name.as_deref() else {
            return;
        };
        let mut out = if def.create_is_model {
            let mut out = item(
                "requests",
                name,
                Role::Create,
                Shape::Alias(def.name.clone()),
            );
            out.identity = Some(format!("{}#create", def.pointer));
            out.pointer = Some(def.pointer.clone());
            out
        } else {
            match self.type_in_form(def, Form::Create, "requests", Role::Create) {
                Some(out) => out,
                None => return,
            }
        };
        if let (TypeKind::Struct(st), Some(create)) = (&def.kind, &def.forms.create) {
            // A stable API's model has them already, and the alias shares them.
            let model_built = def
                .forms
                .model
                .as_ref()
                .is_some_and(|m| m.constructor.is_some());
            if def.create_is_model && !model_built {
                self.optional_setters(st, &create.form, Form::Create, &mut out);
            }
            if !(def.create_is_model && model_built) {
                self.builder(
                    st,
                    &create.form,
                    &create.constructor,
                    Form::Create,
                    &mut out,
                );
            }
        }
        insert(model, out);
    }

    /// `emit::models::builder`: the constructor with the required fields, the other setters
    /// when there are required fields or the form is a (stable API's) model, and clearers.
    fn builder(
        &self,
        st: &StructDef,
        form_def: &FormDef,
        constructor: &str,
        form: Form,
        out: &mut Item,
    ) {
        let kept: Vec<_> = form_def.kept(st).collect();
        let required: Vec<String> = kept
            .iter()
            .filter(|(f, ff)| ff.shape == FieldShape::Plain && f.ty != TypeRef::Null)
            .map(|(f, _)| format!("impl Into<{}>", ty(self.ir, &f.ty, form)))
            .collect();
        out.methods.insert(
            constructor.to_owned(),
            method("", required.into_iter().map(unnamed).collect(), "Self"),
        );
        for (field, form_field) in &kept {
            if let (true, Some(name)) =
                (!form_def.default || form == Form::Model, &form_field.setter)
            {
                self.setter(out, field, name, form);
            }
            if let Some(name) = &form_field.clearer {
                self.clearer(out, field, name);
            }
        }
    }

    /// The patch form (`emit::requests::patch`).
    fn patch_form(&self, def: &TypeDef, model: &mut ApiModel) {
        let Some(name) = def.patch_name.as_deref() else {
            return;
        };
        let identity = Some(format!("{}#patch", def.pointer));
        let (st, patch) = match (&def.kind, &def.forms.patch) {
            (TypeKind::Struct(st), Some(patch)) => (st, patch),
            (TypeKind::Alias(target), _) => {
                let shape = Shape::Alias(ty(self.ir, target, Form::Patch));
                let mut out = item("requests", name, Role::Patch, shape);
                out.identity = identity;
                out.pointer = Some(def.pointer.clone());
                return insert(model, out);
            }
            _ => return,
        };
        let additional = st
            .additional
            .as_ref()
            .map(|t| format!("Option<{}>", ty(self.ir, t, Form::Create)));
        let fields = self.fields(def, st, &patch.form, Form::Patch, additional);
        let mut out = item("requests", name, Role::Patch, Shape::Struct(fields));
        out.identity = identity;
        out.pointer = Some(def.pointer.clone());
        out.derives = self.struct_derives(patch.form.default);
        out.methods
            .insert(patch.constructor.clone(), method("", Vec::new(), "Self"));
        out.methods
            .insert("is_empty".into(), method("&self", Vec::new(), "bool"));
        for (field, form_field) in patch.form.kept(st) {
            if let Some(setter) = &form_field.setter {
                self.setter(&mut out, field, setter, Form::Patch);
            }
            if let Some(clearer) = &form_field.clearer {
                self.clearer(&mut out, field, clearer);
            }
        }
        if def.conversions.patch_from_model {
            let model_ty = def.name.clone();
            out.methods.insert(
                "from_model".into(),
                method("", vec![unnamed(model_ty.clone())], "Self"),
            );
            let by_ref = format!("&{model_ty}");
            out.methods.insert(
                "diff".into(),
                method("", vec![unnamed(by_ref.clone()), unnamed(by_ref)], "Self"),
            );
        }
        insert(model, out);
    }

    /// The client: server constructors, one method per operation (and its page and stream
    /// methods), and each operation's parameter, body and outcome types; its builder's
    /// methods for the description's API keys.
    fn client(&self, model: &mut ApiModel) {
        let mut builder = item(
            "client",
            "ClientBuilder",
            Role::Client,
            Shape::Struct(Vec::new()),
        );
        builder.derives = derives(&["Debug"]);
        for key in &self.ir.api_keys {
            let params = vec![unnamed("impl Into<rt::Secret>".to_owned())];
            builder
                .methods
                .insert(key.method.clone(), method("self", params, "Self"));
        }
        insert(model, builder);
        let mut client = item("client", "Client", Role::Client, Shape::Struct(Vec::new()));
        client.derives = derives(&["Clone", "Debug"]);
        for server in &self.ir.servers {
            let params = server
                .variables
                .iter()
                .map(|v| (v.rust_name.clone(), "&str".to_owned()))
                .collect();
            client.methods.insert(
                server.constructor.clone(),
                method("", params, "ClientBuilder"),
            );
        }
        for op in &self.ir.operations {
            self.operation(op, &mut client, model);
        }
        insert(model, client);
    }

    fn operation(&self, op: &Operation, client: &mut Item, model: &mut ApiModel) {
        let ir = self.ir;
        let pointer = format!(
            "/paths/{}/{}",
            escape(&op.path),
            op.method.as_str().to_ascii_lowercase()
        );
        let http = format!("{} {}", op.method, op.path);
        let path_params: Vec<_> = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .collect();
        let mut params: Vec<(String, String)> = path_params
            .iter()
            .map(|p| {
                let t = match p.arg {
                    ParamArg::Str => "&str".to_owned(),
                    ParamArg::Owned => ty(ir, &p.ty, Form::Model),
                };
                (p.rust_name.clone(), t)
            })
            .collect();
        if let Some(params_type) = &op.params_type {
            params.push(("params".into(), format!("&{}", params_type.name)));
        }
        if let Some(body) = &op.body {
            params.push(("body".into(), self.body_arg(body)));
        }
        let err = outcome(ir, &op.error, "::std::convert::Infallible");
        let ok = outcome(ir, &op.ok, "()");
        let mut statuses = Vec::new();
        if !op.responses.iter().any(ResponseDef::is_success) {
            statuses.push(Some((200, 299)));
        }
        for r in &op.responses {
            let decoded =
                r.is_success() || matches!(op.error, Outcome::Enum(_)) || r.body().is_some();
            if decoded {
                statuses.push(r.status.map(|c| (c, if r.range { c + 99 } else { c })));
            }
        }
        client.methods.insert(
            op.rust_name.clone(),
            Method {
                receiver: "&self".into(),
                params: params.clone(),
                output: format!("Result<{ok}, rt::Error<{err}>>"),
                is_async: true,
                endpoint: Some(Endpoint {
                    http: http.clone(),
                    public: !op.authenticated,
                    statuses: merge_statuses(statuses),
                    pointer: Some(pointer.clone()),
                }),
            },
        );
        if let Some(pagination) = &op.pagination {
            // As `emit::client::pages` writes them: the operation's arguments, owned.
            let mut paged: Vec<(String, String)> = path_params
                .iter()
                .map(|p| {
                    let t = match p.arg {
                        ParamArg::Str => "&'a str".to_owned(),
                        ParamArg::Owned => ty(ir, &p.ty, Form::Model),
                    };
                    (p.rust_name.clone(), t)
                })
                .collect();
            let lifetime = if path_params.iter().any(|p| p.arg == ParamArg::Str) {
                "'a"
            } else {
                "'static"
            };
            if let Some(params_type) = &op.params_type {
                paged.push(("params".into(), params_type.name.clone()));
            }
            if let Some(body) = &op.body {
                let form = match body.form {
                    BodyForm::Patch => Form::Patch,
                    BodyForm::Create => Form::Create,
                };
                let t = body
                    .ty
                    .as_ref()
                    .map_or_else(|| "::serde_json::Value".to_owned(), |t| ty(ir, t, form));
                let t = if body.required {
                    t
                } else {
                    format!("Option<{t}>")
                };
                paged.push(("body".into(), t));
            }
            let page = match (&pagination.page_variant, &op.ok) {
                (Some(_), Outcome::Enum(name)) => name.clone(),
                _ => ty(ir, &pagination.body_ty, Form::Model),
            };
            let pages = format!("rt::Pages<{lifetime}, {page}, rt::Error<{err}>>");
            let item = ty(ir, &pagination.item_ty, Form::Model);
            let items = format!("rt::Items<{lifetime}, {item}, rt::Error<{err}>>");
            client.methods.insert(
                pagination.pages_method.clone(),
                method("&self", paged.clone(), &pages),
            );
            client.methods.insert(
                pagination.items_method.clone(),
                method("&self", paged, &items),
            );
        }
        let owned = |name: &str, role: Role, shape: Shape, suffix: &str| {
            let mut out = item("client", name, role, shape);
            out.owner = Some(op.rust_name.clone());
            out.identity = Some(format!("{http}#{suffix}"));
            out.pointer = Some(pointer.clone());
            out
        };
        for (outcome_name, success, role, suffix) in [
            (&op.ok, true, Role::Response, "response"),
            (&op.error, false, Role::Error, "error"),
        ] {
            let Outcome::Enum(name) = outcome_name else {
                continue;
            };
            let variants = op
                .responses
                .iter()
                .filter(|r| r.is_success() == success)
                .map(|r| Variant {
                    name: r.rust_name.clone(),
                    payload: r.body().map(|b| body_type(ir, &b)),
                    pointer: Some(format!("{pointer}/responses/{}", status_key(r))),
                })
                .collect();
            let shape = Shape::Enum {
                variants,
                values: false,
                catch_all: None,
                wire_order: false,
            };
            let mut out = owned(name, role, shape, suffix);
            out.derives = derives(&["Debug", "Clone", "PartialEq"]);
            insert(model, out);
        }
        if let Some(params_type) = &op.params_type {
            let name = &params_type.name;
            let query: Vec<_> = op
                .params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
                .collect();
            let mut fields = Vec::new();
            let mut setters = BTreeMap::new();
            let mut required = Vec::new();
            for p in &query {
                let (whole, item_ty) = self.param_type(p);
                let mut accessors = BTreeSet::new();
                if p.required {
                    required.push(unnamed(format!("impl Into<{whole}>")));
                }
                if let Some(setter) = &p.setter {
                    let arg = match &item_ty {
                        Some(item_ty) => format!("impl IntoIterator<Item = impl Into<{item_ty}>>"),
                        None => format!("impl Into<{whole}>"),
                    };
                    setters.insert(
                        setter.clone(),
                        method("mut self", vec![unnamed(arg)], "Self"),
                    );
                    accessors.insert(setter.clone());
                }
                fields.push(Field {
                    name: p.rust_name.clone(),
                    ty: if p.required {
                        whole
                    } else {
                        format!("Option<{whole}>")
                    },
                    wire: p.rust_name.clone(),
                    presence: if p.required {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                    accessors,
                    pointer: Some(format!("{pointer}/parameters")),
                });
            }
            if let Some(constructor) = &params_type.constructor {
                setters.insert(constructor.clone(), method("", required, "Self"));
            }
            let mut out = owned(name, Role::Params, Shape::Struct(fields), "params");
            out.derives = self.struct_derives_plain(params_type.default);
            out.methods = setters;
            insert(model, out);
        }
        if let Some(BodyKind::Multipart(def)) = op.body.as_ref().map(|b| &b.kind) {
            let mut methods = BTreeMap::new();
            let mut required = Vec::new();
            let fields = def
                .parts
                .iter()
                .map(|part| {
                    let held = match &part.kind {
                        PartKind::Text(t) => ty(ir, t, Form::Model),
                        PartKind::Texts(t) => format!("Vec<{}>", ty(ir, t, Form::Model)),
                        PartKind::File => "rt::FilePart".into(),
                        PartKind::Files => "Vec<rt::FilePart>".into(),
                        PartKind::Collection(t, _) => ty(ir, t, Form::Model),
                    };
                    let mut accessors = BTreeSet::new();
                    if let Some(setter) = &part.setter {
                        let arg = unnamed(format!("impl Into<{held}>"));
                        methods.insert(setter.clone(), method("mut self", vec![arg], "Self"));
                        accessors.insert(setter.clone());
                    }
                    if part.required {
                        required.push(unnamed(format!("impl Into<{held}>")));
                    }
                    Field {
                        name: part.rust_name.clone(),
                        ty: if part.required {
                            held
                        } else {
                            format!("Option<{held}>")
                        },
                        wire: part.rust_name.clone(),
                        presence: if part.required {
                            Presence::Required
                        } else {
                            Presence::Optional
                        },
                        accessors,
                        pointer: Some(format!("{pointer}/requestBody")),
                    }
                })
                .collect();
            if let Some(constructor) = &def.constructor {
                methods.insert(constructor.clone(), method("", required, "Self"));
            }
            let mut out = owned(
                &def.name,
                Role::Multipart,
                Shape::Struct(fields),
                "multipart",
            );
            out.derives = self.struct_derives_plain(def.default);
            out.methods = methods;
            insert(model, out);
        }
    }

    /// `Debug, Clone, PartialEq` (and `Default`), without the extra derives (the client's
    /// parameter and multipart structs do not take them).
    fn struct_derives_plain(&self, default: bool) -> BTreeSet<String> {
        let mut set = derives(&["Debug", "Clone", "PartialEq"]);
        if default {
            set.insert("Default".into());
        }
        set
    }

    /// A query or header parameter's type and, for arrays, its item type
    /// (`emit::client::params`), in the collection lowering chose.
    fn param_type(&self, p: &crate::ir::Param) -> (String, Option<String>) {
        match (&p.ty, p.list) {
            (TypeRef::Vec(item_ref), Some(collection)) => {
                let item_ty = ty(self.ir, item_ref, Form::Model);
                let whole = match collection {
                    ListKind::Set => format!("::std::collections::BTreeSet<{item_ty}>"),
                    ListKind::List => format!("Vec<{item_ty}>"),
                };
                (whole, Some(item_ty))
            }
            (other, _) => (ty(self.ir, other, Form::Model), None),
        }
    }

    /// The `body` argument of an operation method (`emit::bodies::request_body`).
    fn body_arg(&self, body: &crate::ir::Body) -> String {
        let wrap = |t: String| {
            if body.required {
                format!("impl Into<{t}>")
            } else {
                format!("Option<{t}>")
            }
        };
        match (&body.kind, &body.ty) {
            (BodyKind::Json | BodyKind::Form, Some(t)) => {
                let form = match body.form {
                    BodyForm::Patch => Form::Patch,
                    BodyForm::Create => Form::Create,
                };
                wrap(ty(self.ir, t, form))
            }
            (BodyKind::Multipart(def), _) if body.required => def.name.clone(),
            (BodyKind::Multipart(def), _) => format!("Option<{}>", def.name),
            (BodyKind::Text, _) => wrap("String".into()),
            _ => wrap("rt::Binary".into()),
        }
    }
}

fn accessor(target: &mut Item, field: &str, method: &str) {
    if let Shape::Struct(fields) = &mut target.shape {
        if let Some(field) = fields.iter_mut().find(|f| f.name == field) {
            field.accessors.insert(method.to_owned());
        }
    }
}

fn outcome(ir: &Ir, outcome: &Outcome, none: &str) -> String {
    match outcome {
        Outcome::None => none.to_owned(),
        Outcome::Body(body) => body_type(ir, body),
        Outcome::Enum(name) => name.clone(),
    }
}

fn body_type(ir: &Ir, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(t) => ty(ir, t, Form::Model),
        ResponseBody::Text => "rt::Text".into(),
        ResponseBody::Binary => "rt::Binary".into(),
    }
}

/// The key of a response in the description: `200`, `4XX` or `default`.
pub(crate) fn status_key(r: &ResponseDef) -> String {
    match r.status {
        None => "default".into(),
        Some(code) if r.range => format!("{}XX", code / 100),
        Some(code) => code.to_string(),
    }
}
