#[derive(serde::Serialize)]
struct Props {}

#[mizan::page("components/Todos.tsx")]
async fn todos(_req: mizan::Request) -> mizan::Result<mizan::Page<Props>> {
    Ok(mizan::Page::new(Props {}))
}

fn main() {}
