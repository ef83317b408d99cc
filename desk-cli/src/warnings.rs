//! Warnings a person can read: each kind once, with a count and the first locations.
//!
//! A spec can produce thousands of warnings of the same kind (AWS's descriptions give one per
//! property written a certain way). Printing each in full buries the few that matter, so the
//! commands group them: warnings with the same [`DiagnosticKind`] and the same message once the
//! parts quoted in backticks (names of schemas, fields, …) are blanked out are one group,
//! printed once with its count, the first [`SHOWN`] locations and the help. `-v` prints every
//! location. Groups come in the order of their first warning, so output is deterministic.

use std::fmt::Write as _;

use desk_codegen::{Diagnostic, DiagnosticKind};

/// Locations printed per group unless verbose.
pub const SHOWN: usize = 3;

/// Warnings of one kind.
pub struct Group<'a> {
    /// The first warning (its message and help stand for the group).
    pub first: &'a Diagnostic,
    /// Every warning of the group, in the generator's order.
    pub members: Vec<&'a Diagnostic>,
}

/// The grouping key: the kind and the message with every `` `quoted` `` part blanked.
fn key(diagnostic: &Diagnostic) -> (DiagnosticKind, String) {
    let mut template = String::with_capacity(diagnostic.message.len());
    let mut quoted = false;
    for ch in diagnostic.message.chars() {
        if ch == '`' {
            if !quoted {
                template.push_str("`…`");
            }
            quoted = !quoted;
        } else if !quoted {
            template.push(ch);
        }
    }
    (diagnostic.kind, template)
}

/// Groups `warnings` by kind (see the module docs), in order of first appearance.
pub fn group(warnings: &[Diagnostic]) -> Vec<Group<'_>> {
    let mut index: std::collections::HashMap<(DiagnosticKind, String), usize> =
        std::collections::HashMap::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for warning in warnings {
        let slot = *index.entry(key(warning)).or_insert_with(|| {
            groups.push(Group {
                first: warning,
                members: Vec::new(),
            });
            groups.len() - 1
        });
        groups[slot].members.push(warning);
    }
    groups
}

/// Where a diagnostic is: `file:line:column at pointer`.
fn location(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.file.display().to_string();
    if let Some(position) = diagnostic.position {
        let _ = write!(text, ":{}:{}", position.line, position.column);
    }
    if let Some(pointer) = &diagnostic.pointer {
        let shown = if pointer.is_empty() {
            "(document root)"
        } else {
            pointer
        };
        let _ = write!(text, " at {shown}");
    }
    text
}

/// The grouped report: one block per kind. Single warnings are printed as usual.
pub fn render(warnings: &[Diagnostic], verbose: bool) -> String {
    let mut out = String::new();
    for group in group(warnings) {
        let count = group.members.len();
        if count == 1 {
            let _ = writeln!(out, "{}\n", group.first);
            continue;
        }
        let _ = writeln!(out, "warning: {} ({count} times)", group.first.message);
        let shown = if verbose { count } else { count.min(SHOWN) };
        for member in &group.members[..shown] {
            let _ = write!(out, "  --> {}", location(member));
            if member.message != group.first.message {
                let _ = write!(out, ": {}", member.message);
            }
            out.push('\n');
        }
        if shown < count {
            let _ = writeln!(out, "  ... and {} more (-v prints all)", count - shown);
        }
        if let Some(help) = &group.first.help {
            let _ = writeln!(out, "  help: {help}");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_codegen::Position;

    fn warning(message: &str, pointer: &str, line: usize) -> Diagnostic {
        Diagnostic::warning(DiagnosticKind::Fallback, "api.yaml", message)
            .at(pointer)
            .with_position(Some(Position { line, column: 3 }))
            .help("do this")
    }

    #[test]
    fn groups_by_kind_and_message_shape_and_shows_three_locations() {
        let mut warnings: Vec<Diagnostic> = (0..5)
            .map(|i| {
                warning(
                    &format!("`T{i}` is odd"),
                    &format!("/components/schemas/T{i}"),
                    i + 1,
                )
            })
            .collect();
        warnings.insert(2, warning("something else", "/paths", 40));
        let text = render(&warnings, false);
        assert!(
            text.starts_with("warning: `T0` is odd (5 times)\n"),
            "{text}"
        );
        assert!(
            text.contains("  --> api.yaml:1:3 at /components/schemas/T0\n"),
            "{text}"
        );
        assert!(
            text.contains("  --> api.yaml:3:3 at /components/schemas/T2: `T2` is odd\n"),
            "{text}"
        );
        assert!(!text.contains("T3"), "{text}");
        assert!(
            text.contains("  ... and 2 more (-v prints all)\n  help: do this\n"),
            "{text}"
        );
        // The single warning of another kind is printed in full, after the first group.
        let single = text
            .find("warning: something else")
            .expect("the other warning");
        assert!(single > text.find("T0").unwrap());
        assert_eq!(text.matches("help: do this").count(), 2);

        let all = render(&warnings, true);
        assert!(all.contains("/components/schemas/T4"), "{all}");
        assert!(!all.contains("more (-v"), "{all}");
    }
}
