#!/usr/bin/env node
// Colors are for terminals. citty and consola decide when they are first imported, so decide here,
// before importing them.
if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1';
const { runMain } = await import('citty');
const { main } = await import('./main.js');
await runMain(main);
