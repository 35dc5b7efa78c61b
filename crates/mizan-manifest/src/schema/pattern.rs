//! Regular expressions that mean the same in Rust's `regex` crate (which
//! garde uses on the server) and in JavaScript's `RegExp` with the `u` flag.
//!
//! A `pattern` is parsed with a deliberately small grammar and re-emitted as
//! a JavaScript regex literal. Anything outside the common subset, or whose
//! meaning differs between the two engines, is refused with the reason:
//!
//! - literals, `^`, `$`, `|`, groups `( )`, `(?: )`, named groups
//!   `(?<name> )` / `(?P<name> )`, greedy and lazy quantifiers `* + ? {n}
//!   {n,} {n,m}`;
//! - classes `[...]` / `[^...]` of literal characters and ranges (no nested
//!   classes, no set operations, no leading `]`);
//! - escapes of syntax characters, `\n \t \r \f \v`, `\xHH`, `\x{H…}`,
//!   `\uHHHH`, `\u{H…}`, `\U…`, and `\p{..}` / `\P{..}` for Unicode general
//!   categories;
//! - `.` is emitted as `[^\n]`, which is what it means in Rust (JavaScript's
//!   `.` also excludes `\r`, U+2028 and U+2029).
//!
//! Refused: `\d \w \s \b` and their negations (Unicode-aware in Rust,
//! ASCII-only or different in JavaScript; write `[0-9]` and friends),
//! backreferences, lookaround, inline flags, `\A \z`, POSIX classes.

/// How lenient the translation is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A user's `pattern`: exact parity with Rust or refusal.
    Exact,
    /// A map key pattern emitted by schemars (`^\d+$` for integer keys): the
    /// server parses keys as integers (ASCII digits), so `\d` is `[0-9]`.
    MapKey,
}

/// General categories accepted inside `\p{..}` (same spelling in both).
const CATEGORIES: &[&str] = &[
    "L",
    "Lu",
    "Ll",
    "Lt",
    "Lm",
    "Lo",
    "M",
    "Mn",
    "Mc",
    "Me",
    "N",
    "Nd",
    "Nl",
    "No",
    "P",
    "Pc",
    "Pd",
    "Ps",
    "Pe",
    "Pi",
    "Pf",
    "Po",
    "S",
    "Sm",
    "Sc",
    "Sk",
    "So",
    "Z",
    "Zs",
    "Zl",
    "Zp",
    "Cc",
    "Cf",
    "Co",
    "Letter",
    "Uppercase_Letter",
    "Lowercase_Letter",
    "Mark",
    "Number",
    "Decimal_Number",
    "Punctuation",
    "Symbol",
    "Separator",
];

