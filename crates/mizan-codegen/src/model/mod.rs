//! Everything the emitters need, checked once: names, lowered types and
//! the order schemas must be declared in.

mod channel;
mod context;
mod form;
mod page;

pub(crate) use channel::ChannelModel;
pub(crate) use context::ContextModel;
pub(crate) use form::FormModel;
pub(crate) use page::PageModel;

use std::collections::{BTreeMap, BTreeSet};

use mizan_manifest::naming::GeneratedNames;
use serde_json::Value;

use crate::error::CodegenError;
use crate::manifest::{Function, Kind, Manifest};
use crate::schema::{Lowerer, Side, Ty, collect_refs};

/// One function with its TypeScript names and lowered types.
pub(crate) struct FnModel<'a> {
    pub(crate) f: &'a Function<'a>,
    /// Client function name (`listPosts`).
    pub(crate) client: String,
    /// Hook name (`useListPosts`), absent for context functions.
    pub(crate) hook: Option<String>,
    /// Suspense hook name of a query (`useListPostsSuspense`), absent for
    /// mutations and context functions.
    pub(crate) suspense_hook: Option<String>,
    /// `queryOptions` factory name of a query (`listPostsQueryOptions`),
    /// absent for mutations and context functions.
    pub(crate) query_options: Option<String>,
    /// Infinite-query hook of a cursor query (`useListPostsInfinite`).
    pub(crate) infinite_hook: Option<String>,
    /// `infiniteQueryOptions` factory of a cursor query (`listPostsInfiniteQueryOptions`).
    pub(crate) infinite_query_options: Option<String>,
    /// `ListPostsInput`.
    pub(crate) input_name: String,
    /// `ListPostsOutput` (for a stream, the type of each item).
    pub(crate) output_name: String,
    pub(crate) input: Ty,
    pub(crate) output: Ty,
    /// Its declared errors, when it declares some.
    pub(crate) errors: Option<ErrorsModel>,
}

/// A function's declared errors: the union's and the guard's names, and
/// each error's code and lowered `data` (output side).
pub(crate) struct ErrorsModel {
    /// `ReserveError`.
    pub(crate) union: String,
    /// `isReserveError`.
    pub(crate) guard: String,
    /// In declaration order: the code and the `data` type, if any.
    pub(crate) variants: Vec<(String, Option<Ty>)>,
}

impl FnModel<'_> {
    /// Whether `{}` is a valid input (no required argument).
    pub(crate) fn input_optional(&self) -> bool {
        match &self.input {
            Ty::Object(obj) => obj.props.iter().all(|p| p.optional),
            _ => false,
        }
    }
}

/// One emitted type definition (a definition shared by both sides is
/// emitted once).
pub(crate) struct DefModel {
    pub(crate) ts_name: String,
    pub(crate) side: Side,
    pub(crate) doc: Option<String>,
    pub(crate) ty: Ty,
}

pub(crate) struct Model<'a> {
    pub(crate) functions: Vec<FnModel<'a>>,
    /// In registration order.
    pub(crate) channels: Vec<ChannelModel<'a>>,
    /// Context functions' hooks and providers, in registration order.
    pub(crate) contexts: Vec<ContextModel>,
    /// In registration order.
    pub(crate) forms: Vec<FormModel<'a>>,
    /// In declaration order for `schemas.ts` (dependencies first).
    pub(crate) defs: Vec<DefModel>,
    /// In registration order.
    pub(crate) pages: Vec<PageModel>,
    /// Every generated name, checked free (`mizan_manifest::naming`).
    names: GeneratedNames,
}

impl Model<'_> {
    /// The TypeScript name of definition `key` on `side`.
    pub(crate) fn def_name(&self, side: Side, key: &str) -> String {
        self.names.def_name(side, key)
    }
}

/// The first function or channel (in registration order) whose `side`
/// schemas reach definition `key`, for error messages.
fn first_user(manifest: &Manifest<'_>, side: Side, key: &str) -> Option<String> {
    let defs = match side {
        Side::Input => manifest.input_defs,
        Side::Output => manifest.output_defs,
    };
    let functions = manifest.functions.iter().map(|f| {
        let roots = match side {
            Side::Input => vec![f.input],
            Side::Output => vec![f.output],
        };
        (format!("function `{}`", f.name), roots)
    });
    let channels = manifest.channels.iter().map(|c| {
        let roots = match side {
            Side::Input => [Some(c.params), c.client_message].into_iter().flatten().collect(),
            Side::Output => vec![c.server_message],
        };
        (format!("channel `{}`", c.name), roots)
    });
    functions.chain(channels).find_map(|(user, roots)| {
        let mut seen = BTreeSet::new();
        let mut todo = BTreeSet::new();
        roots.iter().for_each(|root| collect_refs(root, &mut todo));
        while let Some(next) = todo.pop_first() {
            if next == key {
                return Some(user);
            }
            if seen.insert(next.clone())
                && let Some(schema) = defs.get(&next)
            {
                collect_refs(schema, &mut todo);
            }
        }
        None
    })
}

pub(crate) fn ty_refs(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Ref(name) => {
            out.insert(name.clone());
        }
        Ty::Array(item, _) | Ty::Record(item, _) => ty_refs(item, out),
        Ty::Tuple(items, rest) => {
            items.iter().for_each(|t| ty_refs(t, out));
            if let Some(rest) = rest {
                ty_refs(rest, out);
            }
        }
        Ty::Object(obj) => {
            obj.props.iter().for_each(|p| ty_refs(&p.ty, out));
            if let crate::schema::Extra::Schema(value) = &obj.extra {
                ty_refs(value, out);
            }
        }
        Ty::Union(items) | Ty::Inter(items) => items.iter().for_each(|t| ty_refs(t, out)),
        _ => {}
    }
}

