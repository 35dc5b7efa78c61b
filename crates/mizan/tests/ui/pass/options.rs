use mizan::{App, Request};

#[derive(serde::Serialize, schemars::JsonSchema)]
struct User {
    name: String,
}

async fn beta_testers(req: &Request) -> mizan::Result<()> {
    req.identity().map(|_| ()).ok_or_else(|| mizan::Error::unauthenticated("sign in"))
}

/// The signed-in user.
#[mizan::client(context = "global", auth = true)]
async fn current_user(_req: &Request) -> mizan::Result<Option<User>> {
    Ok(None)
}

#[mizan::client(context = "local")]
async fn greet(_req: &Request, name: String) -> mizan::Result<String> {
    Ok(name)
}

#[mizan::client(query, auth = "staff")]
async fn list_posts(_req: &Request) -> mizan::Result<Vec<String>> {
    Ok(Vec::new())
}

#[mizan::client(auth = "superuser", invalidates = [list_posts], rate = "5/day")]
async fn purge(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

#[mizan::client(auth = beta_testers)]
pub async fn beta(
    _req: &Request,
    #[garde(length(chars, min = 1))] title: String,
    #[garde(range(min = 0, max = 10))] level: u8,
    #[serde(default)] tags: Vec<String>,
) -> mizan::Result<usize> {
    Ok(title.len() + usize::from(level) + tags.len())
}

fn main() {
    let app = App::new()
        .register(current_user)
        .register(greet)
        .register(list_posts)
        .register(purge)
        .register(beta);
    let m = app.manifest().unwrap().to_json();
    assert_eq!(m["functions"][0]["context"], "global");
    assert_eq!(m["functions"][1]["context"], "local");
    assert_eq!(m["functions"][2]["auth"], "staff");
    assert_eq!(m["functions"][3]["invalidates"][0], "list_posts");
    assert_eq!(m["functions"][3]["rate"], serde_json::json!({"count": 5, "period_seconds": 86400}));
    assert_eq!(m["functions"][4]["auth"]["custom"], "beta_testers");
    // The body stays callable directly.
    let _future = beta::run;
}