/// Translates `pattern` to a JavaScript regex literal (`/…/u`).
pub fn to_js(pattern: &str, mode: Mode) -> Result<String, String> {
    let mut p =
        Parser { chars: pattern.chars().collect(), pos: 0, out: String::new(), mode, names: Vec::new() };
    p.alternation(0)?;
    if p.pos < p.chars.len() {
        return Err(p.fail("unbalanced `)`"));
    }
    Ok(format!("/{}/u", p.out))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    out: String,
    mode: Mode,
    names: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn fail(&self, what: &str) -> String {
        let pattern: String = self.chars.iter().collect();
        format!(
            "pattern {pattern:?} is refused at offset {}: {what}; patterns must mean the same in Rust's regex crate and JavaScript's RegExp (see the mizan-codegen docs for the accepted subset)",
            self.pos
        )
    }

    fn alternation(&mut self, depth: usize) -> Result<(), String> {
        if depth > 64 {
            return Err(self.fail("groups nested too deeply"));
        }
        loop {
            self.concat(depth)?;
            match self.peek() {
                Some('|') => {
                    self.pos += 1;
                    self.out.push('|');
                }
                _ => return Ok(()),
            }
        }
    }

    fn concat(&mut self, depth: usize) -> Result<(), String> {
        while let Some(c) = self.peek() {
            let quantifiable = match c {
                '|' | ')' => return Ok(()),
                '^' | '$' => {
                    self.pos += 1;
                    self.out.push(c);
                    false
                }
                '(' => {
                    self.group(depth)?;
                    true
                }
                '[' => {
                    self.class()?;
                    true
                }
                '.' => {
                    self.pos += 1;
                    self.out.push_str("[^\\n]");
                    true
                }
                '\\' => {
                    self.escape()?;
                    true
                }
                '*' | '+' | '?' => return Err(self.fail("a quantifier with nothing to repeat")),
                '{' => return Err(self.fail("a literal `{` (escape it as `\\{`)")),
                '}' | ']' => return Err(self.fail("an unbalanced `}` or `]` (escape it)")),
                _ => {
                    self.pos += 1;
                    push_literal(&mut self.out, c);
                    true
                }
            };
            if let Some('*' | '+' | '?' | '{') = self.peek() {
                if !quantifiable {
                    return Err(self.fail("a quantifier on an anchor"));
                }
                self.quantifier()?;
            }
        }
        Ok(())
    }

    fn quantifier(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(c @ ('*' | '+' | '?')) => {
                self.pos += 1;
                self.out.push(c);
            }
            Some('{') => {
                self.pos += 1;
                let min = self.number().ok_or_else(|| self.fail("a malformed `{n,m}` repetition"))?;
                let mut text = format!("{{{min}");
                if self.peek() == Some(',') {
                    self.pos += 1;
                    text.push(',');
                    if let Some(max) = self.number() {
                        if max < min {
                            return Err(self.fail("a repetition `{n,m}` with m < n"));
                        }
                        text.push_str(&max.to_string());
                    }
                }
                if self.peek() != Some('}') {
                    return Err(self.fail("a malformed `{n,m}` repetition"));
                }
                self.pos += 1;
                text.push('}');
                self.out.push_str(&text);
            }
            _ => return Ok(()),
        }
        if self.peek() == Some('?') {
            self.pos += 1;
            self.out.push('?');
        }
        match self.peek() {
            Some('*' | '+' | '?' | '{') => Err(self.fail("a repeated quantifier")),
            _ => Ok(()),
        }
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while matches!(self.peek(), Some('0'..='9')) {
            self.pos += 1;
        }
        if self.pos == start || self.pos - start > 4 {
            return None;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse().ok().filter(|n| *n <= 1000)
    }

    fn group(&mut self, depth: usize) -> Result<(), String> {
        self.pos += 1; // (
        if self.peek() == Some('?') {
            match (self.peek_at(1), self.peek_at(2)) {
                (Some(':'), _) => {
                    self.pos += 2;
                    self.out.push_str("(?:");
                }
                (Some('P'), Some('<')) | (Some('<'), _) => {
                    self.pos += if self.peek_at(1) == Some('P') { 3 } else { 2 };
                    let start = self.pos;
                    while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
                        self.pos += 1;
                    }
                    let name: String = self.chars[start..self.pos].iter().collect();
                    if self.peek() != Some('>')
                        || name.is_empty()
                        || name.starts_with(|c: char| c.is_ascii_digit())
                    {
                        return Err(self.fail("a lookbehind or a malformed group name"));
                    }
                    if self.names.contains(&name) {
                        return Err(self.fail("a duplicate group name"));
                    }
                    self.pos += 1;
                    self.out.push_str(&format!("(?<{name}>"));
                    self.names.push(name);
                }
                _ => return Err(self.fail("lookaround and inline flags `(?…)` are not in both engines")),
            }
        } else {
            self.out.push('(');
        }
        self.alternation(depth + 1)?;
        if self.peek() != Some(')') {
            return Err(self.fail("an unclosed `(`"));
        }
        self.pos += 1;
        self.out.push(')');
        Ok(())
    }

    /// An escape outside a class.
    fn escape(&mut self) -> Result<(), String> {
        let Some(c) = self.peek_at(1) else {
            return Err(self.fail("a trailing `\\`"));
        };
        match c {
            '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '/' => {
                self.pos += 2;
                self.out.push('\\');
                self.out.push(c);
                Ok(())
            }
            'd' if self.mode == Mode::MapKey => {
                self.pos += 2;
                self.out.push_str("[0-9]");
                Ok(())
            }
            _ => {
                let text = self.shared_escape()?;
                self.out.push_str(&text);
                Ok(())
            }
        }
    }

    /// Escapes valid both inside and outside classes; returns the JS text.
    fn shared_escape(&mut self) -> Result<String, String> {
        let c = self.peek_at(1).unwrap_or('\0');
        match c {
            'n' | 't' | 'r' | 'f' | 'v' => {
                self.pos += 2;
                Ok(format!("\\{c}"))
            }
            'x' | 'u' | 'U' => {
                self.pos += 2;
                let value = if self.peek() == Some('{') {
                    self.pos += 1;
                    let v = self.hex(1, 8)?;
                    if self.peek() != Some('}') {
                        return Err(self.fail("a malformed `\\x{…}` escape"));
                    }
                    self.pos += 1;
                    v
                } else {
                    let digits = match c {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    self.hex(digits, digits)?
                };
                match char::from_u32(value) {
                    Some(ch) => Ok(format!("\\u{{{:X}}}", ch as u32)),
                    None => Err(self.fail("an escape that is not a Unicode scalar value")),
                }
            }
            'p' | 'P' => {
                self.pos += 2;
                if self.peek() != Some('{') {
                    return Err(self.fail("`\\pX` without braces (write `\\p{X}`)"));
                }
                self.pos += 1;
                let start = self.pos;
                while matches!(self.peek(), Some(ch) if ch != '}') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if self.peek() != Some('}') || !CATEGORIES.contains(&name.as_str()) {
                    return Err(self.fail(
                        "a Unicode property other than a general category such as `\\p{L}` or `\\p{Lu}`",
                    ));
                }
                self.pos += 1;
                Ok(format!("\\{c}{{{name}}}"))
            }
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => Err(self.fail(&format!(
                "`\\{c}` matches Unicode characters in Rust but only ASCII (or a different set) in JavaScript; write an explicit class such as [0-9] or [A-Za-z0-9_]"
            ))),
            'b' | 'B' => Err(self.fail("word boundaries are Unicode-aware in Rust and ASCII-only in JavaScript")),
            '0'..='9' => Err(self.fail("backreferences and octal escapes are not in both engines")),
            _ => Err(self.fail(&format!("the escape `\\{c}` is not in both engines"))),
        }
    }

    fn hex(&mut self, min: usize, max: usize) -> Result<u32, String> {
        let start = self.pos;
        while self.pos - start < max && matches!(self.peek(), Some(c) if c.is_ascii_hexdigit()) {
            self.pos += 1;
        }
        if self.pos - start < min {
            return Err(self.fail("a malformed hexadecimal escape"));
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        u32::from_str_radix(&text, 16).map_err(|_| self.fail("a malformed hexadecimal escape"))
    }

    fn class(&mut self) -> Result<(), String> {
        self.pos += 1; // [
        self.out.push('[');
        if self.peek() == Some('^') {
            self.pos += 1;
            self.out.push('^');
        }
        if self.peek() == Some(']') {
            return Err(self.fail("a class starting with `]` (literal in Rust, empty in JavaScript)"));
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.fail("an unclosed `[`"));
            };
            if c == ']' {
                self.pos += 1;
                self.out.push(']');
                return Ok(());
            }
            if c == '-' && (first || self.peek_at(1) == Some(']')) {
                self.pos += 1;
                self.out.push_str("\\-");
                first = false;
                continue;
            }
            let (lo, text) = self.class_atom()?;
            first = false;
            if self.peek() == Some('-') && self.peek_at(1) != Some(']') {
                self.pos += 1;
                let Some(lo) = lo else {
                    return Err(self.fail("a range whose start is not a single character"));
                };
                if self.peek() == Some('-') {
                    return Err(self.fail("`--` (a class set operation in Rust)"));
                }
                let (hi, hi_text) = self.class_atom()?;
                let Some(hi) = hi else {
                    return Err(self.fail("a range whose end is not a single character"));
                };
                if hi < lo {
                    return Err(self.fail("a range out of order"));
                }
                self.out.push_str(&text);
                self.out.push('-');
                self.out.push_str(&hi_text);
                if self.peek() == Some('-') && self.peek_at(1) != Some(']') {
                    return Err(self.fail("a `-` right after a range"));
                }
            } else {
                self.out.push_str(&text);
            }
        }
    }

    /// One class member: its character when it is a single one, and its JS text.
    fn class_atom(&mut self) -> Result<(Option<char>, String), String> {
        let Some(c) = self.peek() else {
            return Err(self.fail("an unclosed `[`"));
        };
        match c {
            '[' => Err(self.fail("a nested class or POSIX class (Rust only)")),
            '&' if self.peek_at(1) == Some('&') => Err(self.fail("`&&` (a class set operation in Rust)")),
            '~' if self.peek_at(1) == Some('~') => Err(self.fail("`~~` (a class set operation in Rust)")),
            '\\' => {
                let Some(e) = self.peek_at(1) else {
                    return Err(self.fail("a trailing `\\`"));
                };
                match e {
                    '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|'
                    | '/' | '-' => {
                        self.pos += 2;
                        Ok((Some(e), format!("\\{e}")))
                    }
                    'd' if self.mode == Mode::MapKey => {
                        self.pos += 2;
                        Ok((None, "0-9".to_owned()))
                    }
                    'n' | 't' | 'r' | 'f' | 'v' | 'x' | 'u' | 'U' => {
                        let single = match e {
                            'n' => Some('\n'),
                            't' => Some('\t'),
                            'r' => Some('\r'),
                            'f' => Some('\u{c}'),
                            'v' => Some('\u{b}'),
                            _ => None,
                        };
                        let text = self.shared_escape()?;
                        let ch = single.or_else(|| {
                            text.strip_prefix("\\u{")
                                .and_then(|t| t.strip_suffix('}'))
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                        });
                        Ok((ch, text))
                    }
                    _ => Ok((None, self.shared_escape()?)),
                }
            }
            _ => {
                self.pos += 1;
                let mut text = String::new();
                push_literal(&mut text, c);
                Ok((Some(c), text))
            }
        }
    }
}

