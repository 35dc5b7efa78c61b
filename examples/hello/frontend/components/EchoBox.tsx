import { useState, type FormEvent } from "react";
import { GreetProvider, useEcho, useGreet } from "../generated/react.js";

/**
 * A small form over the generated hooks: sends the text to `echo` and shows
 * the server's `message`, and greets the name as you type (`greet`, a local
 * context: `<GreetProvider name={text}>` fetches it for `Greeting`).
 * Errors are `MizanError`s: field errors are shown under their input.
 *
 * Render it inside `<MizanProvider>` (from `@mizan/client/react`).
 */
export default function EchoBox({ initialText = "" }: { initialText?: string }) {
  const [text, setText] = useState(initialText);
  const echo = useEcho();

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    echo.mutate({ text });
  };

  const textErrors = echo.error?.fields["text"] ?? [];

  return (
    <form onSubmit={onSubmit} data-testid="echo-box">
      <label>
        Text{" "}
        <input name="text" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={textErrors.length > 0} />
      </label>
      <button type="submit" disabled={echo.isPending}>
        Echo
      </button>
      {echo.data !== undefined && <output data-testid="echo-message">{echo.data.message}</output>}
      {echo.error !== null && (
        <p role="alert" data-testid="echo-error" data-code={echo.error.code}>
          {textErrors.length > 0 ? textErrors.join(" ") : echo.error.message}
        </p>
      )}
      {text !== "" && (
        <GreetProvider name={text}>
          <Greeting />
        </GreetProvider>
      )}
    </form>
  );
}

/** The greeting of the nearest `<GreetProvider>`, or its field errors. */
function Greeting() {
  const greeting = useGreet();
  const nameErrors = greeting.error?.fields["name"] ?? [];
  return (
    <>
      {greeting.data !== undefined && <p data-testid="greeting">{greeting.data}</p>}
      {nameErrors.length > 0 && (
        <p role="alert" data-testid="greet-error" data-code={greeting.error?.code}>
          {nameErrors.join(" ")}
        </p>
      )}
    </>
  );
}
