import { setFlagsFromString } from 'node:v8';

/**
 * Lets a command exit as soon as its work is done. Node 20's `fetch` parses HTTP with WebAssembly
 * (undici's llhttp), V8 recompiles that module with TurboFan on a background thread, and the process
 * cannot exit until the recompile is done: every command that talked to the server ended ~110 ms
 * after its output. From the first `fetch` on, V8 keeps WebAssembly on its baseline compiler
 * (`--liftoff-only`), whose code parses a command's responses and event streams just as well.
 *
 * The flag is set at the first call, not at start: Node compiles its built-in modules from a code
 * cache that V8 refuses once a flag has changed, so a built-in loaded after it compiles from source
 * (~3× slower). By the first request a command has loaded what it needs; `fetch`'s own JavaScript
 * is loaded just before the flag.
 */
export function exitPromptlyAfterFetch(): void {
  const fetchNow = globalThis.fetch;
  let set = false;
  globalThis.fetch = ((input, init) => {
    if (!set) {
      set = true;
      void globalThis.Request;
      setFlagsFromString('--liftoff-only');
    }
    return fetchNow(input, init);
  }) as typeof fetch;
}
