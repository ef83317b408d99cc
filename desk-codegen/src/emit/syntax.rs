//! Builders for `syn` syntax trees.
//!
//! Emitters build the items that make up most of the output (structs, enums, fields, setters)
//! as `syn` values directly, so that formatting hands them to `prettyplease` as they are. The
//! alternative, `quote!` followed by `syn::parse2`, costs about three quarters of generation
//! time: tokens are allocated once to be written and again to be parsed, and parsing
//! re-discovers a structure the emitter already knew. Irregular, one-off code is still written
//! with `quote!` and kept as `Verbatim` until [`render`](crate::render) parses it.
//!
//! Every builder produces what `syn` itself would parse from the equivalent source, so the
//! printed output is the same either way.

use proc_macro2::{Ident, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, Attribute, Expr, ExprCall, ExprField, ExprLit, ExprMethodCall,
    ExprPath, FieldMutability, FnArg, GenericArgument, ImplItem, ImplItemFn, Item, ItemImpl,
    ItemStruct, Lit, LitStr, Member, Meta, MetaList, MetaNameValue, Pat, PatIdent, PatType, Path,
    PathArguments, PathSegment, Receiver, ReturnType, Signature, Stmt, Type, TypeImplTrait,
    TypeParamBound, TypePath, TypeReference, Visibility,
};

/// An identifier from a name lowering already made valid (a raw `r#name` is accepted too: the
/// runtime path comes from the user's configuration).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A path from `a::b::C` or `::a::b::C` (segments are identifiers, without generics).
pub fn path(text: &str) -> Path {
    let (leading, rest) = match text.strip_prefix("::") {
        Some(rest) => (Some(Default::default()), rest),
        None => (None, text),
    };
    Path {
        leading_colon: leading,
        segments: rest
            .split("::")
            .map(|s| PathSegment::from(ident(s.trim())))
            .collect(),
    }
}

/// `a::b` of a path without generics, as text.
pub fn path_text(path: &syn::Path) -> String {
    let mut text = String::new();
    if path.leading_colon.is_some() {
        text.push_str("::");
    }
    for (index, segment) in path.segments.iter().enumerate() {
        if index > 0 {
            text.push_str("::");
        }
        text.push_str(&segment.ident.to_string());
    }
    text
}

/// `prefix::name` where `prefix` is an already built path.
pub fn join(prefix: &Path, name: &str) -> Path {
    let mut joined = prefix.clone();
    joined.segments.push(PathSegment::from(ident(name)));
    joined
}

/// `path<args>`: generic arguments on the last segment.
pub fn with_args(mut path: Path, args: impl IntoIterator<Item = Type>) -> Path {
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    path
}

/// A type naming `path`.
pub fn path_type(path: Path) -> Type {
    Type::Path(TypePath { qself: None, path })
}

/// A type from `a::b::C` text (no generics).
pub fn named_type(text: &str) -> Type {
    path_type(path(text))
}

/// `path<args>` as a type.
pub fn generic_type(text: &str, args: impl IntoIterator<Item = Type>) -> Type {
    path_type(with_args(path(text), args))
}

/// `impl Trait<arg>` (argument position).
pub fn impl_trait(trait_path: &str, arg: Type) -> Type {
    impl_path(with_args(path(trait_path), [arg]))
}

/// `impl Bound` for one trait bound.
pub fn impl_path(bound: Path) -> Type {
    Type::ImplTrait(TypeImplTrait {
        impl_token: Default::default(),
        bounds: Punctuated::from_iter([TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            modifier: syn::TraitBoundModifier::None,
            lifetimes: None,
            path: bound,
        })]),
    })
}

/// `&ty`.
pub fn reference(ty: Type) -> Type {
    Type::Reference(TypeReference {
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty),
    })
}

/// `#[doc = "line"]`.
pub fn doc(line: &str) -> Attribute {
    outer(Meta::NameValue(MetaNameValue {
        path: path("doc"),
        eq_token: Default::default(),
        value: lit_str(line),
    }))
}

