//! What an operation method returns: the outcome types, the `match` on the status (one arm per
//! [`StatusArm`] lowering ordered), and the enums of several documented responses.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::bodies::body_type;
use crate::emit::{docs, ident};
use crate::ir::{ArmReturn, Ir, Operation, Outcome, ResponseBody, ResponseDef, StatusArm};

/// The type an outcome is returned as (`none` when there is nothing to return).
pub(super) fn outcome_type(ir: &Ir, outcome: &Outcome, none: TokenStream) -> TokenStream {
    match outcome {
        Outcome::None => none,
        Outcome::Body(body) => body_type(ir, body),
        Outcome::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The `match` on the status, arm by arm; a lone "unexpected" needs no `match` (a lone `_`
/// arm is a clippy warning).
pub(super) fn decode(op: &Operation) -> TokenStream {
    if let [only] = op.arms.as_slice() {
        if only.statuses.is_none() && only.returns == ArmReturn::Unexpected {
            return quote!(response.unexpected());
        }
    }
    let arms = op.arms.iter().map(|arm| {
        let value = arm_value(op, arm);
        let patterns: Vec<TokenStream> = match &arm.statuses {
            None => vec![quote!(_)],
            Some(ranges) => ranges.iter().map(|range| status_pattern(*range)).collect(),
        };
        quote!(#(#patterns)|* => #value)
    });
    quote! {
        match response.status.as_u16() {
            #(#arms,)*
        }
    }
}

/// `404`, or `500..=599`.
fn status_pattern((first, last): (u16, u16)) -> TokenStream {
    let first_literal = Literal::u16_unsuffixed(first);
    if first == last {
        first_literal.into_token_stream()
    } else {
        let last = Literal::u16_unsuffixed(last);
        quote!(#first_literal..=#last)
    }
}

/// What an arm returns: the documented response decoded into the operation's outcome.
fn arm_value(op: &Operation, arm: &StatusArm) -> TokenStream {
    match arm.returns {
        ArmReturn::AnySuccess => quote!(Ok(())),
        ArmReturn::Unexpected => quote!(response.unexpected()),
        ArmReturn::Success(index) => success_value(&op.ok, &op.responses[index]),
        ArmReturn::Failure(index) => error_value(&op.error, &op.responses[index]),
    }
}

fn success_value(ok: &Outcome, response: &ResponseDef) -> TokenStream {
    match (ok, response.body()) {
        (Outcome::Enum(name), Some(ResponseBody::Json(_))) => {
            let variant = variant(name, &response.rust_name);
            quote!(response.json_into(#variant))
        }
        (Outcome::Enum(name), Some(body)) => {
            let variant = variant(name, &response.rust_name);
            let value = unparsed(&body);
            quote!(Ok(#variant(#value)))
        }
        (Outcome::Enum(name), None) => {
            let variant = variant(name, &response.rust_name);
            quote!(Ok(#variant))
        }
        (_, Some(ResponseBody::Json(_))) => quote!(response.json()),
        (_, Some(body)) => {
            let value = unparsed(&body);
            quote!(Ok(#value))
        }
        (_, None) => quote!(Ok(())),
    }
}

fn error_value(error: &Outcome, response: &ResponseDef) -> TokenStream {
    match (error, response.body()) {
        (Outcome::Enum(name), Some(ResponseBody::Json(_))) => {
            let variant = variant(name, &response.rust_name);
            quote!(response.error_into(#variant))
        }
        (Outcome::Enum(name), Some(body)) => {
            let variant = variant(name, &response.rust_name);
            let value = unparsed(&body);
            quote!(response.error(#variant(#value)))
        }
        (Outcome::Enum(name), None) => {
            let variant = variant(name, &response.rust_name);
            quote!(response.error(#variant))
        }
        (_, Some(ResponseBody::Json(_))) => quote!(response.error_json()),
        (_, Some(body)) => {
            let value = unparsed(&body);
            quote!(response.error(#value))
        }
        // Lowering gives an error without a body no arm unless the errors are an enum.
        (_, None) => quote!(response.unexpected()),
    }
}

/// A text or binary body as it came, with its content type (JSON bodies are decoded instead).
fn unparsed(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Text => quote!(rt::decode_text(&response)),
        _ => quote!(rt::decode_binary(&response)),
    }
}

fn variant(enum_name: &str, variant: &str) -> TokenStream {
    let (enum_name, variant) = (ident(enum_name), ident(variant));
    quote!(#enum_name::#variant)
}

/// The enums of an operation's outcomes, when it has several documented successes or error
/// bodies: one variant per documented response (holding its body, when typed).
pub(super) fn outcome_enums(ir: &Ir, op: &Operation) -> Vec<TokenStream> {
    let mut enums = Vec::new();
    if let Outcome::Enum(name) = &op.ok {
        let doc = format!(
            " The documented successful responses of `{}`.",
            op.rust_name
        );
        let successes = op.responses.iter().filter(|r| r.is_success());
        enums.push(outcome_enum(ir, name, &doc, successes));
    }
    if let Outcome::Enum(name) = &op.error {
        let doc = format!(" The documented error responses of `{}`.", op.rust_name);
        let errors = op.responses.iter().filter(|r| !r.is_success());
        enums.push(outcome_enum(ir, name, &doc, errors));
    }
    enums
}

/// An enum with one variant per documented response (holding its body, when typed).
fn outcome_enum<'a>(
    ir: &Ir,
    name: &str,
    doc: &str,
    responses: impl Iterator<Item = &'a ResponseDef>,
) -> TokenStream {
    let variants = responses.map(|r| {
        let attrs = docs(r.docs.as_deref());
        let name = ident(&r.rust_name);
        let body = r.body().map(|body| {
            let ty = body_type(ir, &body);
            quote!((#ty))
        });
        quote!(#(#attrs)* #name #body)
    });
    let name = ident(name);
    let non_exhaustive = super::super::non_exhaustive(ir);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #non_exhaustive
        pub enum #name {
            #(#variants,)*
        }
    }
}
