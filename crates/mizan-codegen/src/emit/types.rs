//! `types.ts`: a TypeScript type per definition, per function input and
//! output, and per channel params, message and client message.

use super::{declare_type, header};
use crate::model::Model;
use crate::schema::Side;

pub(super) fn emit(model: &Model<'_>) -> String {
    let mut out = header(
        "TypeScript types of the named types, arguments, results and channel messages in the manifest.",
    );
    let mut defs: Vec<_> = model.defs.iter().collect();
    defs.sort_by(|a, b| a.ts_name.cmp(&b.ts_name));
    for def in defs {
        let side = def.side;
        out.push('\n');
        out.push_str(&declare_type(&def.ts_name, &def.ty, def.doc.as_deref(), &|key| {
            model.def_name(side, key)
        }));
    }
    for f in &model.functions {
        let input_doc = format!("Arguments of `{}`.", f.f.name);
        let output_doc = format!("Result of `{}`.", f.f.name);
        out.push('\n');
        let input =
            declare_type(&f.input_name, &f.input, Some(&input_doc), &|key| model.def_name(Side::Input, key));
        match f.f.upload {
            Some(u) => out.push_str(&super::upload::add_ts(&input, &f.input_name, u)),
            None => out.push_str(&input),
        }
        out.push('\n');
        out.push_str(&declare_type(&f.output_name, &f.output, Some(&output_doc), &|key| {
            model.def_name(Side::Output, key)
        }));
    }
    for c in &model.channels {
        for t in c.types().into_iter().filter(|t| t.declared) {
            let side = t.side;
            out.push('\n');
            out.push_str(&declare_type(&t.name, &t.ty, Some(&t.doc), &|key| model.def_name(side, key)));
        }
    }
    if model.defs.is_empty() && model.functions.is_empty() && model.channels.is_empty() {
        out.push_str("\nexport {};\n");
    }
    out
}
