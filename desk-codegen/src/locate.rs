//! Maps a JSON pointer to a line and column in the spec's text.
//!
//! Only used on the error path: parsing events with positions costs more than `serde_yaml`,
//! so a successful run never pays for it. JSON is parsed by the same YAML event parser.

use crate::error::Position;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The position of the node at `pointer` (for a mapping entry, the position of its key).
pub fn locate(source: &str, pointer: &str) -> Option<Position> {
    let target: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer.strip_prefix('/')?.split('/').map(unescape).collect()
    };
    let mut finder = Finder { target, path: Vec::new(), stack: Vec::new(), found: None };
    let mut parser = Parser::new_from_str(source);
    // A syntax error after the target was found still leaves a usable answer.
    let _ = parser.load(&mut finder, false);
    finder.found.map(|m| Position { line: m.line(), column: m.col() + 1 })
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

struct Finder {
    target: Vec<String>,
    path: Vec<String>,
    stack: Vec<Frame>,
    found: Option<Marker>,
}

impl Finder {
    fn check(&mut self, mark: Marker) {
        if self.found.is_none() && self.path == self.target {
            self.found = Some(mark);
        }
    }

    /// Called when a value (scalar or whole container) has ended.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { expecting_key }) => {
                *expecting_key = true;
                self.path.pop();
            }
            Some(Frame::Seq { index }) => {
                *index += 1;
                self.path.pop();
            }
            None => {}
        }
    }

    fn node_start(&mut self, mark: Marker, key_text: Option<&str>) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Map { expecting_key }) if *expecting_key => {
                *expecting_key = false;
                self.path.push(key_text.unwrap_or_default().to_owned());
                self.check(mark);
                return true;
            }
            Some(Frame::Seq { index }) => {
                let index = *index;
                self.path.push(index.to_string());
                self.check(mark);
            }
            _ => self.check(mark),
        }
        false
    }
}

impl MarkedEventReceiver for Finder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.found.is_some() {
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
                self.stack.push(Frame::Map { expecting_key: true });
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

    #[test]
    fn finds_yaml_keys_and_items() {
        let src = "openapi: 3.0.3\ncomponents:\n  schemas:\n    A:\n      type: object\n    B:\n      allOf:\n        - $ref: '#/x'\n";
        assert_eq!(locate(src, "/components/schemas/B"), Some(Position { line: 6, column: 5 }));
        assert_eq!(locate(src, "/components/schemas/B/allOf/0/$ref"), Some(Position { line: 8, column: 11 }));
        assert_eq!(locate(src, "/components/schemas/C"), None);
    }

    #[test]
    fn finds_json_keys() {
        let src = "{\n  \"paths\": {\n    \"/a/{b}\": {\"get\": {}}\n  }\n}";
        assert_eq!(locate(src, "/paths/~1a~1{b}/get"), Some(Position { line: 3, column: 16 }));
    }
}
