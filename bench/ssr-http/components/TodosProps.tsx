import TodoList, { type Todo } from "./TodoList.tsx";

/** The bench app's `/todos-props/`: the same list, passed as props. */
export default function TodosProps({ todos }: { todos: Todo[] }) {
  return <TodoList todos={todos} />;
}
