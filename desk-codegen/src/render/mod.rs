//! Stage 5: render the IR into files, and write them.
//!
//! The driver here runs emit one module at a time: a module's syntax tree is built, printed
//! ([`format`]: prettyplease, item spacing, the `@generated` header) and dropped before the
//! next one is built, so only one tree is ever alive (see BENCHMARKS.md, "Memory"). It lays the
//! modules out as [`Config::layout`] and [`Config::package`] ask: a module folder, one file with
//! inline modules for `include!`, or a whole crate ([`package`]: `Cargo.toml`, `README.md`,
//! `src/lib.rs`, with exactly the dependencies the IR says the code needs). [`write`] compares
//! with or writes to disk so that a failure leaves the old files, and [`build_script`] reports
//! to Cargo when the generator runs from a build script.

pub(crate) mod build_script;
mod format;
mod package;
pub(crate) mod write;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) use format::{format_items, Header, Regenerate};
pub use package::{CrateOptions, Dependency, Requirements, RuntimeSource};
pub use write::GeneratedFile;

use crate::error::{Diagnostic, Error};
use crate::ir::{Ir, Module, Needs};
use crate::type_index::TypeIndex;
use crate::{emit, load, lower, Config, Layout};

/// The generated files and what was learnt on the way.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The files, with paths relative to the output directory, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Warnings for documented fallbacks.
    pub warnings: Vec<Diagnostic>,
    /// The spec files read, the root first (for `cargo:rerun-if-changed`).
    pub inputs: Vec<PathBuf>,
    /// Which Rust type holds each component schema and JSON body (for conformance checks).
    pub types: TypeIndex,
    /// What [`Config::generate`] changed in the public API of the generated code it replaced
    /// (read from the files on disk; see [`ApiDiff`](crate::ApiDiff)); `None` when nothing was
    /// there or nothing changed, and for output rendered in memory.
    pub api_changes: Option<crate::ApiDiff>,
    /// What the emitted modules need (from the IR), for [`Config::requirements`].
    pub(crate) needs: Needs,
    /// Whether the client module was emitted.
    pub(crate) client: bool,
    /// Whether the mock module was emitted.
    pub(crate) mock: bool,
}

/// One module's own file: its doc and lints as inner attributes, then its items. The module's
/// tree is dropped once printed.
pub(crate) fn module_file(
    ir: &Ir,
    options: &emit::EmitOptions,
    module: Module,
    header: &Header,
    spec_path: &Path,
) -> Result<String, Diagnostic> {
    let mut file = format::PiecewiseFile::new(module_inner(module), spec_path)?;
    emit::emit_module_batches(ir, options, module, |items| file.push(items))?;
    Ok(file.finish(header))
}

/// A module file's inner attributes: its doc and the lints generated code allows.
pub(crate) fn module_inner(module: Module) -> TokenStream {
    let allows = emit::module_allows();
    let doc_inner = format!(" {}", module.doc().trim());
    quote!(#![doc = #doc_inner] #allows)
}

/// [`Config::generate`]: renders, then writes every file or none.
pub(crate) fn generate(config: &Config) -> Result<Rendered, Error> {
    let (dir, from_env) = out_dir(config)?;
    let path = config.spec_path()?;
    let rerun_if_changed = config.rerun_if_changed.unwrap_or(from_env);
    if rerun_if_changed {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let spec = config.load()?.loaded;
    if rerun_if_changed {
        // The files the root refers to, known once it is loaded.
        for input in spec.inputs().skip(1) {
            println!("cargo:rerun-if-changed={}", input.display());
        }
    }
    let mut rendered = render_owned(config, spec, layout(config, from_env), from_env)?;
    rendered.api_changes = crate::diff::on_regeneration(&dir, &rendered.files);
    write::write_all(&dir, &rendered.files)?;
    Ok(rendered)
}

/// [`Config::check`]: renders and compares with what is on disk.
pub(crate) fn check(config: &Config) -> Result<Rendered, Error> {
    let (dir, from_env) = out_dir(config)?;
    let spec = config.load()?.loaded;
    let rendered = render_owned(config, spec, layout(config, from_env), from_env)?;
    let stale = write::stale_files(&dir, &rendered.files);
    if stale.is_empty() {
        Ok(rendered)
    } else {
        Err(Error::Stale(stale))
    }
}

/// [`Config::generate_or_exit`]: [`generate`], reported as a build script reports.
pub(crate) fn generate_or_exit(config: &Config) -> Rendered {
    let in_build_script = std::env::var_os("OUT_DIR").is_some();
    let directives = build_script::Directives::from_env();
    match generate(config) {
        Ok(rendered) => {
            if in_build_script {
                print!(
                    "{}",
                    build_script::warning_lines(&rendered.warnings, directives)
                );
                if let Some(changes) = &rendered.api_changes {
                    print!("{}", build_script::api_change_lines(changes, directives));
                }
            } else {
                for warning in &rendered.warnings {
                    eprintln!("{warning}\n");
                }
                if let Some(changes) = &rendered.api_changes {
                    eprint!("{}", changes.summary(false));
                }
            }
            rendered
        }
        Err(err) if in_build_script => {
            print!("{}", build_script::error_lines(&err, directives));
            let _ = std::io::Write::flush(&mut std::io::stdout());
            // Cargo fails the build on a `cargo::error` line whatever the exit status;
            // exiting with success keeps it from repeating the script's whole output.
            std::process::exit(match directives {
                build_script::Directives::Modern => 0,
                build_script::Directives::Legacy => 1,
            })
        }
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1)
        }
    }
}

