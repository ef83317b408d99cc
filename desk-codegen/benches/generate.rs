//! Generation speed, stage by stage: load (parse YAML/JSON into `openapiv3`), lower (resolve
//! `$ref`s, decide names: the IR), emit (IR to tokens), format (tokens to text with
//! `prettyplease`), and end to end (`Config::render_str`: all of the above, in memory).
//!
//! Three inputs: this repository's `spec/conversations.yaml`, the GitHub REST description from
//! the shared corpus (`../shared/corpus/progenitor-samples/api.github.com.json`, 3.7 MB) and,
//! for the cost of diagnostics, AWS's Lex V2 models description
//! (`../shared/corpus/apisguru/amazonaws.com/models.lex.v2.json`, 700 KB and 1,289 warnings: the
//! corpus spec with the most warnings per byte; only `lower`, where warnings are located, and
//! `end_to_end`). The shared files are skipped with a note when absent or when they do not
//! generate.
//!
//! `<input>/format/all/parse_verbatim` and `<input>/format/all/prettyplease` split the format stage
//! of all three modules into its two halves (parsing what emitters wrote as tokens, printing).
//!
//! Run: `cargo bench -p desk-codegen --bench generate` (see BENCHMARKS.md). Group names are
//! `<input>/<stage>`, e.g. `github/lower`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, SamplingMode,
};
use desk_codegen::emit::{self, EmitOptions};
use desk_codegen::load::{self, LoadedSpec};
use desk_codegen::{format, Config};
use proc_macro2::TokenStream;

struct Input {
    /// The group prefix (`spec`, `github`).
    name: &'static str,
    /// The file name given to the loader (picks YAML or JSON).
    file: PathBuf,
    text: String,
    /// Every stage, or only `lower` and `end_to_end`.
    every_stage: bool,
}

fn inputs() -> Vec<Input> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf();
    let mut inputs = Vec::new();
    let spec = root.join("spec/conversations.yaml");
    let text = std::fs::read_to_string(&spec)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", spec.display()));
    inputs.push(Input {
        name: "spec",
        file: spec,
        text,
        every_stage: true,
    });
    let shared = [
        ("github", "progenitor-samples/api.github.com.json", true),
        ("lex_v2", "apisguru/amazonaws.com/models.lex.v2.json", false),
    ];
    for (name, relative, every_stage) in shared {
        let file = root.join("../shared/corpus").join(relative);
        match std::fs::read_to_string(&file) {
            Ok(text) => inputs.push(Input {
                name,
                file,
                text,
                every_stage,
            }),
            Err(err) => eprintln!(
                "note: skipping the `{name}` benchmarks: cannot read {}: {err}",
                file.display()
            ),
        }
    }
    inputs
}

/// For the 3.7 MB input (up to ~0.3 s an iteration): 10 flat samples in about `seconds`.
fn slow(group: &mut BenchmarkGroup<'_, WallTime>, big: bool, seconds: u64) {
    if big {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .measurement_time(Duration::from_secs(seconds));
    }
}

fn options() -> EmitOptions {
    EmitOptions::new("::desk_runtime", Vec::new())
}

/// The three modules' items, as `Config` emits them (models, requests, client).
fn emit_all(ir: &desk_codegen::ir::Ir, options: &EmitOptions) -> [Vec<syn::Item>; 3] {
    [
        emit::models::emit(ir, options).0,
        emit::requests::emit(ir, options).0,
        emit::client::emit(ir, options).0,
    ]
}

/// Formats one module's items as `Config` does (verbatim items parsed, then printed).
fn format_module(
    items: Vec<syn::Item>,
    file_name: &Path,
) -> Result<String, Box<desk_codegen::Diagnostic>> {
    format::format_items(TokenStream::new(), items, "bench", file_name).map_err(Box::new)
}

