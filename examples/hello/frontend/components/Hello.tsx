import { Head } from "@mizan/client/react";

/**
 * The page at /hello/: one template string, so React writes no `<!-- -->`
 * (`<Head>` renders nothing: the root holds the `<div>` alone).
 */
export default function Hello({ name }: { name: string }) {
  return (
    <>
      <Head title={`Hello, ${name}`} />
      <div>{`Hello, ${name}!`}</div>
    </>
  );
}
