/**
 * Nesting limits for JSON that Aegis accepts. Deep nesting is cheap to send and overflows the stack
 * of every recursive walker after it (JSON.stringify, redaction, canonical audit JSON), which
 * surfaced as a 500; it is measured here without recursion and refused with a 400 instead.
 */

/** Deepest nesting of arrays/objects accepted in a request body or a memory value. */
export const JSON_MAX_DEPTH = 100;

/** Whether a parsed value nests arrays/objects deeper than `max` (iterative, linear in its size). */
export function valueDepthExceeds(value: unknown, max = JSON_MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Whether JSON text nests arrays/objects deeper than `max`, by scanning it once (strings skipped),
 * before anything parses or walks it.
 */
export function jsonTextDepthExceeds(text: string, max = JSON_MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
