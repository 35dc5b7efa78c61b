//! The compiled contract: [`Ty`] with its references resolved to indices
//! and its regular expressions built, once per input.

use std::collections::BTreeMap;

use mizan_manifest::schema::{Extra, Format, Lit, Lowerer, Num, Selector, Side, Target, Ty};
use regex::Regex;
use serde_json::{Map, Value};

/// One node of a compiled input schema.
#[derive(Debug)]
pub(crate) enum Node {
    Any,
    Never,
    Null,
    Bool,
    Str(StrNode),
    Int {
        min: i128,
        max: i128,
    },
    Float(FloatNode),
    Lit(Vec<Lit>),
    Array {
        item: Box<Node>,
        min: Option<u64>,
        max: Option<u64>,
    },
    Tuple {
        items: Vec<Node>,
        rest: Option<Box<Node>>,
    },
    Record {
        value: Box<Node>,
        key: Option<Regex>,
    },
    Object(ObjNode),
    /// `null`, or the inner node.
    Nullable(Box<Node>),
    Union {
        members: Vec<Node>,
        selector: Option<Selector>,
    },
    Inter(Vec<Node>),
    /// An index into [`Compiled::defs`].
    Ref(usize),
}

#[derive(Debug)]
pub(crate) struct StrNode {
    pub(crate) format: Format,
    pub(crate) min_chars: Option<u64>,
    pub(crate) max_chars: Option<u64>,
    /// The user's `pattern` (not the one a format already checks).
    pub(crate) pattern: Option<(Regex, String)>,
}

#[derive(Debug)]
pub(crate) struct FloatNode {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) exclusive_min: Option<f64>,
    pub(crate) exclusive_max: Option<f64>,
    pub(crate) multiple_of: Option<f64>,
}

#[derive(Debug)]
pub(crate) struct ObjNode {
    pub(crate) props: Vec<PropNode>,
    pub(crate) extra: ExtraNode,
}

#[derive(Debug)]
pub(crate) struct PropNode {
    pub(crate) name: String,
    pub(crate) node: Node,
    pub(crate) optional: bool,
    pub(crate) default: Option<Value>,
}

#[derive(Debug)]
pub(crate) enum ExtraNode {
    Deny,
    Allow,
    Schema(Box<Node>),
}

/// A root node and the definitions its references index.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) root: Node,
    pub(crate) defs: Vec<Node>,
}

impl Compiled {
    /// Compiles a root schema (with its `$defs`) on the input side.
    pub(crate) fn new(root: &Value) -> Self {
        Self::for_side(root, Side::Input)
    }

    /// Compiles a root schema (with its `$defs`) on `side`.
    pub(crate) fn for_side(root: &Value, side: Side) -> Self {
        let empty = Map::new();
        let defs = root.get("$defs").and_then(Value::as_object).unwrap_or(&empty);
        let lowerer = Lowerer::for_target(side, defs, Target::Server);
        let index: BTreeMap<&str, usize> = defs.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let compile = |schema: &Value| {
            // The server target never refuses: an unmappable node is `Unknown`.
            let ty = lowerer.lower(schema, "").unwrap_or(Ty::Unknown);
            node(&ty, &index)
        };
        let defs = defs.values().map(compile).collect();
        Self { root: compile(root), defs }
    }
}

fn regex(source: &str) -> Option<Regex> {
    match Regex::new(source) {
        Ok(r) => Some(r),
        Err(e) => {
            // A pattern no Rust regex compiles cannot come from garde (it
            // compiles its patterns with the same crate): a hand-written
            // schema. It is left unchecked, as serde leaves it.
            tracing::warn!(pattern = source, error = %e, "a schema pattern that does not compile is not checked");
            None
        }
    }
}

fn float(n: Option<&serde_json::Number>) -> Option<f64> {
    n.and_then(serde_json::Number::as_f64)
}

fn node(ty: &Ty, index: &BTreeMap<&str, usize>) -> Node {
    match ty {
        Ty::Unknown => Node::Any,
        Ty::Never => Node::Never,
        Ty::Null => Node::Null,
        Ty::Bool => Node::Bool,
        Ty::Str(s) => {
            // `mizan::Id64`'s schema repeats its format's regex: checked once.
            let repeated = s.format == Format::IntString && s.source.as_deref() == Some("^-?[0-9]+$");
            let pattern =
                s.source.as_deref().filter(|_| !repeated).and_then(|p| regex(p).map(|r| (r, p.to_owned())));
            Node::Str(StrNode { format: s.format, min_chars: s.min_chars, max_chars: s.max_chars, pattern })
        }
        Ty::Num(Num::Int { min, max }) => Node::Int { min: *min, max: *max },
        Ty::Num(Num::Float { min, max, exclusive_min, exclusive_max, multiple_of }) => {
            Node::Float(FloatNode {
                min: float(min.as_ref()),
                max: float(max.as_ref()),
                exclusive_min: float(exclusive_min.as_ref()),
                exclusive_max: float(exclusive_max.as_ref()),
                multiple_of: float(multiple_of.as_ref()),
            })
        }
        Ty::Lit(values) => Node::Lit(values.clone()),
        Ty::Array(item, rules) => {
            Node::Array { item: Box::new(node(item, index)), min: rules.min, max: rules.max }
        }
        Ty::Tuple(items, rest) => Node::Tuple {
            items: items.iter().map(|t| node(t, index)).collect(),
            rest: rest.as_ref().map(|r| Box::new(node(r, index))),
        },
        Ty::Record(value, key) => Node::Record {
            value: Box::new(node(value, index)),
            key: key.as_ref().and_then(|k| regex(&k.source)),
        },
        Ty::Object(obj) => Node::Object(ObjNode {
            props: obj
                .props
                .iter()
                .map(|p| PropNode {
                    name: p.name.clone(),
                    node: node(&p.ty, index),
                    optional: p.optional,
                    default: p.default.clone(),
                })
                .collect(),
            extra: match &obj.extra {
                Extra::Allow => ExtraNode::Allow,
                Extra::Deny => ExtraNode::Deny,
                Extra::Schema(t) => ExtraNode::Schema(Box::new(node(t, index))),
            },
        }),
        // As the generated Zod has it: `null` apart (`.nullable()`), one
        // member alone, several through their selector.
        Ty::Union(members) => {
            let (others, nullable) = Ty::split_null(members);
            let inner = match others.as_slice() {
                [] => return Node::Null,
                [one] => node(one, index),
                many => Node::Union {
                    members: many.iter().map(|t| node(t, index)).collect(),
                    selector: Ty::selector(many),
                },
            };
            if nullable { Node::Nullable(Box::new(inner)) } else { inner }
        }
        Ty::Inter(members) => Node::Inter(members.iter().map(|t| node(t, index)).collect()),
        Ty::Ref(name) => index.get(name.as_str()).map_or(Node::Any, |&i| Node::Ref(i)),
    }
}