fn push_literal(out: &mut String, c: char) {
    match c {
        '/' => out.push_str("\\/"),
        c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> String {
        match to_js(p, Mode::Exact) {
            Ok(js) => js,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[test]
    fn accepted() {
        assert_eq!(ok("^[a-z]+$"), "/^[a-z]+$/u");
        assert_eq!(ok("^a.b$"), "/^a[^\\n]b$/u");
        assert_eq!(ok("a/b"), "/a\\/b/u");
        assert_eq!(ok("(?P<x>a){2,3}?"), "/(?<x>a){2,3}?/u");
        assert_eq!(ok("[-a-c_]"), "/[\\-a-c_]/u");
        assert_eq!(ok("\\x{41}\\u00e9"), "/\\u{41}\\u{E9}/u");
        assert_eq!(ok("\\p{Lu}"), "/\\p{Lu}/u");
        assert_eq!(to_js("^\\d+$", Mode::MapKey).ok().as_deref(), Some("/^[0-9]+$/u"));
    }

    #[test]
    fn refused() {
        for p in [
            "\\d",
            "\\w+",
            "a\\b",
            "(?=a)",
            "(?i)a",
            "[[:alpha:]]",
            "[a&&b]",
            "[]a]",
            "a{",
            "a**",
            "^*",
            "\\1",
            "(a",
            "a)",
            "[a-\\d]",
            "\\pL",
            "\\p{Greek}",
            "\\-",
            "a{,3}",
            "[z-a]",
            "\\uD800",
        ] {
            assert!(to_js(p, Mode::Exact).is_err(), "{p} should be refused");
        }
    }
}