pub(crate) fn build<'a>(manifest: &'a Manifest<'a>) -> Result<Model<'a>, CodegenError> {
    // Names first, so name errors come before schema errors.
    let names = mizan_manifest::naming::check(manifest.typed)?;
    for f in &manifest.functions {
        for target in &f.invalidates {
            match manifest.functions.iter().find(|g| g.name == *target) {
                Some(g) if g.kind == Kind::Query => {}
                Some(_) => {
                    return Err(CodegenError::Manifest(format!(
                        "function `{}` invalidates `{target}`, which is not a query",
                        f.name
                    )));
                }
                None => {
                    return Err(CodegenError::Manifest(format!(
                        "function `{}` invalidates `{target}`, which is not a registered function",
                        f.name
                    )));
                }
            }
        }
    }

    let input_lowerer = Lowerer::new(Side::Input, manifest.input_defs);
    let output_lowerer = Lowerer::new(Side::Output, manifest.output_defs);
    let lowerer = |side: Side| match side {
        Side::Input => &input_lowerer,
        Side::Output => &output_lowerer,
    };
    let located = |at: String, e: crate::schema::SchemaError| CodegenError::Unsupported {
        at: if e.path.is_empty() { at } else { format!("{at}, at `{}`", e.path.trim_start_matches('.')) },
        reason: e.reason,
    };

    let mut defs = Vec::new();
    for def in &names.defs {
        let Some(schema) = manifest.typed.defs(def.side).get(&def.key) else { continue };
        let (side, key) = (def.side, &def.key);
        // A type both sides share is lowered as input, where objects refuse
        // unknown keys: its one Zod schema must check what the server does.
        let lowered_as = if def.shared { Side::Input } else { side };
        let ty = lowerer(lowered_as).lower(schema, "").map_err(|e| {
            let user =
                first_user(manifest, side, key).map(|user| format!(" (used by {user})")).unwrap_or_default();
            located(format!("type `{key}` in {}{user}", side.defs_key()), e)
        })?;
        let doc = schema.get("description").and_then(Value::as_str).map(str::to_owned);
        defs.push(DefModel { ts_name: def.ts_name.clone(), side, doc, ty });
    }

    let mut functions = Vec::new();
    for (f, fn_names) in manifest.functions.iter().zip(&names.functions) {
        let input = input_lowerer
            .lower(f.input, "")
            .map_err(|e| located(format!("function `{}` input", f.name), e))?;
        let output = output_lowerer
            .lower(f.output, "")
            .map_err(|e| located(format!("function `{}` output", f.name), e))?;
        let errors = match &fn_names.errors {
            None => None,
            Some(names) => {
                let mut variants = Vec::new();
                for e in f.errors {
                    let data = match &e.data {
                        None => None,
                        Some(schema) => Some(output_lowerer.lower(schema, "").map_err(|why| {
                            located(format!("function `{}` error `{}` data", f.name, e.code), why)
                        })?),
                    };
                    variants.push((e.code.clone(), data));
                }
                Some(ErrorsModel { union: names.union.clone(), guard: names.guard.clone(), variants })
            }
        };
        functions.push(FnModel {
            f,
            client: fn_names.client.clone(),
            hook: fn_names.hook.clone(),
            suspense_hook: fn_names.suspense_hook.clone(),
            query_options: fn_names.query_options.clone(),
            infinite_hook: fn_names.infinite_hook.clone(),
            infinite_query_options: fn_names.infinite_query_options.clone(),
            input_name: fn_names.input.clone(),
            output_name: fn_names.output.clone(),
            input,
            output,
            errors,
        });
    }
    let channels =
        channel::lower(&manifest.channels, &names.channels, &input_lowerer, &output_lowerer, &located)?;

    let forms = form::build(&manifest.forms, &names.forms, &functions)?;
    let contexts = names.contexts.clone();
    let pages = page::build(&manifest.typed.pages, &output_lowerer)?;
    let mut model = Model { functions, channels, contexts, forms, defs: Vec::new(), pages, names };
    model.defs = dependency_order(&model, defs);
    Ok(model)
}

/// Sorts definitions so that each comes after the ones it references
/// (cycles broken deterministically by name; those references are lazy).
fn dependency_order(model: &Model<'_>, defs: Vec<DefModel>) -> Vec<DefModel> {
    let index: BTreeMap<String, usize> =
        defs.iter().enumerate().map(|(i, d)| (d.ts_name.clone(), i)).collect();
    let deps: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| {
            let mut refs = BTreeSet::new();
            ty_refs(&d.ty, &mut refs);
            let mut targets: Vec<usize> =
                refs.iter().filter_map(|r| index.get(&model.def_name(d.side, r)).copied()).collect();
            targets.sort_unstable();
            targets
        })
        .collect();
    let mut state = vec![0u8; defs.len()]; // 0 new, 1 visiting, 2 done
    let mut order = Vec::with_capacity(defs.len());
    for start in 0..defs.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&dep) = deps[node].get(next) {
                stack.push((node, next + 1));
                if state[dep] == 0 {
                    state[dep] = 1;
                    stack.push((dep, 0));
                }
            } else {
                state[node] = 2;
                order.push(node);
            }
        }
    }
    let mut slots: Vec<Option<DefModel>> = defs.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