/// `#[name]`.
pub fn attr_word(name: &str) -> Attribute {
    outer(Meta::Path(path(name)))
}

/// `#[name(tokens)]`.
pub fn attr_list(name: &str, tokens: TokenStream) -> Attribute {
    outer(Meta::List(MetaList {
        path: path(name),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens,
    }))
}

fn outer(meta: Meta) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// A string literal expression.
pub fn lit_str(value: &str) -> Expr {
    Expr::Lit(ExprLit {
        attrs: Vec::new(),
        lit: Lit::Str(LitStr::new(value, Span::call_site())),
    })
}

/// An expression naming `path` (`self`, `value`, `Self::Variant`).
pub fn expr_path(path: Path) -> Expr {
    Expr::Path(ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// A local variable or `self`.
pub fn var(name: &str) -> Expr {
    expr_path(path(name))
}

/// `base.name`.
pub fn field(base: Expr, name: &str) -> Expr {
    Expr::Field(ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: Member::Named(ident(name)),
    })
}

/// `receiver.name(args)`.
pub fn method_call(receiver: Expr, name: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(name),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `func(args)`.
pub fn call(func: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `left = right`.
pub fn assign(left: Expr, right: Expr) -> Expr {
    Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(left),
        eq_token: Default::default(),
        right: Box::new(right),
    })
}

/// `a && b && ...` (left-associative, as `syn` parses it); `None` for no operands.
pub fn all_of(operands: impl IntoIterator<Item = Expr>) -> Option<Expr> {
    operands.into_iter().reduce(|left, right| {
        Expr::Binary(syn::ExprBinary {
            attrs: Vec::new(),
            left: Box::new(left),
            op: syn::BinOp::And(Default::default()),
            right: Box::new(right),
        })
    })
}

/// `expr;`.
pub fn semi(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// `expr` as the block's value.
pub fn tail(expr: Expr) -> Stmt {
    Stmt::Expr(expr, None)
}

/// A named struct field.
pub fn named_field(attrs: Vec<Attribute>, public: bool, name: &str, ty: Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: if public {
            Visibility::Public(Default::default())
        } else {
            Visibility::Inherited
        },
        mutability: FieldMutability::None,
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `pub struct Name { fields }`.
pub fn item_struct(attrs: Vec<Attribute>, name: &str, fields: Vec<syn::Field>) -> Item {
    Item::Struct(ItemStruct {
        attrs,
        vis: Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// `impl Name { items }` or `impl Trait for Name { items }`.
pub fn item_impl(trait_path: Option<Path>, self_ty: Type, items: Vec<ImplItem>) -> Item {
    Item::Impl(ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: trait_path.map(|p| (None, p, Default::default())),
        self_ty: Box::new(self_ty),
        brace_token: Default::default(),
        items,
    })
}

/// How a method takes `self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfArg {
    /// An associated function.
    None,
    /// `&self`.
    Ref,
    /// `mut self`.
    MutValue,
}

/// A function in an `impl` block.
pub struct Method {
    /// Outer attributes (docs first).
    pub attrs: Vec<Attribute>,
    /// `pub` or not (trait impls have no visibility).
    pub public: bool,
    /// The name.
    pub name: Ident,
    /// The receiver.
    pub receiver: SelfArg,
    /// `(name, type)` arguments after the receiver.
    pub args: Vec<(Ident, Type)>,
    /// The return type (`None` for `()`).
    pub output: Option<Type>,
    /// The body.
    pub body: Vec<Stmt>,
}

impl Method {
    /// Builds the `impl` item.
    pub fn build(self) -> ImplItem {
        let mut inputs: Punctuated<FnArg, syn::Token![,]> = Punctuated::new();
        match self.receiver {
            SelfArg::None => {}
            SelfArg::Ref => inputs.push(FnArg::Receiver(Receiver {
                attrs: Vec::new(),
                reference: Some((Default::default(), None)),
                mutability: None,
                self_token: Default::default(),
                colon_token: None,
                ty: Box::new(reference(named_type("Self"))),
            })),
            SelfArg::MutValue => inputs.push(FnArg::Receiver(Receiver {
                attrs: Vec::new(),
                reference: None,
                mutability: (self.receiver == SelfArg::MutValue).then(Default::default),
                self_token: Default::default(),
                colon_token: None,
                ty: Box::new(named_type("Self")),
            })),
        }
        for (name, ty) in self.args {
            inputs.push(FnArg::Typed(PatType {
                attrs: Vec::new(),
                pat: Box::new(Pat::Ident(PatIdent {
                    attrs: Vec::new(),
                    by_ref: None,
                    mutability: None,
                    ident: name,
                    subpat: None,
                })),
                colon_token: Default::default(),
                ty: Box::new(ty),
            }));
        }
        ImplItem::Fn(ImplItemFn {
            attrs: self.attrs,
            vis: if self.public {
                Visibility::Public(Default::default())
            } else {
                Visibility::Inherited
            },
            defaultness: None,
            sig: Signature {
                constness: None,
                asyncness: None,
                unsafety: None,
                abi: None,
                fn_token: Default::default(),
                ident: self.name,
                generics: Default::default(),
                paren_token: Default::default(),
                inputs,
                variadic: None,
                output: match self.output {
                    Some(ty) => ReturnType::Type(Default::default(), Box::new(ty)),
                    None => ReturnType::Default,
                },
            },
            block: syn::Block {
                brace_token: Default::default(),
                stmts: self.body,
            },
        })
    }
}

/// Items for a module: built directly, or written with `quote!` and parsed when formatted.
#[derive(Default)]
pub struct Items(pub Vec<Item>);

impl Items {
    /// Adds a built item.
    pub fn push(&mut self, item: Item) {
        self.0.push(item);
    }

    /// Adds items written as tokens (any number; parsed by [`render`](crate::render)).
    pub fn push_tokens(&mut self, tokens: TokenStream) {
        if !tokens.is_empty() {
            self.0.push(Item::Verbatim(tokens));
        }
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Item>) {
        self.0.extend(other);
    }
}

impl IntoIterator for Items {
    type Item = Item;
    type IntoIter = std::vec::IntoIter<Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `Name { field: value, ... }` (a struct literal; `Name` may be `Self`).
pub fn struct_expr<'a>(name: &str, fields: impl IntoIterator<Item = (&'a str, Expr)>) -> Expr {
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(name),
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, expr)| {
                // `name: name` is written `name` (clippy's `redundant_field_names`).
                let shorthand =
                    matches!(&expr, Expr::Path(p) if p.qself.is_none() && p.path.is_ident(name));
                syn::FieldValue {
                    attrs: Vec::new(),
                    member: Member::Named(ident(name)),
                    colon_token: (!shorthand).then(Default::default),
                    expr,
                }
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `|params| body` (parameters are identifiers or `(a, b)` tuples of them).
pub fn closure(params: Vec<Pat>, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        constness: None,
        movability: None,
        asyncness: None,
        capture: None,
        or1_token: Default::default(),
        inputs: params.into_iter().collect(),
        or2_token: Default::default(),
        output: ReturnType::Default,
        body: Box::new(body),
    })
}

/// A binding pattern: `name`.
pub fn pat(name: &str) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: ident(name),
        subpat: None,
    })
}

