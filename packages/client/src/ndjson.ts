/**
 * {@link LineDecoder}: newline-delimited JSON (NDJSON) text split into
 * lines as the bytes arrive, for streamed outputs.
 *
 * @module
 */

/**
 * Splits UTF-8 bytes, fed in pieces of any size, into complete lines.
 * A character split between two pieces is decoded once both are in; a
 * `\r` before the `\n` is dropped; empty lines are skipped.
 *
 * ```ts
 * const lines = new LineDecoder();
 * lines.push(bytes('{"data":1}\n{"da')); // ['{"data":1}']
 * lines.push(bytes('ta":2}\n'));          // ['{"data":2}']
 * lines.end();                           // undefined: nothing left over
 * ```
 */
export class LineDecoder {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private partial = "";

  /**
   * The lines `chunk` completes, in order (without their newline). Throws
   * a `TypeError` on bytes that are not UTF-8.
   */
  push(chunk: Uint8Array): string[] {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const pieces = text.split("\n");
    this.partial = pieces.pop() ?? "";
    return pieces.map(withoutCarriageReturn).filter((line) => line !== "");
  }

  /**
   * Ends the input: what follows the last newline, when anything does (a
   * stream cut short mid-line), else `undefined`. Throws a `TypeError` when
   * the bytes end inside a character.
   */
  end(): string | undefined {
    const rest = withoutCarriageReturn(this.partial + this.decoder.decode());
    this.partial = "";
    return rest === "" ? undefined : rest;
  }
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
