fn main() {
    let text = std::fs::read_to_string("spec/conversations.yaml").unwrap();
    let config = desk_codegen::Config::new();
    for _ in 0..300 { config.render_str("conversations.yaml", &text).unwrap(); }
}
