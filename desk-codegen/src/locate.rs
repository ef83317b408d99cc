//! Maps a JSON pointer to a line and column in the spec's text.
//!
//! Only used when there is something to report: parsing events with positions costs more than
//! `serde_yaml`, so a run without diagnostics never pays for it. JSON text is scanned by
//! [`json`], which descends only towards the pointers wanted and skips everything else (the
//! YAML event parser builds every scalar of the document; `desk diff` locates every change on
//! both sides); anything else, or JSON that scan does not follow, by the YAML event parser.
//! [`locate_all`] finds every diagnostic's position in one pass over the text, so the cost is
//! one parse however many diagnostics there are (AWS's Lex V2 description has 1,289 warnings in
//! 700 KB: locating each one alone re-parsed the file 1,289 times).

mod json;

use std::collections::HashMap;

use crate::error::{Diagnostic, Position};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The position of the node at `pointer` (for a mapping entry, the position of its key).
/// To locate many pointers, use [`locate_all`]: one pass for all of them.
pub fn locate(source: &str, pointer: &str) -> Option<Position> {
    let mut wanted = HashMap::new();
    wanted.insert(canonical(pointer)?, vec![0]);
    collect(source, wanted)
        .first()
        .map(|(_, position)| *position)
}

/// Fills in the position of every diagnostic that has a pointer and no position yet, with one
/// pass over `source`.
pub fn locate_all(source: &str, diagnostics: &mut [Diagnostic]) {
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if diagnostic.position.is_some() {
            continue;
        }
        if let Some(pointer) = diagnostic.pointer.as_deref().and_then(canonical) {
            wanted.entry(pointer).or_default().push(index);
        }
    }
    if wanted.is_empty() {
        return;
    }
    for (index, position) in collect(source, wanted) {
        diagnostics[index].position = Some(position);
    }
}

/// One pass over `source`: the position of each wanted pointer found, with its indexes.
fn collect(source: &str, wanted: HashMap<String, Vec<usize>>) -> Vec<(usize, Position)> {
    if source.trim_start().starts_with(['{', '[']) {
        if let Some(hits) = json::collect(source, &mut wanted.clone()) {
            return hits;
        }
    }
    collect_yaml(source, wanted)
}

/// [`collect`] with the YAML event parser (any YAML, JSON included).
fn collect_yaml(source: &str, wanted: HashMap<String, Vec<usize>>) -> Vec<(usize, Position)> {
    let mut collector = Collector {
        wanted,
        hits: Vec::new(),
        pointer: String::new(),
        lengths: Vec::new(),
        stack: Vec::new(),
    };
    let mut parser = Parser::new_from_str(source);
    // Stop once every wanted pointer is found; a syntax error after the targets were found
    // still leaves usable answers.
    while !collector.wanted.is_empty() {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) | Err(_) => break,
            Ok((event, mark)) => collector.on_event(event, mark),
        }
    }
    collector
        .hits
        .into_iter()
        .map(|(index, mark)| {
            (
                index,
                Position {
                    line: mark.line(),
                    column: mark.col() + 1,
                },
            )
        })
        .collect()
}

/// `pointer` with every segment escaped the one canonical way (`None` if it is not a pointer).
fn canonical(pointer: &str) -> Option<String> {
    if pointer.is_empty() {
        return Some(String::new());
    }
    let mut out = String::with_capacity(pointer.len());
    for segment in pointer.strip_prefix('/')?.split('/') {
        out.push('/');
        out.push_str(&escape(&unescape(segment)));
    }
    Some(out)
}

/// Unescapes one JSON pointer segment (`~1` → `/`, `~0` → `~`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Escapes one JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

enum Frame {
    Map { expecting_key: bool },
    Seq { index: usize },
}

/// Follows the current node's pointer as text through the parser's events and records the
/// first position of every wanted pointer.
struct Collector {
    /// Canonical pointer → indexes of the diagnostics that want it; removed once found.
    wanted: HashMap<String, Vec<usize>>,
    /// (diagnostic index, position) for each pointer found.
    hits: Vec<(usize, Marker)>,
    /// The current node's canonical pointer.
    pointer: String,
    /// `pointer`'s length before each pushed segment.
    lengths: Vec<usize>,
    stack: Vec<Frame>,
}

