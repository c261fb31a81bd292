/**
 * Sits between the agent's stdout and the ACP decoder: passes lines that parse as JSON objects and
 * reports anything else (a stray `console.log`, a crash banner) instead of letting it reach the
 * protocol layer, which would silently answer it with a parse error.
 */
export function guardJsonLines(onGarbage: (line: string) => void): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const check = (line: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    let ok = false;
    try {
      const value: unknown = JSON.parse(trimmed);
      ok = typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      ok = false;
    }
    if (ok) controller.enqueue(encoder.encode(`${trimmed}\n`));
    else onGarbage(trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed);
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        check(pending.slice(0, newline), controller);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    flush(controller) {
      pending += decoder.decode();
      check(pending, controller);
      pending = '';
    },
  });
}
