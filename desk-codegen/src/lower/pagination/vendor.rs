//! Rules 2 to 4: the vendor extensions that say how an operation pages. Each returns the
//! decision, `None` when the extension says the operation does not page, or why the extension
//! does not fit the operation (a warning).

use serde_json::Value;

use super::body::{wire_path, ValueKind};
use super::{Candidate, Decision};
use crate::ir::{PageNext, PageRule, PageSource, PageTarget};

/// A vendor rule: the extension's value in, the decision out.
pub(super) type Rule = for<'a> fn(&Candidate<'a>, &Value) -> Result<Option<Decision<'a>>, String>;

/// A body field at `path` (dotted wire names) of one of `kinds`, as a source.
fn body_field(
    candidate: &Candidate<'_>,
    path: &str,
    kinds: &[ValueKind],
) -> Result<PageSource, String> {
    let body = candidate
        .body
        .as_ref()
        .ok_or("the success response is not one JSON body")?;
    let chain = body
        .dotted(path)
        .ok_or_else(|| format!("the success body has no field `{path}`"))?;
    let kind = body.kind(&chain.last().expect("a chain has a field").field.ty);
    if !kinds.contains(&kind) {
        let what = if kinds.contains(&ValueKind::Int) {
            "a string or an integer"
        } else {
            "a string"
        };
        return Err(format!("`{path}` is not {what}"));
    }
    Ok(PageSource::Body(wire_path(&chain)))
}

/// `x-ms-pageable: {nextLinkName, itemName}`.
pub(super) fn ms_pageable<'a>(
    candidate: &Candidate<'a>,
    value: &Value,
) -> Result<Option<Decision<'a>>, String> {
    let next_link = match value.get("nextLinkName") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(name)) => name,
        Some(_) => return Err("`nextLinkName` is not a string".into()),
    };
    let item_name = value
        .get("itemName")
        .and_then(Value::as_str)
        .unwrap_or("value");
    let items = candidate
        .items(Some(item_name))
        .ok_or_else(|| format!("the success body has no array `{item_name}`"))?;
    let from = body_field(candidate, next_link, &[ValueKind::Text])?;
    Ok(Some(Decision::new(
        PageRule::MsPageable,
        PageNext::Link { from },
        items,
    )))
}

/// `x-dropshot-pagination: true` or `{required: [...]}`: `next_page` → `page_token`.
pub(super) fn dropshot<'a>(
    candidate: &Candidate<'a>,
    value: &Value,
) -> Result<Option<Decision<'a>>, String> {
    if value == &Value::Bool(false) {
        return Ok(None);
    }
    let items = candidate
        .items(Some("items"))
        .ok_or("the success body has no array `items`")?;
    let from = body_field(candidate, "next_page", &[ValueKind::Text])?;
    if candidate.query_param("page_token").is_none() {
        return Err("the operation has no query parameter `page_token`".into());
    }
    let mut keep: Vec<String> = candidate
        .query_param("limit")
        .map(|p| p.wire_name.clone())
        .into_iter()
        .collect();
    if let Some(required) = value.get("required").and_then(Value::as_array) {
        keep.extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    let mut decision = Decision::new(
        PageRule::Dropshot,
        PageNext::Token {
            from,
            to: PageTarget::Query("page_token".into()),
        },
        items,
    );
    decision.keep_only = Some(keep);
    Ok(Some(decision))
}

/// A `$.a.b` path of `outputs` as dotted wire names.
fn json_path(path: &str) -> Result<&str, String> {
    let dotted = path
        .strip_prefix("$.")
        .ok_or_else(|| format!("the output path `{path}` does not start with `$.`"))?;
    if dotted.contains(['[', '*']) {
        return Err(format!(
            "the output path `{path}` is not a plain `$.a.b` path"
        ));
    }
    Ok(dotted)
}

/// `x-speakeasy-pagination: {type: offsetLimit | cursor | url, inputs, outputs}`.
pub(super) fn speakeasy<'a>(
    candidate: &Candidate<'a>,
    value: &Value,
) -> Result<Option<Decision<'a>>, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let outputs = value.get("outputs");
    let output = |name: &str| outputs.and_then(|o| o.get(name)).and_then(Value::as_str);
    let mut inputs = Vec::new();
    for input in value
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = input
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let role = input
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match input.get("in").and_then(Value::as_str) {
            Some("parameters") if candidate.query_param(name).is_some() => {
                inputs.push((role, name.to_owned()));
            }
            Some("parameters") => {
                return Err(format!("the operation has no query parameter `{name}`"))
            }
            _ => return Err(format!("the input `{name}` is not a parameter (inputs in the request body are not supported)")),
        }
    }
    let input = |role: &str| {
        inputs
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, name)| name.clone())
    };
    let results = output("results").map(json_path).transpose()?;
    let items = candidate
        .items(results)
        .ok_or("the success body has no array of results")?;
    let (next, rule_size) = match kind {
        "offsetLimit" => match (input("offset"), input("page")) {
            (Some(param), _) => (PageNext::Offset { param, start: 0 }, input("limit")),
            (None, Some(param)) => (PageNext::Number { param, first: 1 }, input("limit")),
            (None, None) => return Err("an offsetLimit input needs `offset` or `page`".into()),
        },
        "cursor" => {
            let param = input("cursor").ok_or("a cursor input needs `cursor`")?;
            let path =
                json_path(output("nextCursor").ok_or("a cursor output needs `nextCursor`")?)?;
            let from = body_field(candidate, path, &[ValueKind::Text, ValueKind::Int])?;
            (
                PageNext::Token {
                    from,
                    to: PageTarget::Query(param),
                },
                None,
            )
        }
        "url" => {
            let path = json_path(output("nextUrl").ok_or("a url output needs `nextUrl`")?)?;
            let from = body_field(candidate, path, &[ValueKind::Text])?;
            (PageNext::Link { from }, None)
        }
        other => {
            return Err(format!(
                "the type `{other}` is not offsetLimit, cursor or url"
            ))
        }
    };
    let mut decision = Decision::new(PageRule::Speakeasy, next, items);
    decision.page_size = rule_size;
    if let Some(pages) = output("numPages") {
        decision.total_pages = Some(body_field(
            candidate,
            json_path(pages)?,
            &[ValueKind::Int, ValueKind::Text],
        )?);
    }
    Ok(Some(decision))
}
