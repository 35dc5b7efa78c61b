import { useState, type FormEvent } from "react";
import { useChatChannel, useSay } from "../generated/react.js";

/**
 * A chat room over the generated channel hook: the room's latest lines and
 * the connection status (`useChatChannel`), and a box that says a line.
 *
 * A line goes over HTTP through `say` by default, so every member (this one
 * too) receives it; with `via="socket"` it goes over the channel's own
 * `send`, which reaches every other member but not the sender.
 *
 * Render it inside `<MizanProvider>` (from `@mizan/client/react`).
 */
export default function ChatRoom({ room, via = "say" }: { room: string; via?: "say" | "socket" }) {
  const { messages, send, status } = useChatChannel({ room });
  const say = useSay();
  const [text, setText] = useState("");

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (via === "socket") send({ text });
    else say.mutate({ room, text });
    setText("");
  };

  const errors = say.error?.fields["text"] ?? [];

  return (
    <section data-testid="chat-room" data-status={status.state}>
      <ul>
        {messages.map((line, i) => (
          <li key={i} data-testid="chat-line">
            {line.user !== null && <b>{line.user}: </b>}
            {line.text}
          </li>
        ))}
      </ul>
      <form onSubmit={onSubmit}>
        <input name="text" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={errors.length > 0} />
        <button type="submit" disabled={status.state !== "live" || say.isPending}>
          Say
        </button>
      </form>
      {status.error !== undefined && (
        <p role="alert" data-testid="chat-error" data-code={status.error.code}>
          {status.error.message}
        </p>
      )}
      {errors.length > 0 && (
        <p role="alert" data-testid="say-error">
          {errors.join(" ")}
        </p>
      )}
    </section>
  );
}
