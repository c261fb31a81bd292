/**
 * `ag list --json | head -1`: once the reader has gone, the next write to stdout fails with EPIPE.
 * That is the reader's choice, not an error of ours: exit quietly (status 0) instead of printing a
 * stack trace. Any other stream error is still thrown.
 */
export function exitQuietlyOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]) {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}