/// [`Config::requirements`] of rendered module output.
pub(crate) fn requirements(
    config: &Config,
    rendered: &Rendered,
    runtime: &RuntimeSource,
) -> Requirements {
    package::requirements(
        rendered.needs,
        &config.runtime_crate,
        runtime,
        rendered.client,
        package::Features {
            client: effective_client_feature(config),
            mock: effective_mock_feature(config).filter(|_| rendered.mock),
        },
    )
}

/// The output directory, and whether it came from `OUT_DIR` (a build script).
fn out_dir(config: &Config) -> Result<(PathBuf, bool), Error> {
    match (&config.out_dir, std::env::var_os("OUT_DIR")) {
        (Some(dir), _) => Ok((dir.clone(), false)),
        (None, Some(dir)) => Ok((PathBuf::from(dir), true)),
        (None, None) => Err(Error::Config(
            "no output directory: call `Config::out_dir` (OUT_DIR is not set)".into(),
        )),
    }
}

/// The layout asked for; one file for `include!` when writing to `OUT_DIR`, else modules.
fn layout(config: &Config, to_out_dir_env: bool) -> Layout {
    config.layout.unwrap_or(if to_out_dir_env {
        Layout::SingleFile
    } else {
        Layout::Modules
    })
}

/// The feature the mock module is behind: the one configured, else `mock` in a crate.
fn effective_mock_feature(config: &Config) -> Option<&str> {
    match (&config.mock_feature, &config.package) {
        (Some(feature), _) => Some(feature),
        (None, Some(_)) => Some("mock"),
        (None, None) => None,
    }
}

/// The modules to emit: the parts', and the mock with the client when it has a feature.
fn modules(config: &Config) -> Vec<Module> {
    let mut modules = config.parts.modules();
    if modules.contains(&Module::Client) && effective_mock_feature(config).is_some() {
        modules.push(Module::Mock);
    }
    modules
}

/// The feature the client module is behind: the one configured, else `client` in a crate.
fn effective_client_feature(config: &Config) -> Option<&str> {
    match (&config.client_feature, &config.package) {
        (Some(feature), _) => Some(feature),
        (None, Some(_)) => Some("client"),
        (None, None) => None,
    }
}

/// The header of every file: the spec by file name (or the configured label), and how to
/// regenerate.
pub(crate) fn header(config: &Config, spec: &load::LoadedSpec, to_out_dir_env: bool) -> Header {
    let source = config
        .source_label
        .clone()
        .unwrap_or_else(|| match spec.path.file_name() {
            Some(name) => name.to_string_lossy().into_owned(),
            None => spec.path.display().to_string().replace('\\', "/"),
        });
    let regenerate = match &config.regenerate_command {
        Some(command) => Regenerate::Command(command.clone()),
        None if to_out_dir_env => Regenerate::BuildScript,
        None => Regenerate::Unspecified,
    };
    Header { source, regenerate }
}

/// Refuses options that cannot render, before any work.
pub(crate) fn validate(config: &Config) -> Result<(), Error> {
    if syn::parse_str::<syn::Path>(&config.runtime_crate).is_err() {
        return Err(Error::Config(format!(
            "the runtime crate `{}` is not a Rust path: give one such as `::desk_runtime` or `crate::runtime`",
            config.runtime_crate
        )));
    }
    if let Some(options) = &config.package {
        options.validate()?;
    }
    Ok(())
}

/// Renders a spec the caller keeps.
pub(crate) fn render_loaded(
    config: &Config,
    spec: &load::LoadedSpec,
    layout: Layout,
    to_out_dir_env: bool,
) -> Result<Rendered, Error> {
    validate(config)?;
    let lowered = config.lower_spec(spec)?;
    render_lowered(config, spec, lowered, layout, to_out_dir_env)
}

