//! The example's server functions.

use mizan::accounts::Accounts;
use mizan::{App, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What `echo` sends back.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub(crate) struct Output {
    /// The text that was sent.
    pub(crate) message: String,
}

/// Echo text back.
#[mizan::client]
pub(crate) async fn echo(_req: &Request, text: String) -> mizan::Result<Output> {
    Ok(Output { message: text })
}

/// A greeting for `name`; side-effect free, so it is a query. A local
/// context: the frontend reads it through `<GreetProvider name=…>`.
#[mizan::client(query, context = "local")]
pub(crate) async fn greet(
    _req: &Request,
    #[garde(length(chars, min = 1, max = 40))] name: String,
) -> mizan::Result<String> {
    Ok(format!("Hello, {name}!"))
}

/// How long `text` is, in Unicode code points. A query with no limit on its
/// input, so it can be called with a long one: the TypeScript client sends
/// a query whose `GET` URL would pass 4 KiB as a `POST` instead.
#[mizan::client(query)]
pub(crate) async fn text_length(_req: &Request, text: String) -> mizan::Result<u32> {
    Ok(u32::try_from(text.chars().count()).unwrap_or(u32::MAX))
}

/// Who the caller is; needs an identity.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Me {
    /// The identity's id.
    pub(crate) id: String,
    /// `user`, `staff` or `superuser`.
    pub(crate) role: String,
}

/// The caller's identity.
#[mizan::client(query, auth = true)]
pub(crate) async fn whoami(req: &Request) -> mizan::Result<Me> {
    let id = req.identity().ok_or_else(|| mizan::Error::unauthenticated("no identity"))?;
    let role = match id.role() {
        mizan::Role::User => "user",
        mizan::Role::Staff => "staff",
        mizan::Role::Superuser => "superuser",
    };
    Ok(Me { id: id.id().to_owned(), role: role.to_owned() })
}

/// Site statistics, for staff.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Stats {
    /// Functions this app serves.
    pub(crate) functions: u32,
}

/// Site statistics; staff only.
#[mizan::client(query, auth = "staff")]
pub(crate) async fn stats(_req: &Request) -> mizan::Result<Stats> {
    Ok(Stats { functions: 4 })
}

/// The example's user accounts: `$DATABASE_URL`, or on embedded defaults
/// the SQLite file `mizan.sqlite3` in the working directory. Nothing is
/// opened until the server starts (`manifest` and `generate` never do).
fn accounts() -> Accounts {
    match Accounts::from_env() {
        // hello serves plain HTTP, where a `Secure` cookie would not come back.
        Ok(accounts) => login_failures(accounts.secure_cookies(false)),
        Err(e) => {
            eprintln!("hello: {}", e.message());
            std::process::exit(1);
        }
    }
}

/// `$HELLO_LOGIN_FAILURES`, when set, raises (or lowers) the failed logins
/// allowed per username and per address in their windows (the tests' knob;
/// by default the limits are mizan's: 10 per username per 15 minutes, 50
/// per address per minute).
fn login_failures(accounts: Accounts) -> Accounts {
    match std::env::var("HELLO_LOGIN_FAILURES").map(|n| n.parse::<u32>()) {
        Err(_) => accounts,
        Ok(Ok(n)) => {
            let limits = mizan::accounts::LoginLimits::default()
                .per_username(n, std::time::Duration::from_secs(15 * 60))
                .per_address(n, std::time::Duration::from_secs(60));
            accounts.login_limits(limits)
        }
        Ok(Err(e)) => {
            eprintln!("hello: HELLO_LOGIN_FAILURES is not a count: {e}");
            std::process::exit(1);
        }
    }
}

/// The example app.
pub(crate) fn app() -> App {
    let accounts = accounts();
    crate::chat::install(App::new())
        .authenticator((crate::auth::DemoTokens, accounts.authenticator()))
        .extend(accounts)
        // Rate-limit counts in Redis when `$REDIS_URL` is set, so every
        // process serving the site shares one limit; in memory otherwise.
        .rate_store(mizan::RateStore::from_env())
        .register(echo)
        .register(greet)
        .register(text_length)
        .register(whoami)
        .register(stats)
        .register(crate::reserve::reserve)
        .register(crate::lists::countdown)
        .register(crate::lists::feed)
        .register(crate::todos::list_todos)
        .register(crate::todos::slow_quote)
        .register(crate::todos::failing_quote)
        .register(crate::upload::upload)
        .page("/", crate::pages::index)
        .page("/todos/", crate::pages::todos)
        .register(crate::contexts::current_user)
        .form::<crate::contact::ContactForm>()
        .form::<crate::booking::BookingForm>()
        .form::<crate::avatar::AvatarForm>()
        .ssr(mizan::Ssr::new().dirs([concat!(env!("CARGO_MANIFEST_DIR"), "/frontend")]))
        // Only scripts carrying the page's nonce run: mizan's own do.
        .page_headers(mizan::PageHeaders::new().content_security_policy(mizan::PageHeaders::STRICT_CSP))
}
