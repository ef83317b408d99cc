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
//! The cost of reading Swagger 2.0: Kubernetes' 2.0 description
//! (`../shared/swagger2/kubernetes.json`, 940 KB) loaded as it is (`kubernetes/load/swagger2`:
//! bundling, the upgrade to 3.0, deserialising) and as the 3.0 document desk upgrades it to,
//! written out as JSON (`kubernetes/load/openapi3`: the same without the upgrade), and end to end
//! (`kubernetes/end_to_end/render_str`). The difference of the two loads is the upgrade's cost.
//!
//! The stages are run through the public staged API ([`Config::load_str`], [`Config::lower`],
//! [`Config::emit`], [`Emitted::print`]), whose values are opaque: the emit stage of one module
//! is `emit` alone, its format stage is `print` of an emitted tree.
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
use desk_codegen::{Config, Emitted, Lowered, Module, Spec};

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

const MODULES: [Module; 3] = [Module::Models, Module::Requests, Module::Client];

/// The three modules' trees, as `Config` emits them (models, requests, client).
fn emit_all(config: &Config, lowered: &Lowered) -> [Emitted; 3] {
    MODULES.map(|module| config.emit(lowered, module))
}

fn bench_input(c: &mut Criterion, input: &Input) {
    let name = input.name;
    let file_name = input
        .file
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| input.file.clone());

    // Prepare every stage's input once, and bail out (with a note) if the spec does not generate.
    let config = Config::new();
    let label = file_name.to_string_lossy().into_owned();
    let loaded: Spec = match config.load_str(&label, &input.text) {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("note: skipping `{name}`: it does not load:\n{err}");
            return;
        }
    };
    let lowered = match config.lower(&loaded) {
        Ok(lowered) => lowered,
        Err(err) => {
            eprintln!("note: skipping `{name}`: it does not lower:\n{err}");
            return;
        }
    };
    let modules = emit_all(&config, &lowered);
    for emitted in &modules {
        if let Err(err) = emitted.clone().print() {
            eprintln!("note: skipping `{name}`: the output does not format:\n{err}");
            return;
        }
    }
    if let Err(err) = config.render_str(&label, &input.text) {
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
        bench_stages(c, input, &config, &lowered, &modules);
    }

    let mut group = c.benchmark_group(format!("{name}/end_to_end"));
    slow(&mut group, big, 10);
    group.bench_function("render_str", |b| {
        b.iter(|| config.render_str(&label, black_box(&input.text)).unwrap())
    });
    group.finish();
}

/// load, emit and format (lower and end to end are measured for every input).
fn bench_stages(
    c: &mut Criterion,
    input: &Input,
    config: &Config,
    lowered: &Lowered,
    modules: &[Emitted; 3],
) {
    let name = input.name;
    let big = input.text.len() > 1_000_000;
    let label = input.file.file_name().map_or_else(
        || input.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut group = c.benchmark_group(format!("{name}/load"));
    slow(&mut group, big, 6);
    group.bench_function("load_str", |b| {
        b.iter(|| config.load_str(&label, black_box(&input.text)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group(format!("{name}/emit"));
    slow(&mut group, big, 6);
    for module in MODULES {
        group.bench_function(module.name(), |b| {
            b.iter(|| config.emit(black_box(lowered), module))
        });
    }
    group.bench_function("all", |b| b.iter(|| emit_all(config, black_box(lowered))));
    group.finish();

    let mut group = c.benchmark_group(format!("{name}/format"));
    slow(&mut group, big, 8);
    for emitted in modules {
        group.bench_function(emitted.module().name(), |b| {
            b.iter_batched(
                || emitted.clone(),
                |emitted| emitted.print().unwrap(),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn generate(c: &mut Criterion) {
    for input in inputs() {
        bench_input(c, &input);
    }
    swagger2(c);
}

/// Kubernetes' Swagger 2.0 description: loading it with and without the upgrade, and end to end.
fn swagger2(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/swagger2/kubernetes.json");
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(err) => {
            eprintln!(
                "note: skipping the `kubernetes` benchmarks: cannot read {}: {err}",
                file.display()
            );
            return;
        }
    };
    let config = Config::new();
    let upgraded = match config.load_str("kubernetes.json", &text) {
        Ok(spec) => spec.to_json().expect("the upgraded document is JSON"),
        Err(err) => {
            eprintln!("note: skipping `kubernetes`: it does not load:\n{err}");
            return;
        }
    };
    // Pretty-printed like the original, so both loads parse text of the same kind.
    let openapi3 = serde_json::to_string_pretty(&upgraded).expect("printable");
    let mut group = c.benchmark_group("kubernetes/load");
    slow(&mut group, false, 6);
    group.bench_function("swagger2", |b| {
        b.iter(|| {
            config
                .load_str("kubernetes.json", black_box(&text))
                .unwrap()
        })
    });
    group.bench_function("openapi3", |b| {
        b.iter(|| {
            config
                .load_str("kubernetes.json", black_box(&openapi3))
                .unwrap()
        })
    });
    group.finish();
    let mut group = c.benchmark_group("kubernetes/end_to_end");
    slow(&mut group, true, 10);
    group.bench_function("render_str", |b| {
        b.iter(|| {
            config
                .render_str("kubernetes.json", black_box(&text))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
