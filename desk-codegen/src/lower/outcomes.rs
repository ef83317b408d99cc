//! What an operation's method does with a response, decided once: the arms of its `match` on
//! the status, and the `Accept` header it sends.
//!
//! The arms go exact codes first, then ranges (`4XX`), then `default` (the order
//! [`Operation::responses`](crate::ir::Operation::responses) is sorted in). Neighbours that
//! decode alike share an arm, their codes joined into ranges where adjacent (clippy's
//! `manual_range_patterns`); an error without a body when the errors are one body type has no
//! arm (it is unexpected). When no success is documented (`responses: {}`, or errors only), any
//! `2XX` means the call worked: an arm `200..=299` returns `Ok(())`. Any other status is
//! unexpected, unless a `default` response takes it.

use crate::ir::{ArmReturn, Outcome, ResponseBody, ResponseContent, ResponseDef, StatusArm};

/// What an arm returns, for telling whether neighbours decode alike: the side, and either the
/// outcome enum's variant (never shared) or the kind of body decoded.
#[derive(Debug, PartialEq, Eq)]
enum Decoded<'a> {
    Variant(&'a str),
    Success(BodyKind),
    Error(BodyKind),
}

#[derive(Debug, PartialEq, Eq)]
enum BodyKind {
    None,
    Json,
    Text,
    Binary,
}

fn body_kind(response: &ResponseDef) -> BodyKind {
    match response.body() {
        None => BodyKind::None,
        Some(ResponseBody::Json(_)) => BodyKind::Json,
        Some(ResponseBody::Text) => BodyKind::Text,
        Some(ResponseBody::Binary) => BodyKind::Binary,
    }
}

/// The arms of the status `match` of an operation with these `responses` (sorted) and
/// outcomes (see the module docs).
pub(super) fn status_arms(
    responses: &[ResponseDef],
    ok: &Outcome,
    error: &Outcome,
) -> Vec<StatusArm> {
    let mut arms: Vec<(StatusArm, Option<Decoded>)> = Vec::new();
    if !responses.iter().any(ResponseDef::is_success) {
        let arm = StatusArm {
            statuses: Some(vec![(200, 299)]),
            returns: ArmReturn::AnySuccess,
        };
        arms.push((arm, None));
    }
    let mut wildcard = false;
    for (index, response) in responses.iter().enumerate() {
        let outcome = if response.is_success() { ok } else { error };
        let returns = if response.is_success() {
            ArmReturn::Success(index)
        } else {
            ArmReturn::Failure(index)
        };
        let decoded = match (outcome, response.is_success(), body_kind(response)) {
            (Outcome::Enum(_), _, _) => Decoded::Variant(&response.rust_name),
            (_, true, kind) => Decoded::Success(kind),
            // An error without a body is unexpected when the errors are not an enum.
            (_, false, BodyKind::None) => continue,
            (_, false, kind) => Decoded::Error(kind),
        };
        let codes = response.status.map(|code| {
            let last = if response.range { code + 99 } else { code };
            (code, last)
        });
        let Some((first, last)) = codes else {
            wildcard = true;
            let arm = StatusArm {
                statuses: None,
                returns,
            };
            arms.push((arm, Some(decoded)));
            continue;
        };
        match arms.last_mut() {
            Some((previous, Some(seen))) if *seen == decoded && previous.statuses.is_some() => {
                let statuses = previous.statuses.get_or_insert_with(Vec::new);
                match statuses.last_mut() {
                    Some((_, end)) if *end + 1 == first => *end = last,
                    _ => statuses.push((first, last)),
                }
            }
            _ => {
                let arm = StatusArm {
                    statuses: Some(vec![(first, last)]),
                    returns,
                };
                arms.push((arm, Some(decoded)));
            }
        }
    }
    let mut arms: Vec<StatusArm> = arms.into_iter().map(|(arm, _)| arm).collect();
    if !wildcard {
        arms.push(StatusArm {
            statuses: None,
            returns: ArmReturn::Unexpected,
        });
    }
    arms
}

/// The `Accept` header when a documented response is not JSON: the media types of the
/// documented responses, in status order, without repeats.
pub(super) fn accept(responses: &[ResponseDef]) -> Option<String> {
    let other = responses
        .iter()
        .any(|r| matches!(r.content, ResponseContent::Text | ResponseContent::Binary));
    if !other {
        return None;
    }
    let mut media_types: Vec<&str> = Vec::new();
    for media in responses.iter().filter_map(|r| r.media_type.as_deref()) {
        if !media_types.contains(&media) {
            media_types.push(media);
        }
    }
    Some(media_types.join(", "))
}