impl Collector {
    fn push_segment(&mut self, segment: &str) {
        self.lengths.push(self.pointer.len());
        self.pointer.push('/');
        self.pointer.push_str(&escape(segment));
    }

    fn pop_segment(&mut self) {
        if let Some(length) = self.lengths.pop() {
            self.pointer.truncate(length);
        }
    }

    fn check(&mut self, mark: Marker) {
        if let Some(indexes) = self.wanted.remove(&self.pointer) {
            self.hits
                .extend(indexes.into_iter().map(|index| (index, mark)));
        }
    }

    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { expecting_key }) => {
                *expecting_key = true;
                self.pop_segment();
            }
            Some(Frame::Seq { index }) => {
                *index += 1;
                self.pop_segment();
            }
            None => {}
        }
    }

    /// A node starts: a mapping key (returns true), a sequence item or the root.
    fn node_start(&mut self, mark: Marker, key_text: Option<&str>) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Map { expecting_key }) if *expecting_key => {
                *expecting_key = false;
                self.push_segment(key_text.unwrap_or_default());
                self.check(mark);
                return true;
            }
            Some(Frame::Seq { index }) => {
                let index = *index;
                self.push_segment(&index.to_string());
                self.check(mark);
            }
            _ => self.check(mark),
        }
        false
    }
}

