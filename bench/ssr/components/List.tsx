type Item = { id: number; title: string; done: boolean; tags: string[] };

/** A 100-item list page: the bench's "real page" case. */
export default function List({ title, items }: { title: string; items: Item[] }) {
  return (
    <main>
      <h1>{title}</h1>
      <ul className="list">
        {items.map((it) => (
          <li key={it.id} className={it.done ? "done" : "open"}>
            <span className="id">{`#${it.id}`}</span>
            <strong>{it.title}</strong>
            {it.tags.map((t) => (
              <em key={t}>{t}</em>
            ))}
          </li>
        ))}
      </ul>
      <footer>{`${items.filter((i) => i.done).length} of ${items.length} done`}</footer>
    </main>
  );
}
