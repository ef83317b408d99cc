//! What generated code needs around it: the Cargo dependencies it uses and, for
//! [`Config::package`](crate::Config::package), a complete crate (`Cargo.toml`, `README.md` and
//! `src/lib.rs` around the modules).
//!
//! The dependencies are what the IR says the emitted modules need ([`Needs`], decided in
//! lowering from the types and operations the modules hold); `serde` is always listed (every
//! type derives its traits). A module holding a `Link` asks for the runtime's `link`
//! feature.
//!
//! While `desk-runtime` is not on crates.io, a crate that uses it has to name where it comes
//! from: a path ([`RuntimeSource::Path`]) or a git repository ([`RuntimeSource::Git`]); the
//! default is the registry version that matches this generator ([`RuntimeSource::Registry`]).

use std::fmt::Write as _;

use crate::error::Error;
use crate::ir::{Module, Needs};

/// The version requirement on `desk-runtime` that matches this generator (`0.1`).
pub fn runtime_version() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_owned(),
        (None, _) => version.to_owned(),
    }
}

/// Where a generated crate takes `desk-runtime` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// crates.io, with this version requirement (once `desk-runtime` is published there).
    Registry(String),
    /// A local checkout: the `desk-runtime` folder, relative to the generated `Cargo.toml`
    /// (or absolute; relative keeps the output the same on every machine).
    Path(String),
    /// A git repository holding the desk workspace, optionally at a revision (commit, tag or
    /// branch name).
    Git {
        /// The repository URL.
        url: String,
        /// `rev = "..."` when given.
        rev: Option<String>,
    },
}

impl Default for RuntimeSource {
    fn default() -> Self {
        RuntimeSource::Registry(runtime_version())
    }
}

impl RuntimeSource {
    /// The key-value pairs that say where the dependency comes from (`path = "../x"`).
    fn toml(&self) -> String {
        match self {
            RuntimeSource::Registry(version) => format!("version = {}", toml_string(version)),
            RuntimeSource::Path(path) => format!("path = {}", toml_string(path)),
            RuntimeSource::Git { url, rev: None } => format!("git = {}", toml_string(url)),
            RuntimeSource::Git {
                url,
                rev: Some(rev),
            } => format!("git = {}, rev = {}", toml_string(url), toml_string(rev)),
        }
    }
}

/// One line of a `[dependencies]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The package name (`serde`).
    pub name: &'static str,
    /// The value, in TOML (`{ version = "1", features = ["derive"] }`).
    pub value: String,
}

impl std::fmt::Display for Dependency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {}", self.name, self.value)
    }
}

/// What a crate holding generated code needs in its `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirements {
    /// The `[dependencies]` lines, in a fixed order.
    pub dependencies: Vec<Dependency>,
    /// The feature that gates the client module and what it enables (`client =
    /// ["desk-runtime/client"]`), when the client is behind one.
    pub client_feature: Option<String>,
    /// The feature that gates the mock module (`mock = ["client", "desk-runtime/mock"]`),
    /// when it is emitted. It is never a default: without it nothing of the mock is built.
    pub mock_feature: Option<String>,
}

/// The features that gate the client and mock modules, when they do.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Features<'a> {
    pub client: Option<&'a str>,
    pub mock: Option<&'a str>,
}

