/** One todo, as `list_todos` returns it. */
export type Todo = { id: number; title: string; done: boolean };

/** The list both `/todos/` pages render: the markup of `hello`'s `Todos.tsx` once ready. */
export default function TodoList({ todos }: { todos: Todo[] }) {
  return (
    <main>
      <ul id="todos" data-state="ready">
        {todos.map((todo) => (
          <li key={todo.id} data-done={todo.done}>
            {todo.title}
          </li>
        ))}
      </ul>
    </main>
  );
}
