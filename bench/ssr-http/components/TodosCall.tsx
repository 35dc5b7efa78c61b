import { getClient, type CallOptions } from "@mizan/client";
import { useMizanQuery } from "@mizan/client/react";
import TodoList, { type Todo } from "./TodoList.tsx";

/** `list_todos` from the browser (what a generated client function does). */
function listTodos(args: Record<string, never>, opts: CallOptions): Promise<Todo[]> {
  return getClient().call<Todo[]>("list_todos", args, { ...opts, query: true });
}

/**
 * The bench app's `/todos/`: `list_todos` read during the render, as
 * `hello`'s generated `useListTodos()` reads it (one in-render call).
 */
export default function TodosCall() {
  const todos = useMizanQuery("list_todos", listTodos, {});
  if (todos.isPending) return <p id="todos" data-state="loading">Loading…</p>;
  if (todos.isError) {
    return (
      <p id="todos" data-state="error" role="alert">
        {todos.error.message}
      </p>
    );
  }
  return <TodoList todos={todos.data} />;
}