impl Requirements {
    /// The requirements as TOML to paste into a `Cargo.toml`.
    pub fn toml(&self) -> String {
        let mut out = String::new();
        if self.client_feature.is_some() || self.mock_feature.is_some() {
            out.push_str("[features]\n");
        }
        if let Some(feature) = &self.client_feature {
            let _ = writeln!(
                out,
                "default = [{}]\n{} = [\"desk-runtime/client\"]",
                toml_string(feature),
                toml_key(feature)
            );
        }
        if let Some(feature) = &self.mock_feature {
            let client = self
                .client_feature
                .as_deref()
                .map(|client| format!("{}, ", toml_string(client)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{} = [{client}\"desk-runtime/mock\"]",
                toml_key(feature)
            );
        }
        if self.client_feature.is_some() || self.mock_feature.is_some() {
            out.push('\n');
        }
        out.push_str("[dependencies]\n");
        for dependency in &self.dependencies {
            let _ = writeln!(out, "{dependency}");
        }
        out
    }
}

/// What code that `needs` these crates requires, with the features it uses (`client`: the
/// client module is there). `runtime_crate` is how the code names the runtime
/// (`::desk_runtime`); a runtime reached through another path (`crate::runtime`) is the user's
/// to provide.
pub(crate) fn requirements(
    needs: Needs,
    runtime_crate: &str,
    runtime: &RuntimeSource,
    client: bool,
    features: Features<'_>,
) -> Requirements {
    let client_feature = features.client;
    let mut dependencies = Vec::new();
    let runtime_path = runtime_crate.trim_start_matches("::");
    if runtime_crate.starts_with("::")
        && runtime_path.split("::").next() == Some("desk_runtime")
        && needs.runtime
    {
        // `Link`s (only where lowering put them) need the runtime's `link` feature.
        let features: Vec<&str> = [
            (client && client_feature.is_none()).then_some("\"client\""),
            needs.link.then_some("\"link\""),
        ]
        .into_iter()
        .flatten()
        .collect();
        let features = if features.is_empty() {
            String::new()
        } else {
            format!(", features = [{}]", features.join(", "))
        };
        dependencies.push(Dependency {
            name: "desk-runtime",
            value: format!(
                "{{ {}, default-features = false{features} }}",
                runtime.toml()
            ),
        });
    }
    dependencies.push(Dependency {
        name: "serde",
        value: "{ version = \"1\", features = [\"derive\"] }".into(),
    });
    if needs.serde_json {
        dependencies.push(Dependency {
            name: "serde_json",
            value: "\"1\"".into(),
        });
    }
    if needs.chrono {
        dependencies.push(Dependency {
            name: "chrono",
            value:
                "{ version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }"
                    .into(),
        });
    }
    let client_feature = if client {
        client_feature.map(str::to_owned)
    } else {
        None
    };
    Requirements {
        dependencies,
        client_feature,
        mock_feature: features.mock.map(str::to_owned),
    }
}

/// Options for a complete crate as output ([`Config::package`](crate::Config::package)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateOptions {
    /// The package name (`conversations-api`).
    pub name: String,
    /// Where `desk-runtime` comes from.
    pub runtime: RuntimeSource,
    /// The command that generates the crate, shown in its README (default `desk generate`).
    pub command: Option<String>,
}

impl CrateOptions {
    /// A crate named `name` using `desk-runtime` from crates.io.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            runtime: RuntimeSource::default(),
            command: None,
        }
    }

    /// Fails unless the name is one Cargo accepts for a package.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let name = &self.name;
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if valid {
            Ok(())
        } else {
            Err(Error::Config(format!(
                "`{name}` is not a crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
            )))
        }
    }

    /// The library's name in Rust (`conversations_api`).
    pub fn lib_name(&self) -> String {
        self.name.replace('-', "_")
    }
}

/// What the crate files say about the API and how they were made.
pub(crate) struct CrateFacts<'a> {
    pub options: &'a CrateOptions,
    pub title: &'a str,
    pub api_version: &'a str,
    pub description: Option<&'a str>,
    pub source: &'a str,
    pub modules: &'a [Module],
    pub requirements: &'a Requirements,
    /// A stable API (`Config::stable_api`).
    pub stable_api: bool,
}

/// `Cargo.toml` of the generated crate.
pub(crate) fn cargo_toml(facts: &CrateFacts<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# @generated by desk-codegen from {}. Do not edit by hand: change the spec and generate again.", facts.source);
    out.push_str("[package]\n");
    let _ = writeln!(out, "name = {}", toml_string(&facts.options.name));
    out.push_str("version = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.88\"\n");
    let description = format!(
        "Typed Rust for {} (API version {}), generated by desk from {}.",
        facts.title, facts.api_version, facts.source
    );
    let _ = writeln!(out, "description = {}", toml_string(&description));
    out.push_str("publish = false\n\n");
    out.push_str(&facts.requirements.toml());
    out
}

