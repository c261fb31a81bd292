#!/usr/bin/env node
// Before anything loads: `ag serve` keeps V8's young generation small while the server loads
// (see @aegis/server/young-generation); every other command lets it grow once its line is checked.
const { holdYoungGeneration, releaseYoungGeneration } = await import('@aegis/server/young-generation');
holdYoungGeneration();
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
if (defaulted !== 'serve' && rawArgs.find((a) => !a.startsWith('-')) !== 'serve') {
  // `serve` releases it once the server listens.
  releaseYoungGeneration();
  // Commands exit once done, not ~110 ms later (see ./fetch-exit.ts).
  const { exitPromptlyAfterFetch } = await import('./fetch-exit.js');
  exitPromptlyAfterFetch();
}
await runMain(main, { rawArgs });
