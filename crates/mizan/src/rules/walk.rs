//! Walking a JSON value along a compiled schema, collecting every issue at
//! its wire path. The semantics are those of the generated Zod (see
//! `mizan-codegen`'s `render.rs`): what one side refuses, the other does,
//! at the same path with the same code.

use mizan_manifest::schema::{Lit, MAX_SAFE};
use serde_json::{Map, Number, Value};

use super::formats::{self, Verdict};
use super::node::{Compiled, ExtraNode, FloatNode, Node, ObjNode, StrNode};
use crate::error::{Issue, IssueCode, PathSegment};

/// References followed without consuming any of the value: past this, a
/// schema that refers to itself in a loop stops being checked.
const MAX_REF_HOPS: u32 = 64;

/// A string to write in place of the one at `path` once the value passed:
/// an accepted date or time in its canonical form ([`formats::canonical`]).
pub(super) struct Rewrite {
    pub(super) path: Vec<PathSegment>,
    pub(super) text: String,
}

pub(super) struct Walk<'a> {
    compiled: &'a Compiled,
    path: Vec<PathSegment>,
    issues: Vec<Issue>,
    rewrites: Vec<Rewrite>,
    /// Aborting issues so far: Zod's non-integer refusal of an integer
    /// (`continue: false`), after which Zod skips the size checks of every
    /// array around it, up to the nearest union (which re-reports its
    /// member's issues without the flag).
    aborts: usize,
}

impl<'a> Walk<'a> {
    pub(super) fn new(compiled: &'a Compiled) -> Self {
        Self { compiled, path: Vec::new(), issues: Vec::new(), rewrites: Vec::new(), aborts: 0 }
    }

    /// The issues found, and the rewrites of the strings that passed.
    pub(super) fn finish(self) -> (Vec<Issue>, Vec<Rewrite>) {
        (self.issues, self.rewrites)
    }

    fn issue(&mut self, code: IssueCode, message: impl Into<String>) {
        self.issues.push(Issue { path: self.path.clone(), code, message: message.into() });
    }

    fn at_key(&mut self, key: &str, f: impl FnOnce(&mut Self)) {
        self.path.push(PathSegment::Key(key.to_owned()));
        f(self);
        self.path.pop();
    }

    fn at_index(&mut self, index: usize, f: impl FnOnce(&mut Self)) {
        self.path.push(PathSegment::Index(index));
        f(self);
        self.path.pop();
    }

    /// Whether `value` passes `node` (issues discarded).
    pub(super) fn passes(&self, node: &Node, value: &Value) -> bool {
        self.trial(node, value).is_some()
    }

    /// The rewrites of `value` under `node` (at their full paths) when it
    /// passes.
    fn trial(&self, node: &Node, value: &Value) -> Option<Vec<Rewrite>> {
        let mut trial = Walk::new(self.compiled);
        trial.path.clone_from(&self.path);
        trial.node(node, value, 0);
        trial.issues.is_empty().then_some(trial.rewrites)
    }