/// The crate root: crate docs and the module declarations.
pub(crate) fn lib_docs(facts: &CrateFacts<'_>) -> String {
    let mut doc = format!(
        " Typed Rust for {} (API version {}), generated by desk from `{}`.\n",
        facts.title, facts.api_version, facts.source
    );
    if let Some(description) = facts.description.and_then(first_paragraph) {
        doc.push('\n');
        for line in description.lines() {
            let _ = writeln!(doc, " {}", line.trim_end());
        }
    }
    doc.push('\n');
    for module in facts.modules {
        let line = match (*module, &facts.requirements.client_feature) {
            (Module::Models, _) => " - [`models`]: the API's types as the server sends them.".to_owned(),
            (Module::Requests, _) => {
                " - [`requests`]: `*Create` bodies for POST/PUT and `*Patch` bodies for PATCH, whose fields are tri-state (absent = unchanged, `null` = clear, value = set).".to_owned()
            }
            (Module::Client, Some(feature)) => {
                format!(" - `client` (feature `{feature}`, on by default): an async client with one method per operation; it needs a tokio runtime.")
            }
            (Module::Client, None) => " - [`client`]: an async client with one method per operation; it needs a tokio runtime.".to_owned(),
            (Module::Mock, _) => match &facts.requirements.mock_feature {
                Some(feature) => format!(" - `mock` (feature `{feature}`, off by default): typed mocks of the API for tests, with faults (rate limits, server errors, delays, dropped connections)."),
                None => " - [`mock`]: typed mocks of the API for tests, with faults (rate limits, server errors, delays, dropped connections).".to_owned(),
            },
        };
        doc.push_str(&line);
        doc.push('\n');
    }
    if facts.stable_api {
        doc.push_str(STABLE_API_DOC);
    }
    doc.push_str(
        "\n Every file of this crate is generated: see `README.md` for how to generate it again.",
    );
    doc
}

/// What a stable API means for users of the crate, in the crate docs (one space after each
/// `///`, as the other lines).
const STABLE_API_DOC: &str =
    "\n A stable API: every struct and enum is `#[non_exhaustive]`. Build values with their \
     constructors and setters (`Type::new(required..).optional(value)`) and give every `match` \
     on an enum a wildcard arm; in exchange a new optional property, enum value or operation \
     in the description is a minor release of this crate, not a breaking one.\n";

