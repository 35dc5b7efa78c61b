import { Head } from "@mizan/client/react";
import type { TodosProps } from "../generated/index.js";
import { useListTodos } from "../generated/react.js";

/**
 * The page at /todos/: `list_todos` read with `useListTodos()`. The server
 * runs it during the render, so the page arrives with the list (and the
 * query in `#mizan-queries`) and hydration fetches nothing. A typed page:
 * `pages.ts` checks these props against the Rust `TodosProps`.
 */
export default function Todos({ limit }: TodosProps) {
  const todos = useListTodos();
  if (todos.isPending) return <p id="todos" data-state="loading">Loading…</p>;
  if (todos.isError) {
    return (
      <p id="todos" data-state="error" role="alert">
        {todos.error.message}
      </p>
    );
  }
  return (
    <main>
      <Head title="Todos" />
      <ul id="todos" data-state="ready">
        {todos.data.slice(0, limit ?? undefined).map((todo) => (
          <li key={todo.id} data-done={todo.done}>
            {todo.title}
          </li>
        ))}
      </ul>
    </main>
  );
}