/// `(a, b, ...)` as a pattern.
pub fn pat_tuple(elems: impl IntoIterator<Item = Pat>) -> Pat {
    Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `Path(elems)` as a pattern (`Some(_)`).
pub fn pat_tuple_struct(path_text: &str, elems: impl IntoIterator<Item = Pat>) -> Pat {
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(path_text),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `(a, b, ...)`.
pub fn tuple(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `&expr`.
pub fn borrow(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `*expr`.
pub fn deref(expr: Expr) -> Expr {
    Expr::Unary(syn::ExprUnary {
        attrs: Vec::new(),
        op: syn::UnOp::Deref(Default::default()),
        expr: Box::new(expr),
    })
}

/// `{ stmts }` as a block.
pub fn block(stmts: Vec<Stmt>) -> syn::Block {
    syn::Block {
        brace_token: Default::default(),
        stmts,
    }
}

/// `{ stmts }` as an expression.
pub fn block_expr(stmts: Vec<Stmt>) -> Expr {
    Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: block(stmts),
    })
}

/// `match scrutinee { arms }`; an arm whose body is a block gets no comma, as `syn` parses it.
pub fn match_expr(scrutinee: Expr, arms: impl IntoIterator<Item = (Pat, Expr)>) -> Expr {
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(scrutinee),
        brace_token: Default::default(),
        arms: arms
            .into_iter()
            .map(|(pat, body)| {
                let comma = (!matches!(body, Expr::Block(_))).then(Default::default);
                syn::Arm {
                    attrs: Vec::new(),
                    pat,
                    guard: None,
                    fat_arrow_token: Default::default(),
                    body: Box::new(body),
                    comma,
                }
            })
            .collect(),
    })
}

