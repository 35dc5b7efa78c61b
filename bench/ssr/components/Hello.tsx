export default function Hello({ name }: { name: string }) {
  return <div>{`Hello, ${name}!`}</div>;
}
