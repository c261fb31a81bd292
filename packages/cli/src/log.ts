import type { ConsolaInstance, ConsolaOptions } from 'consola';

/**
 * Whether a person is at the other end: any of stdin, stdout or stderr is a terminal.
 *
 * consola's default entry builds its fancy reporter when it is imported, and that creates an
 * `Intl.Segmenter` (ICU's break-iterator data): ~30 ms of CPU on every `ag` run, before the command
 * does anything. Icons and colours are for people, so only a terminal session pays for them; a
 * service manager, an MCP host speaking to `ag mcp`, a script or a pipe gets consola's basic reporter,
 * which writes the same messages as `[info] …` lines (what consola itself does under CI).
 */
export const attended = (): boolean =>
  process.stdin.isTTY === true || process.stdout.isTTY === true || process.stderr.isTTY === true;

const consolaModule = attended() ? await import('consola') : await import('consola/basic');

/** A logger like `consola`'s `createConsola`, fancy in a terminal and basic otherwise. */
export const createLogger = (options: Partial<ConsolaOptions> = {}): ConsolaInstance =>
  consolaModule.createConsola(options);

/** The logger every command writes through. */
export const consola: ConsolaInstance = consolaModule.consola;