/// Renders a spec nobody needs afterwards: the parsed document is freed once lowered, before
/// any syntax tree is built (the IR holds all emitting needs; the spec's text stays, for
/// the paths and the header).
pub(crate) fn render_owned(
    config: &Config,
    mut spec: load::LoadedSpec,
    layout: Layout,
    to_out_dir_env: bool,
) -> Result<Rendered, Error> {
    validate(config)?;
    let lowered = config.lower_spec(&spec)?;
    spec.document = openapiv3::OpenAPI::default();
    render_lowered(config, &spec, lowered, layout, to_out_dir_env)
}

fn render_lowered(
    config: &Config,
    spec: &load::LoadedSpec,
    lowered: lower::Lowered,
    layout: Layout,
    to_out_dir_env: bool,
) -> Result<Rendered, Error> {
    let label = header(config, spec, to_out_dir_env);
    let modules = modules(config);
    let options = emit_options(config);
    if let Some(package) = &config.package {
        return render_package(config, package, spec, lowered, &modules, &options, label);
    }
    let files = match layout {
        Layout::Modules => {
            let mut files = Vec::with_capacity(modules.len() + 1);
            let decls = modules.iter().map(|module| module_decl(config, *module));
            let title = format!(
                " Generated from {} (version {}).",
                lowered.ir.title, lowered.ir.version
            );
            let root = quote!(#![doc = #title] #(#decls)*);
            files.push(GeneratedFile {
                path: PathBuf::from("mod.rs"),
                contents: format::format_file(root, &label, &spec.path)?,
            });
            for module in modules {
                files.push(GeneratedFile {
                    path: PathBuf::from(format!("{}.rs", module.name())),
                    contents: module_file(&lowered.ir, &options, module, &label, &spec.path)?,
                });
            }
            files
        }
        Layout::SingleFile => {
            let mut printed = Vec::with_capacity(modules.len());
            for module in modules {
                let ident = format_ident!("{}", module.name());
                let doc = module.doc();
                let cfg = module_cfg(config, module);
                let allows = emit::module_allows();
                let wrapper = quote!(#[doc = #doc] #cfg pub mod #ident { #allows });
                let items = emit::emit_module(&lowered.ir, &options, module);
                printed.push(format::print_inline_module(wrapper, items, &spec.path)?);
            }
            vec![GeneratedFile {
                path: PathBuf::from(&config.file_name),
                contents: format::join_printed(&printed, &label),
            }]
        }
    };
    Ok(rendered(config, files, spec, lowered))
}

/// A complete crate: the modules under `src/`, a crate root with docs, `Cargo.toml` and
/// `README.md`.
fn render_package(
    config: &Config,
    package: &CrateOptions,
    spec: &load::LoadedSpec,
    lowered: lower::Lowered,
    modules: &[Module],
    options: &emit::EmitOptions,
    header: Header,
) -> Result<Rendered, Error> {
    let decls: Vec<TokenStream> = modules.iter().map(|m| module_decl(config, *m)).collect();
    let mut files = vec![GeneratedFile {
        path: PathBuf::from("src/lib.rs"),
        contents: String::new(),
    }];
    for module in modules {
        files.push(GeneratedFile {
            path: PathBuf::from(format!("src/{}.rs", module.name())),
            contents: module_file(&lowered.ir, options, *module, &header, &spec.path)?,
        });
    }
    let requirements = package::requirements(
        needs_of(&lowered.ir, modules),
        &config.runtime_crate,
        &package.runtime,
        modules.contains(&Module::Client),
        package::Features {
            client: effective_client_feature(config),
            mock: effective_mock_feature(config).filter(|_| modules.contains(&Module::Mock)),
        },
    );
    let facts = package::CrateFacts {
        options: package,
        title: &lowered.ir.title,
        api_version: &lowered.ir.version,
        description: lowered.ir.description.as_deref(),
        source: &header.source,
        modules,
        requirements: &requirements,
        stable_api: lowered.ir.stable_api,
    };
    // One attribute per line, so that the docs print as `//!` lines.
    let crate_doc = package::lib_docs(&facts);
    let doc_lines = crate_doc.lines().map(|line| quote!(#![doc = #line]));
    let root = quote!(#(#doc_lines)* #![forbid(unsafe_code)] #(#decls)*);
    files[0].contents = format::format_file(root, &header, &spec.path)?;
    files.insert(
        0,
        GeneratedFile {
            path: PathBuf::from("Cargo.toml"),
            contents: package::cargo_toml(&facts),
        },
    );
    files.insert(
        1,
        GeneratedFile {
            path: PathBuf::from("README.md"),
            contents: package::readme(&facts),
        },
    );
    Ok(rendered(config, files, spec, lowered))
}

/// The outcome of one rendering: its files, every warning (loading's, then lowering's), the
/// files read and the type index.
fn rendered(
    config: &Config,
    files: Vec<GeneratedFile>,
    spec: &load::LoadedSpec,
    lowered: lower::Lowered,
) -> Rendered {
    let mut warnings = spec.warnings.clone();
    warnings.extend(lowered.warnings);
    let types = TypeIndex::new(&lowered.ir, config.parts.requests || config.parts.client);
    let modules = modules(config);
    Rendered {
        files,
        warnings,
        inputs: spec.inputs().map(Path::to_path_buf).collect(),
        types,
        api_changes: None,
        needs: needs_of(&lowered.ir, &modules),
        client: modules.contains(&Module::Client),
        mock: modules.contains(&Module::Mock),
    }
}

/// What `modules` of `ir` need together.
fn needs_of(ir: &Ir, modules: &[Module]) -> Needs {
    modules
        .iter()
        .map(|module| ir.needs.of(*module))
        .fold(Needs::default(), Needs::and)
}

/// The emitters' options from the configuration.
pub(crate) fn emit_options(config: &Config) -> emit::EmitOptions {
    emit::EmitOptions::new(&config.runtime_crate, config.extra_derives.clone())
}

/// `#[doc = "..."] pub mod name;`, behind the client feature for the client.
fn module_decl(config: &Config, module: Module) -> TokenStream {
    let ident = format_ident!("{}", module.name());
    let doc = module.doc();
    let cfg = module_cfg(config, module);
    quote!(#[doc = #doc] #cfg pub mod #ident;)
}

fn module_cfg(config: &Config, module: Module) -> TokenStream {
    let feature = match module {
        Module::Client => effective_client_feature(config),
        Module::Mock => effective_mock_feature(config),
        Module::Models | Module::Requests => None,
    };
    match feature {
        Some(feature) => quote!(#[cfg(feature = #feature)]),
        None => TokenStream::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Parts;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n";

    fn first_lines(rendered: &Rendered) -> Vec<String> {
        rendered
            .files
            .iter()
            .map(|file| file.contents.lines().take(2).collect::<Vec<_>>().join("\n"))
            .collect()
    }

    #[test]
    fn the_header_names_the_spec_by_file_name_whatever_the_path() {
        let config = Config::new();
        let spellings = [
            "api.yaml",
            "specs/api.yaml",
            "./specs/../specs/api.yaml",
            "/home/someone/work/specs/api.yaml",
        ];
        let outputs: Vec<Rendered> = spellings
            .iter()
            .map(|name| config.render_str(name, SPEC).expect("renders"))
            .collect();
        for rendered in &outputs {
            for header in first_lines(rendered) {
                assert_eq!(header, "// @generated by desk-codegen from api.yaml.\n// Do not edit by hand: change the spec and generate again.");
            }
            assert_eq!(rendered.files, outputs[0].files);
        }
    }

    #[test]
    fn the_header_says_how_to_regenerate() {
        let mut config = Config::new();
        config
            .regenerate_command("cargo xtask codegen")
            .source_label("spec/api.yaml");
        let rendered = config.render_str("/tmp/x/api.yaml", SPEC).expect("renders");
        assert!(first_lines(&rendered).iter().all(|h| h == "// @generated by desk-codegen from spec/api.yaml.\n// Do not edit by hand: change the spec and run `cargo xtask codegen`."));
    }

    #[test]
    fn a_package_is_a_crate_around_the_modules() {
        let mut config = Config::new();
        config
            .parts(Parts::MODELS)
            .package(CrateOptions::new("pets-api"));
        let rendered = config.render_str("pets.yaml", SPEC).expect("renders");
        let paths: Vec<_> = rendered
            .files
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            paths,
            ["Cargo.toml", "README.md", "src/lib.rs", "src/models.rs"]
        );
        let manifest = &rendered.files[0].contents;
        assert!(
            manifest.contains("name = \"pets-api\"")
                && manifest.contains("serde = { version = \"1\", features = [\"derive\"] }"),
            "{manifest}"
        );
        assert!(
            !manifest.contains("desk-runtime") && !manifest.contains("chrono"),
            "only what the code uses: {manifest}"
        );
        let lib = &rendered.files[2].contents;
        assert!(
            lib.contains(
                "//! Typed Rust for t (API version 1), generated by desk from `pets.yaml`."
            ) && lib.contains("pub mod models;"),
            "{lib}"
        );

        config.package(CrateOptions::new("1 bad"));
        assert!(matches!(
            config.render_str("pets.yaml", SPEC),
            Err(Error::Config(_))
        ));
    }
}