/// `let pat = init;` (with `: ty` when given).
pub fn let_stmt(pat: Pat, ty: Option<Type>, init: Expr) -> Stmt {
    let pat = match ty {
        Some(ty) => Pat::Type(PatType {
            attrs: Vec::new(),
            pat: Box::new(pat),
            colon_token: Default::default(),
            ty: Box::new(ty),
        }),
        None => pat,
    };
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat,
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

/// A mutable binding pattern: `mut name`.
pub fn pat_mut(name: &str) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: Some(Default::default()),
        ident: ident(name),
        subpat: None,
    })
}

/// An enum variant: unit, or with one unnamed field of type `field`.
pub fn variant(attrs: Vec<Attribute>, name: &str, field: Option<Type>) -> syn::Variant {
    let fields = match field {
        None => syn::Fields::Unit,
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: Punctuated::from_iter([syn::Field {
                attrs: Vec::new(),
                vis: Visibility::Inherited,
                mutability: FieldMutability::None,
                ident: None,
                colon_token: None,
                ty,
            }]),
        }),
    };
    syn::Variant {
        attrs,
        ident: ident(name),
        fields,
        discriminant: None,
    }
}

/// `pub enum Name { variants }`.
pub fn item_enum(attrs: Vec<Attribute>, name: &str, variants: Vec<syn::Variant>) -> Item {
    Item::Enum(syn::ItemEnum {
        attrs,
        vis: Visibility::Public(Default::default()),
        enum_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        brace_token: Default::default(),
        variants: variants.into_iter().collect(),
    })
}

/// `true` or `false`.
pub fn lit_bool(value: bool) -> Expr {
    Expr::Lit(ExprLit {
        attrs: Vec::new(),
        lit: Lit::Bool(syn::LitBool::new(value, Span::call_site())),
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn paths_keep_leading_colons_and_raw_identifiers() {
        assert_eq!(
            path("::desk_runtime::Patch").to_token_stream().to_string(),
            ":: desk_runtime :: Patch"
        );
        assert_eq!(
            path("crate::r#type::Patch").to_token_stream().to_string(),
            "crate :: r#type :: Patch"
        );
    }

    #[test]
    fn built_nodes_equal_what_syn_parses() {
        let built = generic_type(
            "::std::collections::BTreeMap",
            [
                named_type("String"),
                generic_type("Option", [named_type("i64")]),
            ],
        );
        let parsed: Type = syn::parse_quote!(::std::collections::BTreeMap<String, Option<i64>>);
        assert_eq!(
            built.to_token_stream().to_string(),
            parsed.to_token_stream().to_string()
        );
    }
}
