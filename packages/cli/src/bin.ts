#!/usr/bin/env node
// Colors are for terminals. citty and consola decide when they are first imported, so decide here,
// before importing them.
if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1';
const { exitQuietlyOnClosedPipe } = await import('./closed-pipe.js');
exitQuietlyOnClosedPipe();
const { runMain } = await import('citty');
const { main } = await import('./main.js');
const { checkArgv } = await import('./argv-check.js');
const rawArgs = process.argv.slice(2);
// citty would ignore an unknown flag and print the whole help for an unknown command.
const { problem, defaulted } = await checkArgv(main, rawArgs);
if (problem) {
  process.stderr.write(`✖ ${problem.message}\n`);
  process.exit(2);
}
if (defaulted === 'serve')
  process.stderr.write('No command given: running `ag serve` (`ag --help` lists the others).\n');
await runMain(main, { rawArgs });