    pub(super) fn node(&mut self, node: &Node, value: &Value, hops: u32) {
        match node {
            Node::Any => {}
            Node::Never => self.issue(IssueCode::InvalidType, "no value is allowed here"),
            Node::Null => {
                if !value.is_null() {
                    self.issue(IssueCode::InvalidType, format!("expected null, found {}", kind(value)));
                }
            }
            Node::Bool => {
                if !value.is_boolean() {
                    self.issue(IssueCode::InvalidType, format!("expected a boolean, found {}", kind(value)));
                }
            }
            Node::Str(s) => match value {
                Value::String(text) => self.string(s, text),
                other => {
                    self.issue(IssueCode::InvalidType, format!("expected a string, found {}", kind(other)))
                }
            },
            Node::Int { min, max } => self.integer(*min, *max, value),
            Node::Float(f) => self.float(f, value),
            Node::Lit(lits) => {
                if !lits.iter().any(|l| l.matches(value)) {
                    self.issue(IssueCode::InvalidValue, format!("expected {}", one_of(lits)));
                }
            }
            Node::Array { item, min, max } => match value {
                Value::Array(items) => {
                    let aborts = self.aborts;
                    for (i, v) in items.iter().enumerate() {
                        self.at_index(i, |w| w.node(item, v, 0));
                    }
                    if self.aborts == aborts {
                        self.size(items.len(), *min, *max);
                    }
                }
                other => {
                    self.issue(IssueCode::InvalidType, format!("expected an array, found {}", kind(other)))
                }
            },
            Node::Tuple { items, rest } => self.tuple(items, rest.as_deref(), value),
            Node::Record { value: item, key } => match value {
                Value::Object(map) => {
                    for (k, v) in map {
                        if key.as_ref().is_some_and(|re| !re.is_match(k)) {
                            self.at_key(k, |w| w.issue(IssueCode::InvalidFormat, "not a valid key"));
                        } else {
                            self.at_key(k, |w| w.node(item, v, 0));
                        }
                    }
                }
                other => {
                    self.issue(IssueCode::InvalidType, format!("expected an object, found {}", kind(other)))
                }
            },
            Node::Object(obj) => match value {
                Value::Object(map) => self.object(obj, map),
                other => {
                    self.issue(IssueCode::InvalidType, format!("expected an object, found {}", kind(other)))
                }
            },
            Node::Nullable(inner) => {
                if !value.is_null() {
                    self.node(inner, value, hops);
                }
            }
            Node::Union { members, selector } => {
                if let Some(member) =
                    selector.as_ref().and_then(|s| s.pick(value)).and_then(|i| members.get(i))
                {
                    let aborts = self.aborts;
                    self.node(member, value, hops);
                    self.aborts = aborts;
                    return;
                }
                // The first member that accepts the value is the one serde takes.
                match members.iter().find_map(|m| self.trial(m, value)) {
                    Some(rewrites) => self.rewrites.extend(rewrites),
                    None => self.issue(IssueCode::InvalidValue, "matches none of the variants"),
                }
            }
            Node::Inter(members) => {
                for m in members {
                    self.node(m, value, hops);
                }
            }
            Node::Ref(i) => {
                if let Some(def) = self.compiled.defs.get(*i).filter(|_| hops < MAX_REF_HOPS) {
                    self.node(def, value, hops + 1);
                }
            }
        }
    }

    /// A string: its format, then its pattern, then its length in code
    /// points; a URL or `int64-string` range failure stops the later rules.
    fn string(&mut self, s: &StrNode, text: &str) {
        match formats::check(s.format, text) {
            Verdict::Pass => {
                if let Some(text) = formats::canonical(s.format, text) {
                    self.rewrites.push(Rewrite { path: self.path.clone(), text });
                }
            }
            Verdict::Refused(why) => self.issue(IssueCode::InvalidFormat, why),
            Verdict::Final(why) => return self.issue(IssueCode::InvalidFormat, why),
        }
        if let Some((re, source)) = &s.pattern
            && !re.is_match(text)
        {
            self.issue(IssueCode::InvalidFormat, format!("does not match the pattern /{source}/"));
        }
        if s.min_chars.is_some() || s.max_chars.is_some() {
            let n = text.chars().count() as u64;
            if s.min_chars.is_some_and(|min| n < min) {
                self.issue(IssueCode::TooSmall, format!("length is lower than {}", s.min_chars.unwrap_or(0)));
            }
            if let Some(max) = s.max_chars.filter(|&max| n > max) {
                self.issue(IssueCode::TooBig, format!("length is greater than {max}"));
            }
        }
    }

