//! Where a Rust path lands on the wire. garde reports paths in Rust field
//! names and indices; a segment is mapped only when it names a property of
//! the schema at that level exactly (or is an index into a list, or a key
//! of a map), following the input value through unions, so an externally
//! tagged variant's key is put back. Where a segment cannot be mapped the
//! walk stops: the rest stays as garde spelled it.

use serde_json::Value;

use super::node::{Compiled, ExtraNode, Node, ObjNode};
use super::walk::Walk;
use crate::error::PathSegment;

/// A Rust path, mapped as far as it goes.
#[derive(Debug)]
pub(crate) struct Located<'a> {
    /// The wire path of the mapped prefix.
    pub(crate) wire: Vec<PathSegment>,
    /// The Rust segments past it (empty when all were mapped).
    pub(crate) rest: Vec<PathSegment>,
    /// The schema node at `wire`, when the whole path was mapped.
    pub(crate) node: Option<&'a Node>,
}

/// Follows references and nullability, and picks the union member the
/// value is judged by (pushing an externally tagged variant's key).
fn settle<'a>(
    compiled: &'a Compiled,
    mut node: &'a Node,
    mut value: Option<&'a Value>,
    wire: &mut Vec<PathSegment>,
) -> (&'a Node, Option<&'a Value>) {
    for _ in 0..64 {
        match node {
            Node::Ref(i) => match compiled.defs.get(*i) {
                Some(def) => node = def,
                None => break,
            },
            Node::Nullable(inner) => node = inner,
            Node::Union { members, selector } => {
                let picked = value.and_then(|v| selector.as_ref().and_then(|s| s.pick(v)));
                let member = match (picked, value) {
                    (Some(i), _) => members.get(i),
                    (None, Some(v)) => {
                        let walk = Walk::new(compiled);
                        members.iter().find(|m| walk.passes(m, v))
                    }
                    (None, None) => None,
                };
                let Some(member) = member else { break };
                match (selector, picked) {
                    // `{"Variant": content}`: the key is on the wire, not in garde's path.
                    (Some(mizan_manifest::schema::Selector::Key(keys)), Some(i)) => {
                        let (Some(Some(key)), Node::Object(obj)) = (keys.get(i), member) else { break };
                        let Some(prop) = obj.props.iter().find(|p| &p.name == key) else { break };
                        wire.push(PathSegment::Key(key.clone()));
                        value = value.and_then(|v| v.get(key));
                        node = &prop.node;
                    }
                    _ => node = member,
                }
            }
            _ => break,
        }
    }
    (node, value)
}

/// One step of the walk: whether it uses up garde's segment, the wire
/// segment it adds, and where it leads.
type Step<'a> = (bool, Option<PathSegment>, &'a Node, Option<&'a Value>);

pub(super) fn locate<'a>(compiled: &'a Compiled, value: &'a Value, rust: &[PathSegment]) -> Located<'a> {
    let mut wire = Vec::new();
    let (mut node, mut value) = settle(compiled, &compiled.root, Some(value), &mut wire);
    let mut segments = rust.iter().peekable();
    while let Some(seg) = segments.peek() {
        let key = |k: &str| Some(PathSegment::Key(k.to_owned()));
        let next: Option<Step<'a>> = match (node, seg) {
            (Node::Object(obj), PathSegment::Key(k)) => match obj.props.iter().find(|p| &p.name == k) {
                Some(prop) => Some((true, key(k), &prop.node, value.and_then(|v| v.get(k)))),
                None => match &obj.extra {
                    ExtraNode::Schema(extra) => Some((true, key(k), &**extra, value.and_then(|v| v.get(k)))),
                    _ => adjacent_content(obj, value, k),
                },
            },
            // garde's `0` into a newtype (an enum's newtype variant whose
            // content is an object): no segment on the wire.
            (Node::Object(_), PathSegment::Index(0)) => Some((true, None, node, value)),
            (Node::Record { value: item, .. }, PathSegment::Key(k)) => {
                Some((true, key(k), &**item, value.and_then(|v| v.get(k))))
            }
            (Node::Array { item, .. }, PathSegment::Index(i)) => {
                Some((true, Some(PathSegment::Index(*i)), &**item, value.and_then(|v| v.get(*i))))
            }
            (Node::Tuple { items, rest }, PathSegment::Index(i)) => items
                .get(*i)
                .or(rest.as_deref())
                .map(|n| (true, Some(PathSegment::Index(*i)), n, value.and_then(|v| v.get(*i)))),
            _ => None,
        };
        let Some((consumed, step, next_node, next_value)) = next else { break };
        if consumed {
            segments.next();
        }
        if let Some(step) = step {
            wire.push(step);
        }
        (node, value) = settle(compiled, next_node, next_value, &mut wire);
    }
    let rest: Vec<PathSegment> = segments.cloned().collect();
    Located { node: rest.is_empty().then_some(node), wire, rest }
}

/// An adjacently tagged variant (`{"t": "A", "c": {…}}`): garde names the
/// content's fields directly; on the wire they are under the content key.
/// Taken when the object is the tag and one other property whose object
/// has the field; garde's segment is used up by the next step.
fn adjacent_content<'a>(obj: &'a ObjNode, value: Option<&'a Value>, field: &str) -> Option<Step<'a>> {
    let [a, b] = obj.props.as_slice() else { return None };
    let content = [a, b].into_iter().find(|p| !matches!(p.node, Node::Lit(_)))?;
    let Node::Object(inner) = &content.node else { return None };
    inner.props.iter().any(|p| p.name == field).then(|| {
        (
            false,
            Some(PathSegment::Key(content.name.clone())),
            &content.node,
            value.and_then(|v| v.get(&content.name)),
        )
    })
}
