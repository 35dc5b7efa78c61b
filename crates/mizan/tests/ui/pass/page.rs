use mizan::{App, Page, PageFn, Request};

#[derive(serde::Serialize, schemars::JsonSchema)]
struct TodosProps {
    count: u32,
}

/// The todo list.
#[mizan::page("components/Todos.tsx")]
async fn todos(_req: Request) -> mizan::Result<Page<TodosProps>> {
    Ok(Page::new(TodosProps { count: 3 }).title("Todos").meta("description", "What to do"))
}

#[mizan::page("components/Admin.tsx", auth = "staff")]
async fn admin(req: mizan::Request) -> mizan::Result<mizan::Page<TodosProps>> {
    match req.path_param("id") {
        Some(_) => Ok(Page::new(TodosProps { count: 0 })),
        None => Ok(Page::redirect("/")),
    }
}

#[mizan::page("Me.tsx", auth = "user")]
async fn me(_req: Request) -> mizan::Result<Page<TodosProps>> {
    Ok(Page::new(TodosProps { count: 1 }))
}

fn main() {
    let info = todos.info();
    assert_eq!((info.name, info.component, info.doc), ("todos", "components/Todos.tsx", Some("The todo list.")));
    assert_eq!(admin.info().auth.wire_name(), "staff");
    assert_eq!(me.info().auth.wire_name(), "authenticated");
    let _ = App::new().page("/todos/", todos).page("/admin/{id}/", admin).page("/me/", me);
}
