//! Maps, sets, tuples, fixed-size arrays, `Option`, `Box` and a recursive type.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::generics::User;

/// Every collection shape.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Collections {
    /// A map of structs by name.
    pub by_name: HashMap<String, User>,
    /// An ordered map of counts, at most 3 entries (garde's `length` on a
    /// map is server-only: the schema has no keyword for it).
    #[garde(length(max = 3))]
    pub counts: BTreeMap<String, u32>,
    /// A map with integer keys (decimal strings on the wire).
    pub by_id: BTreeMap<u32, String>,
    /// A set of strings.
    pub tags: HashSet<String>,
    /// An ordered set, two to four items.
    #[garde(length(min = 2, max = 4))]
    pub ids: BTreeSet<i32>,
    /// A pair.
    pub pair: (String, u8),
    /// A triple.
    pub triple: (i32, i32, bool),
    /// A fixed-size array.
    pub rgb: [u8; 3],
    /// Lists of lists.
    pub matrix: Vec<Vec<i16>>,
    /// An optional boxed struct.
    pub boxed: Option<Box<User>>,
    /// A list of pairs.
    #[garde(length(max = 3))]
    pub points: Vec<(f32, f32)>,
}

/// A recursive type: a tree of labels.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
pub struct Tree {
    /// One to six code points.
    #[garde(length(chars, min = 1, max = 6))]
    pub label: String,
    /// At most two children, each a tree.
    #[garde(length(max = 2))]
    pub children: Vec<Tree>,
    /// An optional boxed subtree.
    #[garde(skip)]
    pub left: Option<Box<Tree>>,
}

/// Every collection shape.
#[mizan::client]
pub async fn collections(_req: &Request, value: Collections) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}

/// A recursive tree.
#[mizan::client]
pub async fn tree(_req: &Request, root: Tree) -> mizan::Result<()> {
    let _ = root;
    Ok(())
}
