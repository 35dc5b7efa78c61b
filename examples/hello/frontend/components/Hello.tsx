/** The page at /hello/: one template string, so React writes no `<!-- -->`. */
export default function Hello({ name }: { name: string }) {
  return <div>{`Hello, ${name}!`}</div>;
}