impl MarkedEventReceiver for Collector {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.wanted.is_empty() {
            return;
        }
        match ev {
            Event::Scalar(text, ..) => {
                let was_key = self.node_start(mark, Some(&text));
                if !was_key {
                    self.value_done();
                }
            }
            Event::Alias(_) => {
                let was_key = self.node_start(mark, None);
                if !was_key {
                    self.value_done();
                }
            }
            Event::MappingStart(..) => {
                self.node_start(mark, None);
                self.stack.push(Frame::Map {
                    expecting_key: true,
                });
            }
            Event::SequenceStart(..) => {
                self.node_start(mark, None);
                self.stack.push(Frame::Seq { index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pointer of `source` (a JSON document) with its position, by the YAML parser and by
    /// the JSON scan: the same.
    fn both_ways_agree(source: &str) {
        let value: serde_json::Value = serde_json::from_str(source).expect("JSON");
        let mut pointers = vec![String::new()];
        let mut todo = vec![(String::new(), &value)];
        while let Some((pointer, value)) = todo.pop() {
            let children: Vec<(String, &serde_json::Value)> = match value {
                serde_json::Value::Object(map) => map
                    .iter()
                    .map(|(k, v)| (format!("{pointer}/{}", escape(k)), v))
                    .collect(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{pointer}/{i}"), v))
                    .collect(),
                _ => Vec::new(),
            };
            for (child, value) in children {
                pointers.push(child.clone());
                todo.push((child, value));
            }
        }
        pointers.push("/no/such/pointer".to_owned());
        let wanted: HashMap<String, Vec<usize>> = pointers
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), vec![i]))
            .collect();
        let mut by_yaml = collect_yaml(source, wanted.clone());
        let mut by_json = json::collect(source, &mut wanted.clone()).expect("scanned as JSON");
        by_yaml.sort_by_key(|(i, _)| *i);
        by_json.sort_by_key(|(i, _)| *i);
        assert_eq!(
            by_json.len(),
            pointers.len() - 1,
            "every pointer but the missing one"
        );
        for ((i, yaml), (j, json)) in by_yaml.iter().zip(&by_json) {
            assert_eq!((i, yaml), (j, json), "{}", pointers[*i]);
        }
        assert_eq!(by_yaml.len(), by_json.len());
        // One pointer at a time, as a diagnostic asks: the scan descends only towards it.
        for pointer in pointers.iter().step_by(7) {
            let mut one = HashMap::from([(pointer.clone(), vec![0])]);
            let found = json::collect(source, &mut one).expect("JSON");
            assert_eq!(
                found.first().map(|(_, p)| *p),
                locate(source, pointer),
                "{pointer}"
            );
        }
    }

    #[test]
    fn the_json_scan_finds_what_the_yaml_parser_finds() {
        both_ways_agree(
            "{\n  \"openapi\": \"3.0.3\",\r\n  \"paths\": {\"/a/{b}\": {\"get\": {\"tags\": [\"x\", {\"y\": [1, -2.5e3, true, null]}]}},\n    \"~t\\\"é\\u00e9/\": [],\n    \"ü\": {\"k\": {}}},\n  \"components\": {\"schemas\": {\"A\": {\"enum\": [\"a,b\", \"[\", \"}\"]}}}\n}\n",
        );
        both_ways_agree("[{\"a\": 1}, [2, [3]], \"z\"]");
        both_ways_agree("{\r\"a\": [1,\r  {\"b\": 2}]}");
        // Real descriptions in the repository: GitHub's (trimmed, 244 KB) and two of the fuzz
        // seeds (other publishers' layouts).
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "../desk-cli/tests/fixtures/api.github.com.trimmed.json",
            "tests/fuzz_seeds/buildomat.json",
            "tests/fuzz_seeds/keeper.json",
        ] {
            let text = std::fs::read_to_string(root.join(file)).expect(file);
            both_ways_agree(&text);
            // Minified, as APIs.guru publishes them: the whole description on one line.
            let value: serde_json::Value = serde_json::from_str(&text).expect(file);
            both_ways_agree(&serde_json::to_string(&value).expect("JSON"));
        }
    }

    #[test]
    fn the_json_scan_reads_escaped_surrogate_pairs() {
        // The YAML parser refuses `\ud83d\ude00` (a surrogate pair, valid JSON): the scan does not.
        let source = "{\"a\": 1,\n \"\\ud83d\\ude00/\": {\"b\": 2}}";
        assert_eq!(
            locate(source, "/😀~1/b"),
            Some(Position {
                line: 2,
                column: 20
            })
        );
    }

    #[test]
    fn text_that_is_not_json_goes_to_the_yaml_parser() {
        for source in [
            "{a: b}",
            "{\"a\": b}",
            "[1, 2,]",
            "{\"a\": [1}",
            "{\"a\": 1 \"b\": 2}",
            "openapi: 3.0.3",
            "\"a\"",
        ] {
            let mut wanted = HashMap::from([("/b".to_owned(), vec![0])]);
            assert_eq!(json::collect(source, &mut wanted), None, "{source}");
        }
        assert_eq!(
            locate("{a: {b: 1}}", "/a/b"),
            Some(Position { line: 1, column: 6 })
        );
    }

    #[test]
    fn finds_yaml_keys_and_items() {
        let src = "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n    B:\n      allOf:\n        - $ref: '#/x'\n";
        assert_eq!(
            locate(src, "/components/schemas/B"),
            Some(Position { line: 6, column: 5 })
        );
        assert_eq!(
            locate(src, "/components/schemas/B/allOf/0/$ref"),
            Some(Position {
                line: 8,
                column: 11
            })
        );
        assert_eq!(locate(src, "/components/schemas/C"), None);
    }

    #[test]
    fn finds_json_keys() {
        let src = "{\n  \"paths\": {\n    \"/a/{b}\": {\"get\": {}}\n  }\n}";
        assert_eq!(
            locate(src, "/paths/~1a~1{b}/get"),
            Some(Position {
                line: 3,
                column: 16
            })
        );
    }

    #[test]
    fn locate_all_agrees_with_locate_in_one_pass() {
        let src = "openapi: 3.0.3\npaths:\n  /a~b/{c}:\n    get: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n    B:\n      allOf:\n        - $ref: '#/x'\n        - {type: string}\n";
        let pointers = [
            "/components/schemas/B",
            "/components/schemas/B/allOf/1/type",
            "/components/schemas/B",
            "/paths/~1a~0b~1{c}/get",
            "/components/schemas/C",
            "",
        ];
        let mut diagnostics: Vec<Diagnostic> = pointers
            .iter()
            .map(|p| Diagnostic::warning(crate::DiagnosticKind::Fallback, "api.yaml", "m").at(*p))
            .collect();
        locate_all(src, &mut diagnostics);
        for (pointer, diagnostic) in pointers.iter().zip(&diagnostics) {
            assert_eq!(diagnostic.position, locate(src, pointer), "{pointer}");
        }
        assert_eq!(
            diagnostics[1].position,
            Some(Position {
                line: 12,
                column: 12
            })
        );
        assert_eq!(diagnostics[4].position, None);
    }
}