/// `README.md` of the generated crate.
pub(crate) fn readme(facts: &CrateFacts<'_>) -> String {
    let name = &facts.options.name;
    let lib = facts.options.lib_name();
    let mut out = format!("# {name}\n\n");
    let _ = writeln!(
        out,
        "Typed Rust for {} (API version {}), generated by [desk](https://github.com/desk-rs/desk) {} from `{}`.\n",
        facts.title,
        facts.api_version,
        env!("CARGO_PKG_VERSION"),
        facts.source
    );
    out.push_str("**Every file here is generated** (`Cargo.toml`, this README and `src/`): do not edit them; change the spec and generate again:\n\n");
    let command = facts.options.command.as_deref().unwrap_or("desk generate");
    let _ = writeln!(out, "```sh\n{command}\n```\n");
    out.push_str("With `--check` added, the same command writes nothing and fails while the crate differs from what the spec generates.\n\n");
    if facts.stable_api {
        out.push_str("## A stable API\n\nEvery struct and enum of this crate is `#[non_exhaustive]` (what `desk generate --crate` writes unless given `--exhaustive-api`): build values with their constructors and setters (`Type::new(required..).optional(value)`; no struct literals) and give every `match` on an enum a wildcard arm. In exchange, when the description gains an optional property, an enum value or an operation, the crate's new version is a minor release: code written against the old one still compiles. `desk diff OLD NEW --stable-api` says which changes are breaking.\n\n");
    }
    out.push_str("## Modules\n\n");
    for module in facts.modules {
        let line = match *module {
            Module::Models => "- `models`: the API's types as the server sends them; unknown fields are ignored and unknown enum values kept.",
            Module::Requests => "- `requests`: request bodies; `*Patch` fields are tri-state (`desk_runtime::Patch`: absent = unchanged, `null` = clear, value = set).",
            Module::Client => "- `client`: an async client (reqwest with rustls) with one method per operation, auth, timeouts, retries and pagination.",
            Module::Mock => "- `mock`: a typed mock server for tests: per operation a *when* (parameters and body as their Rust types), a *then* (one method per documented response) and faults (rate limits, server errors, delays, dropped connections).",
        };
        out.push_str(line);
        out.push('\n');
    }
    if facts.modules.contains(&Module::Client) {
        out.push_str("\n## Using the client\n\n");
        if let Some(feature) = &facts.requirements.client_feature {
            let _ = writeln!(
                out,
                "The client is behind the feature `{feature}`, on by default; with `default-features = false` the crate has the models and request types only and does not build an HTTP stack.\n"
            );
        }
        let _ = writeln!(
            out,
            "The client's futures run on tokio, so the program that calls it needs a tokio runtime:\n\n```toml\n[dependencies]\n{name} = {{ path = \"../{name}\" }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\nand `#[tokio::main] async fn main()`; the client is `{lib}::client::Client`."
        );
    }
    if let (true, Some(feature)) = (
        facts.modules.contains(&Module::Mock),
        &facts.requirements.mock_feature,
    ) {
        let _ = writeln!(
            out,
            "\n## Testing with the mock\n\nThe `mock` module is behind the feature `{feature}`, off by default; the tests that use it ask for it:\n\n```toml\n[dev-dependencies]\n{name} = {{ path = \"../{name}\", features = [\"{feature}\"] }}\n```\n\n`{lib}::mock::MockServer::start()` serves typed mocks on `127.0.0.1`: one method per operation takes a *when* (the parameters and body as their Rust types) and a *then* (one method per documented response, and faults: `rate_limited`, `server_error`, `delay`, `close_mid_body`, `reset_connection`, `times`); `server.client()` is a client builder for it. A request no mock matches fails the test with a message naming the closest operation and what differs."
        );
    }
    out.push_str("\n## Dependencies\n\n");
    out.push_str("`desk-runtime` (the `Patch` type and the client's runtime) comes from ");
    match &facts.options.runtime {
        RuntimeSource::Registry(version) => {
            let _ = writeln!(out, "crates.io (`{version}`).");
        }
        RuntimeSource::Path(path) => {
            let _ = writeln!(out, "a local checkout of desk (`{path}`).");
        }
        RuntimeSource::Git { url, .. } => {
            let _ = writeln!(out, "desk's git repository ({url}).");
        }
    }
    out
}

