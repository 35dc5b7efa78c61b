#[derive(serde::Serialize, schemars::JsonSchema)]
struct Props {}

#[mizan::page("components/Todos.tsx")]
async fn todos(_req: mizan::Request, id: u32) -> mizan::Result<mizan::Page<Props>> {
    let _ = id;
    Ok(mizan::Page::new(Props {}))
}

fn main() {}
