//! `broad`: a test fixture, not an example to copy. An app with the types a
//! real app has, one function (or form) per argument type, so that its
//! generated client (committed in `frontend/generated`, drift-checked and
//! type-checked under the strict flags) and the server's validation can be
//! compared input by input (`tests/it/sweep/`), and `docs/types.md` can be
//! kept true from its generated output (`tests/it/types_doc.rs`).
//!
//! | module | what it holds |
//! |---|---|
//! | [`catalog`] | one field per supported Rust type (the rows of `docs/types.md`) |
//! | [`enums`] | the four serde enum representations, every variant kind serde allows |
//! | [`attrs`] | `rename`, `rename_all`, `rename_all_fields`, `flatten`, `default`, `skip_serializing_if` |
//! | [`generics`] | `Page<T>` as `Page<User>`, `Page<Post>` and `Page<Vec<User>>` |
//! | [`collections`] | maps, sets, tuples, `Option`, `Box`, a recursive tree |
//! | [`nested`] | structs with garde rules four levels deep, reached without `dive` |
//! | [`rules`] | every garde rule: those the schema carries and the server-only ones |
//! | [`numbers`] | integers of every width, `f32`, `f64`, `mizan::Id64`; lists of doubles echoed bit for bit |
//! | [`dates`] | chrono's, time's and uuid's types in structs, `Option`, `Vec` and arguments |
//! | [`forms`] | a form with every widget |

pub mod attrs;
pub mod catalog;
pub mod collections;
pub mod dates;
pub mod enums;
pub mod forms;
pub mod generics;
pub mod nested;
pub mod numbers;
pub mod rules;

use mizan::App;

/// The broad app: every function and form of the modules above.
pub fn app() -> App {
    App::new()
        .register(catalog::catalog)
        .register(enums::external)
        .register(enums::internal)
        .register(enums::adjacent)
        .register(enums::untagged)
        .register(enums::choice)
        .register(attrs::relabel)
        .register(generics::users)
        .register(generics::posts)
        .register(generics::teams)
        .register(collections::collections)
        .register(collections::tree)
        .register(nested::place_order)
        .register(rules::rules)
        .register(rules::signup)
        .register(numbers::numbers)
        .register(numbers::doubles)
        .register(numbers::singles)
        .register(dates::schedule)
        .form::<forms::ProfileForm>()
}
