#[derive(serde::Serialize, schemars::JsonSchema)]
struct Props {}

#[mizan::page("../Todos.tsx")]
async fn todos(_req: mizan::Request) -> mizan::Result<mizan::Page<Props>> {
    Ok(mizan::Page::new(Props {}))
}

fn main() {}
