//! The report as JSON (for machines), markdown (for a changelog or a pull request comment) or
//! text (for a terminal), and the short summary regeneration prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{ApiDiff, Change, ChangeKind, Group, Location, Side};

/// How to render a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// `serde_json` of [`ApiDiff`], pretty-printed.
    Json,
    /// Headings per operation and type, one bullet per change.
    Markdown,
    /// Indented plain text.
    Text,
}

pub(super) fn render(diff: &ApiDiff, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(diff).unwrap_or_default();
            json.push('\n');
            json
        }
        ReportFormat::Markdown => markdown(diff),
        ReportFormat::Text => text(diff),
    }
}

fn counts(diff: &ApiDiff) -> (usize, usize) {
    let breaking = diff.changes.iter().filter(|c| c.breaking).count();
    (breaking, diff.changes.len() - breaking)
}

fn headline(diff: &ApiDiff) -> String {
    let (breaking, other) = counts(diff);
    format!(
        "verdict: {} ({breaking} breaking, {other} compatible)",
        diff.verdict.as_str()
    )
}

/// Changes grouped as the report shows them: by group, in report order.
fn grouped(diff: &ApiDiff) -> Vec<(&Group, Vec<&Change>)> {
    let mut groups: Vec<(&Group, Vec<&Change>)> = Vec::new();
    for change in &diff.changes {
        match groups.last_mut() {
            Some((group, changes)) if *group == &change.group => changes.push(change),
            _ => groups.push((&change.group, vec![change])),
        }
    }
    groups
}

fn class(change: &Change) -> &'static str {
    match (change.breaking, change.silent) {
        (true, true) => "breaking (silent)",
        (true, false) => "breaking",
        (false, _) => "compatible",
    }
}

fn title(change: &Change) -> String {
    match &change.member {
        Some(member) => format!("{}: `{member}`", change.kind.describe()),
        None => change.kind.describe(),
    }
}

fn location(location: &Location) -> String {
    let mut out = location.file.display().to_string().replace('\\', "/");
    if let (Some(line), Some(column)) = (location.line, location.column) {
        let _ = write!(out, ":{line}:{column}");
    }
    let _ = write!(out, " #{}", location.pointer);
    out
}

fn side(label: &str, side: &Side) -> Option<String> {
    let rust = side.rust.as_deref().map(|r| format!("`{r}`"));
    let at = side.location.as_ref().map(location);
    match (rust, at) {
        (None, None) => None,
        (Some(rust), None) => Some(format!("{label}: {rust}")),
        (None, Some(at)) => Some(format!("{label}: at {at}")),
        (Some(rust), Some(at)) => Some(format!("{label}: {rust} at {at}")),
    }
}

fn group_title(group: &Group) -> String {
    match group {
        Group::Operation(name) => format!("operation `Client::{name}`"),
        Group::Type(path) => format!("type `{path}`"),
    }
}

fn text(diff: &ApiDiff) -> String {
    let mut out = format!("API changes from {} to {}\n", diff.old, diff.new);
    let _ = writeln!(out, "mode: {}", diff.mode.describe());
    let _ = writeln!(out, "{}", headline(diff));
    for (group, changes) in grouped(diff) {
        let _ = writeln!(out, "\n{}", group_title(group));
        for change in changes {
            let _ = writeln!(out, "  [{}] {}", class(change), title(change));
            let _ = writeln!(out, "      {}", change.reason);
            for line in [side("old", &change.old), side("new", &change.new)]
                .into_iter()
                .flatten()
            {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    out
}

fn markdown(diff: &ApiDiff) -> String {
    let mut out = String::from("## API changes\n\n");
    let _ = writeln!(out, "`{}` → `{}`\n", diff.old, diff.new);
    let _ = writeln!(
        out,
        "**{}** — mode: {}\n",
        headline(diff),
        diff.mode.describe()
    );
    if diff.changes.is_empty() {
        out.push_str("No change to the generated public API.\n");
        return out;
    }
    for (group, changes) in grouped(diff) {
        let _ = writeln!(out, "### {}\n", group_title(group));
        for change in changes {
            let _ = writeln!(
                out,
                "- **{}** {} — {}",
                class(change),
                title(change),
                change.reason
            );
            for line in [side("old", &change.old), side("new", &change.new)]
                .into_iter()
                .flatten()
            {
                let _ = writeln!(out, "  - {line}");
            }
        }
        out.push('\n');
    }
    out
}

/// The verdict and one line per kind of change with its count; with `verbose`, every change.
pub(super) fn summary(diff: &ApiDiff, verbose: bool) -> String {
    let mut out = format!("public API changes: {}\n", headline(diff));
    let mut kinds: BTreeMap<(bool, ChangeKind), usize> = BTreeMap::new();
    for change in &diff.changes {
        *kinds.entry((!change.breaking, change.kind)).or_default() += 1;
    }
    for ((compatible, kind), count) in kinds {
        let class = if compatible { "compatible" } else { "breaking" };
        let _ = writeln!(out, "  {class}: {} ×{count}", kind.describe());
        if verbose {
            for change in diff
                .changes
                .iter()
                .filter(|c| c.kind == kind && c.breaking != compatible)
            {
                let member = change
                    .member
                    .as_deref()
                    .map(|m| format!(" `{m}`"))
                    .unwrap_or_default();
                let _ = writeln!(out, "    {}{member}: {}", change.item, change.reason);
            }
        }
    }
    if !verbose && !diff.changes.is_empty() {
        out.push_str("  (-v lists every change)\n");
    }
    out
}