    /// An integer: a number without a fractional part, within its bounds
    /// (a float spelling of an integer, `5.0`, is an integer here as in
    /// JavaScript; serde may still refuse it for the Rust type).
    fn integer(&mut self, min: i128, max: i128, value: &Value) {
        let Value::Number(n) = value else {
            return self.issue(IssueCode::InvalidType, format!("expected an integer, found {}", kind(value)));
        };
        let exact: Option<i128> = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
        let (below, above) = match exact {
            Some(x) => (x < min, x > max),
            None => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if x.fract() != 0.0 {
                    self.aborts += 1;
                    return self.issue(IssueCode::InvalidType, "expected an integer, found a fraction");
                }
                #[allow(clippy::cast_precision_loss)]
                (x < min as f64, x > max as f64)
            }
        };
        if below {
            self.issue(IssueCode::TooSmall, format!("lower than {min}"));
        } else if above {
            self.issue(IssueCode::TooBig, format!("greater than {max}"));
        }
    }

    fn float(&mut self, f: &FloatNode, value: &Value) {
        let Some(x) = value.as_f64().filter(|_| value.is_number()) else {
            return self.issue(IssueCode::InvalidType, format!("expected a number, found {}", kind(value)));
        };
        if let Some(min) = f.min.filter(|&min| x < min) {
            self.issue(IssueCode::TooSmall, format!("lower than {}", show(min)));
        }
        if let Some(min) = f.exclusive_min.filter(|&min| x <= min) {
            self.issue(IssueCode::TooSmall, format!("not greater than {}", show(min)));
        }
        if let Some(max) = f.max.filter(|&max| x > max) {
            self.issue(IssueCode::TooBig, format!("greater than {}", show(max)));
        }
        if let Some(max) = f.exclusive_max.filter(|&max| x >= max) {
            self.issue(IssueCode::TooBig, format!("not lower than {}", show(max)));
        }
        if let Some(step) = f.multiple_of.filter(|&step| step != 0.0 && !multiple(x, step)) {
            self.issue(IssueCode::Custom, format!("not a multiple of {}", show(step)));
        }
    }

    /// An array's `minItems` / `maxItems`, after its items.
    fn size(&mut self, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        if let Some(min) = min.filter(|&min| len < min) {
            self.issue(IssueCode::TooSmall, format!("length is lower than {min}"));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            self.issue(IssueCode::TooBig, format!("length is greater than {max}"));
        }
    }

    /// Zod's tuple: too short is one `too_small`; too long (without a rest
    /// type) is `too_big` and the fixed items are still checked.
    fn tuple(&mut self, items: &[Node], rest: Option<&Node>, value: &Value) {
        let Value::Array(values) = value else {
            return self.issue(IssueCode::InvalidType, format!("expected an array, found {}", kind(value)));
        };
        if rest.is_none() {
            if values.len() < items.len() {
                return self.issue(IssueCode::TooSmall, format!("length is lower than {}", items.len()));
            }
            if values.len() > items.len() {
                self.issue(IssueCode::TooBig, format!("length is greater than {}", items.len()));
            }
        }
        for (i, node) in items.iter().enumerate() {
            match values.get(i) {
                Some(v) => self.at_index(i, |w| w.node(node, v, 0)),
                // Only with a rest type can fixed items be missing (Zod: each is required).
                None if !matches!(node, Node::Any) => {
                    self.at_index(i, |w| w.issue(IssueCode::Required, "required"))
                }
                None => {}
            }
        }
        if let Some(rest) = rest {
            for (i, v) in values.iter().enumerate().skip(items.len()) {
                self.at_index(i, |w| w.node(rest, v, 0));
            }
        }
    }

    /// Properties in schema order (a missing required one is `required`; an
    /// absent one with a default is judged by its default, which the server
    /// fills in), then the keys no property names.
    fn object(&mut self, obj: &ObjNode, map: &Map<String, Value>) {
        for prop in &obj.props {
            match (map.get(&prop.name), &prop.default) {
                (Some(v), _) => self.at_key(&prop.name, |w| w.node(&prop.node, v, 0)),
                (None, Some(default)) if prop.optional => {
                    self.at_key(&prop.name, |w| w.node(&prop.node, default, 0));
                }
                (None, _) if prop.optional => {}
                (None, _) => self.at_key(&prop.name, |w| w.issue(IssueCode::Required, "required")),
            }
        }
        if matches!(obj.extra, ExtraNode::Allow) {
            return;
        }
        for (k, v) in map {
            if obj.props.iter().any(|p| &p.name == k) {
                continue;
            }
            match &obj.extra {
                ExtraNode::Schema(node) => self.at_key(k, |w| w.node(node, v, 0)),
                _ => self.at_key(k, |w| w.issue(IssueCode::UnknownKey, format!("unknown key `{k}`"))),
            }
        }
    }
}

/// JavaScript's `x % step === 0` as Zod judges `multipleOf` (with its
/// tolerance for decimal steps).
fn multiple(x: f64, step: f64) -> bool {
    let decimals = |v: f64| {
        let text = format!("{v}");
        text.split_once('.').map_or(0, |(_, d)| d.len())
    };
    let places = decimals(x).max(decimals(step)).min(300) as i32;
    let scale = 10f64.powi(places);
    let (a, b) = ((x * scale).round(), (step * scale).round());
    b != 0.0 && (a % b) == 0.0
}

/// A number for a message: integers without a fraction, `3.4028234663852886e38` as is.
fn show(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE { format!("{x:.0}") } else { format!("{x}") }
}

fn one_of(lits: &[Lit]) -> String {
    let text = |l: &Lit| match l {
        Lit::Str(s) => Value::String(s.clone()).to_string(),
        Lit::Num(n) => n.to_string(),
        Lit::Bool(b) => b.to_string(),
    };
    match lits {
        [one] => text(one),
        many => format!("one of {}", many.iter().map(text).collect::<Vec<_>>().join(", ")),
    }
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if is_integer(n) => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn is_integer(n: &Number) -> bool {
    n.is_i64() || n.is_u64()
}
