use std::time::{Duration, Instant};
use desk_codegen::emit::{self, EmitOptions};
fn t<R>(label: &str, mut f: impl FnMut() -> R) {
    for _ in 0..10 { drop(f()); }
    let mut best = Duration::MAX;
    for _ in 0..80 { let s = Instant::now(); let r = f(); drop(r); best = best.min(s.elapsed()); }
    println!("{label:<28} {best:?}");
}
fn main() {
    let text = std::fs::read_to_string("spec/conversations.yaml").unwrap();
    let path = std::path::Path::new("conversations.yaml");
    let config = desk_codegen::Config::new();
    t("end to end", || config.render_str("conversations.yaml", &text).unwrap());
    t("load+drop", || desk_codegen::load::load_str(path, text.clone()).unwrap());
    let loaded = desk_codegen::load::load_str(path, text.clone()).unwrap();
    t("lower+drop", || config.lower(&loaded).unwrap());
    let ir = config.lower(&loaded).unwrap().ir;
    let o = EmitOptions::new("::desk_runtime", vec![]);
    let h = proc_macro2::TokenStream::new();
    t("models emit+format", || desk_codegen::format::format_items(h.clone(), emit::models::emit(&ir, &o).0, "x", path).unwrap());
    t("requests emit+format", || desk_codegen::format::format_items(h.clone(), emit::requests::emit(&ir, &o).0, "x", path).unwrap());
    t("client emit+format", || desk_codegen::format::format_items(h.clone(), emit::client::emit(&ir, &o).0, "x", path).unwrap());
}