/// The first paragraph of a description.
fn first_paragraph(text: &str) -> Option<&str> {
    let paragraph = text.trim().split("\n\n").next()?.trim();
    (!paragraph.is_empty()).then_some(paragraph)
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_exactly_the_crates_the_code_needs() {
        let models = Needs {
            chrono: true,
            ..Needs::default()
        };
        let requests = Needs {
            runtime: true,
            ..Needs::default()
        };
        let only_models = requirements(
            models,
            "::desk_runtime",
            &RuntimeSource::default(),
            false,
            Features::default(),
        );
        let names: Vec<_> = only_models.dependencies.iter().map(|d| d.name).collect();
        assert_eq!(names, ["serde", "chrono"]);

        let path = RuntimeSource::Path("../desk/desk-runtime".into());
        let with_client = requirements(
            models.and(requests),
            "::desk_runtime",
            &path,
            true,
            Features {
                client: Some("client"),
                mock: None,
            },
        );
        assert_eq!(
            with_client.toml(),
            "[features]\ndefault = [\"client\"]\nclient = [\"desk-runtime/client\"]\n\n[dependencies]\n\
             desk-runtime = { path = \"../desk/desk-runtime\", default-features = false }\n\
             serde = { version = \"1\", features = [\"derive\"] }\n\
             chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }\n"
        );
        let git = RuntimeSource::Git {
            url: "https://example.com/desk".into(),
            rev: Some("v0.1.0".into()),
        };
        let ungated = requirements(requests, "::desk_runtime", &git, true, Features::default());
        assert_eq!(
            ungated.dependencies[0].to_string(),
            "desk-runtime = { git = \"https://example.com/desk\", rev = \"v0.1.0\", default-features = false, features = [\"client\"] }"
        );
        // A runtime the user re-exports is theirs to provide.
        let own = requirements(requests, "crate::runtime", &git, false, Features::default());
        assert!(own.dependencies.iter().all(|d| d.name != "desk-runtime"));
        // A guarded union's macro decodes through `::serde_json` in the calling crate.
        let union = Needs {
            runtime: true,
            serde_json: true,
            ..Needs::default()
        };
        let with_union = requirements(
            union,
            "::desk_runtime",
            &RuntimeSource::default(),
            false,
            Features::default(),
        );
        let names: Vec<_> = with_union.dependencies.iter().map(|d| d.name).collect();
        assert_eq!(names, ["desk-runtime", "serde", "serde_json"]);
    }

    #[test]
    fn links_ask_for_the_runtime_feature_that_holds_them() {
        let dependency = |link: bool, client: bool| {
            let needs = Needs {
                runtime: true,
                link,
                ..Needs::default()
            };
            let requirements = requirements(
                needs,
                "::desk_runtime",
                &RuntimeSource::Path("../desk-runtime".into()),
                client,
                Features::default(),
            );
            requirements.dependencies[0].to_string()
        };
        assert_eq!(
            dependency(true, false),
            "desk-runtime = { path = \"../desk-runtime\", default-features = false, features = [\"link\"] }"
        );
        assert_eq!(
            dependency(true, true),
            "desk-runtime = { path = \"../desk-runtime\", default-features = false, features = [\"client\", \"link\"] }"
        );
        assert_eq!(
            dependency(false, false),
            "desk-runtime = { path = \"../desk-runtime\", default-features = false }"
        );
    }

    #[test]
    fn the_mock_is_a_feature_of_its_own_that_adds_no_dependency() {
        let client = Needs {
            runtime: true,
            ..Needs::default()
        };
        let gated = requirements(
            client,
            "::desk_runtime",
            &RuntimeSource::Path("../desk-runtime".into()),
            true,
            Features {
                client: Some("client"),
                mock: Some("mock"),
            },
        );
        assert_eq!(
            gated.toml(),
            "[features]\ndefault = [\"client\"]\nclient = [\"desk-runtime/client\"]\nmock = [\"client\", \"desk-runtime/mock\"]\n\n[dependencies]\n\
             desk-runtime = { path = \"../desk-runtime\", default-features = false }\n\
             serde = { version = \"1\", features = [\"derive\"] }\n"
        );
        // The client not behind a feature: the mock feature only turns on the runtime's.
        let ungated = requirements(
            client,
            "::desk_runtime",
            &RuntimeSource::Path("../desk-runtime".into()),
            true,
            Features {
                client: None,
                mock: Some("testing"),
            },
        );
        assert!(
            ungated
                .toml()
                .starts_with("[features]\ntesting = [\"desk-runtime/mock\"]\n\n[dependencies]\n"),
            "{}",
            ungated.toml()
        );
    }

    #[test]
    fn crate_names_are_checked() {
        assert!(CrateOptions::new("conversations-api").validate().is_ok());
        assert!(CrateOptions::new("_x1").validate().is_ok());
        for bad in ["", "1api", "a b", "api/x", "ü"] {
            assert!(
                matches!(CrateOptions::new(bad).validate(), Err(Error::Config(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(toml_key("client"), "client");
        assert_eq!(toml_key("with space"), "\"with space\"");
    }
}
