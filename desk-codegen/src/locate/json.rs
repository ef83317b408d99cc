//! The JSON path of [`super::collect`]: positions of wanted pointers in JSON text without the
//! YAML event parser, which builds every scalar of the document as a string. This scan
//! descends only into the members on the way to a wanted pointer and skips every other value
//! by matching brackets (strings cannot hold raw newlines or unescaped quotes, so a skipped
//! value costs a byte scan). Positions are the YAML parser's: an object member's is its key's
//! opening quote, an array item's and the root's the value's first character; columns count
//! characters from 1. Text that is not JSON gives `None`, and the YAML parser does the work.

use std::collections::{HashMap, HashSet};

use super::escape;
use crate::error::Position;

/// The position of each wanted pointer found, with its indexes; `None` when `source` is not
/// JSON (or is JSON this scan does not follow), so the caller falls back to the YAML parser.
pub(super) fn collect(
    source: &str,
    wanted: &mut HashMap<String, Vec<usize>>,
) -> Option<Vec<(usize, Position)>> {
    // The containers to enter: every proper ancestor of a wanted pointer (a wanted value
    // itself is skipped whole unless something inside it is wanted too).
    let mut on_the_way: HashSet<&str> = HashSet::new();
    for pointer in wanted.keys() {
        let mut end = pointer.len();
        while let Some(slash) = pointer[..end].rfind('/') {
            end = slash;
            on_the_way.insert(&pointer[..end]);
        }
    }
    let on_the_way: HashSet<String> = on_the_way.into_iter().map(str::to_owned).collect();
    let mut scan = Scan {
        text: source.as_bytes(),
        source,
        at: 0,
        line: 1,
        line_start: 0,
        counted: 0,
        counted_to: 0,
    };
    let mut hits = Vec::new();
    scan.whitespace();
    if !matches!(scan.peek()?, b'{' | b'[') {
        return None;
    }
    let mut pointer = String::new();
    let root = scan.position();
    if let Some(indexes) = wanted.remove("") {
        hits.extend(indexes.into_iter().map(|index| (index, root)));
    }
    // Containers being walked: whether each is an object, the length of the pointer before
    // its members' segments, and the next array index.
    let mut stack: Vec<(bool, usize, usize)> = Vec::new();
    if on_the_way.contains("") {
        scan.open(&mut stack, pointer.len())?;
    } else {
        scan.skip_value()?;
    }
    while let Some(&(object, base, index)) = stack.last() {
        if wanted.is_empty() {
            break;
        }
        scan.whitespace();
        let close = if object { b'}' } else { b']' };
        if scan.peek()? == close {
            scan.at += 1;
            stack.pop();
            scan.member_end(&mut stack)?;
            continue;
        }
        pointer.truncate(base);
        pointer.push('/');
        let position = scan.position();
        if object {
            let key = scan.string()?;
            pointer.push_str(&escape(&key));
            scan.whitespace();
            scan.expect(b':')?;
            scan.whitespace();
        } else {
            pointer.push_str(&index.to_string());
            if let Some(last) = stack.last_mut() {
                last.2 += 1;
            }
        }
        if let Some(indexes) = wanted.remove(&pointer) {
            hits.extend(indexes.into_iter().map(|index| (index, position)));
        }
        if on_the_way.contains(&pointer) && matches!(scan.peek()?, b'{' | b'[') {
            scan.open(&mut stack, pointer.len())?;
        } else {
            scan.skip_value()?;
            scan.member_end(&mut stack)?;
        }
    }
    Some(hits)
}

struct Scan<'a> {
    text: &'a [u8],
    source: &'a str,
    at: usize,
    /// The line of `at`, from 1, and the byte where it starts.
    line: usize,
    line_start: usize,
    /// The characters of the line before byte `counted_to` (see [`Scan::position`]).
    counted: usize,
    counted_to: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// The position of `at`. The scan only moves forward, so the characters of the line are
    /// counted from the last position asked (a minified description is one line: counting from
    /// the line's start each time would be quadratic).
    fn position(&mut self) -> Position {
        if self.counted_to < self.line_start {
            (self.counted_to, self.counted) = (self.line_start, 0);
        }
        self.counted += self
            .source
            .get(self.counted_to..self.at)
            .map_or(0, |text| text.chars().count());
        self.counted_to = self.at;
        Position {
            line: self.line,
            column: self.counted + 1,
        }
    }

    /// Skips whitespace, counting lines (JSON text has newlines nowhere else).
    fn whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                // A lone CR ends a line too (the YAML parser counts it so).
                b'\r' if self.text.get(self.at + 1) != Some(&b'\n') => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                _ => break,
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Enters the object or array at `at`.
    fn open(&mut self, stack: &mut Vec<(bool, usize, usize)>, base: usize) -> Option<()> {
        let object = self.peek()? == b'{';
        self.at += 1;
        stack.push((object, base, 0));
        Some(())
    }

    /// After a member or item: the comma before the next one, if any.
    fn member_end(&mut self, stack: &mut [(bool, usize, usize)]) -> Option<()> {
        if stack.is_empty() {
            return Some(());
        }
        self.whitespace();
        match self.peek()? {
            b',' => {
                self.at += 1;
                self.whitespace();
                // A trailing comma is not JSON.
                (!matches!(self.peek()?, b'}' | b']')).then_some(())
            }
            b'}' | b']' => Some(()),
            _ => None,
        }
    }

    /// A string at `at`, unescaped.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek()?, b'"' | b'\\' | b'\n') {
                self.at += 1;
            }
            out.push_str(self.source.get(start..self.at)?);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = self.peek()?;
                    self.at += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// The character of `\uXXXX` (after the `u`), a surrogate pair included.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.text.get(self.at..self.at + 2)? != b"\\u" {
            return None;
        }
        self.at += 2;
        let low = self.hex4()?;
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low.checked_sub(0xDC00)?))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.source.get(self.at..self.at + 4)?;
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// Skips the value at `at` (brackets matched with a depth count, never the stack).
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.whitespace();
            match self.peek()? {
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b'"' => {
                    self.at += 1;
                    loop {
                        match self.peek()? {
                            b'"' => break,
                            b'\\' => self.at += 2,
                            b'\n' => return None,
                            _ => self.at += 1,
                        }
                    }
                    self.at += 1;
                }
                b',' | b':' if depth > 0 => self.at += 1,
                b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                    while self.peek().is_some_and(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')
                    }) {
                        self.at += 1;
                    }
                }
                _ => return None,
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}