fn bench_input(c: &mut Criterion, input: &Input) {
    let name = input.name;
    let file_name = input
        .file
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| input.file.clone());

    // Prepare every stage's input once, and bail out (with a note) if the spec does not generate.
    let loaded: LoadedSpec = match load::load_str(&file_name, input.text.clone()) {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("note: skipping `{name}`: it does not load:\n{err}");
            return;
        }
    };
    let config = Config::new();
    let lowered = match config.lower(&loaded) {
        Ok(lowered) => lowered,
        Err(err) => {
            eprintln!("note: skipping `{name}`: it does not lower:\n{err}");
            return;
        }
    };
    let options = options();
    let modules = emit_all(&lowered.ir, &options);
    for items in &modules {
        if let Err(err) = format_module(items.clone(), &file_name) {
            eprintln!("note: skipping `{name}`: the output does not format:\n{err}");
            return;
        }
    }
    if let Err(err) = config.render_str(&file_name.to_string_lossy(), &input.text) {
        eprintln!("note: skipping `{name}`: it does not render:\n{err}");
        return;
    }

    let big = input.text.len() > 1_000_000;
    let mut group = c.benchmark_group(format!("{name}/lower"));
    slow(&mut group, big, 6);
    group.bench_function("lower", |b| {
        b.iter(|| config.lower(black_box(&loaded)).unwrap())
    });
    group.finish();

    if input.every_stage {
        bench_stages(c, input, &file_name, &lowered, &modules);
    }

    let mut group = c.benchmark_group(format!("{name}/end_to_end"));
    slow(&mut group, big, 10);
    let label = file_name.to_string_lossy().into_owned();
    group.bench_function("render_str", |b| {
        b.iter(|| config.render_str(&label, black_box(&input.text)).unwrap())
    });
    group.finish();
}

/// load, emit and format (lower and end to end are measured for every input).
fn bench_stages(
    c: &mut Criterion,
    input: &Input,
    file_name: &Path,
    lowered: &desk_codegen::lower::Lowered,
    modules: &[Vec<syn::Item>; 3],
) {
    let name = input.name;
    let big = input.text.len() > 1_000_000;
    let mut group = c.benchmark_group(format!("{name}/load"));
    slow(&mut group, big, 6);
    group.bench_function("load_str", |b| {
        b.iter_batched(
            || input.text.clone(),
            |text| load::load_str(file_name, text).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let mut group = c.benchmark_group(format!("{name}/emit"));
    slow(&mut group, big, 6);
    let options = options();
    let ir = &lowered.ir;
    group.bench_function("models", |b| {
        b.iter(|| emit::models::emit(black_box(ir), &options))
    });
    group.bench_function("requests", |b| {
        b.iter(|| emit::requests::emit(black_box(ir), &options))
    });
    group.bench_function("client", |b| {
        b.iter(|| emit::client::emit(black_box(ir), &options))
    });
    group.bench_function("all", |b| b.iter(|| emit_all(black_box(ir), &options)));
    group.finish();

    let mut group = c.benchmark_group(format!("{name}/format"));
    slow(&mut group, big, 8);
    for (module, items) in ["models", "requests", "client"].into_iter().zip(modules) {
        group.bench_function(module, |b| {
            b.iter_batched(
                || items.clone(),
                |items| format_module(items, file_name).unwrap(),
                BatchSize::LargeInput,
            )
        });
    }
    // What formatting is made of: parsing the items still in tokens (the client, enums' impls,
    // unions), then prettyplease printing the syntax trees.
    let files: Vec<syn::File> = modules
        .iter()
        .map(|items| syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: resolve(items.clone()),
        })
        .collect();
    group.bench_function("all/parse_verbatim", |b| {
        b.iter_batched(
            || modules.clone(),
            |ms| ms.map(resolve),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("all/prettyplease", |b| {
        b.iter(|| files.iter().map(prettyplease::unparse).collect::<Vec<_>>())
    });
    group.finish();
}

/// The items with every verbatim item parsed (what `format` does before printing).
fn resolve(items: Vec<syn::Item>) -> Vec<syn::Item> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            syn::Item::Verbatim(tokens) => out.extend(
                syn::parse2::<syn::File>(tokens)
                    .expect("the output parses")
                    .items,
            ),
            built => out.push(built),
        }
    }
    out
}

fn generate(c: &mut Criterion) {
    for input in inputs() {
        bench_input(c, &input);
    }
}

criterion_group!(benches, generate);
criterion_main!(benches);
