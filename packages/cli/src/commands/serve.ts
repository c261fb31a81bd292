import { defineCommand } from 'citty';
import { consola } from 'consola';

export const serveCommand = defineCommand({
  meta: { name: 'serve', description: 'Start the Aegis server (default 127.0.0.1:9100)' },
  args: {
    host: { type: 'string', description: 'Address to bind (AEGIS_HOST)' },
    port: { type: 'string', description: 'Port to listen on (AEGIS_PORT)' },
  },
  async run({ args }) {
    const { startServer } = await import('@aegis/server');
    const server = await startServer({
      config: {
        ...(args.host ? { host: args.host } : {}),
        ...(args.port ? { port: Number(args.port) } : {}),
      },
    });
    consola.success(`Aegis is listening on ${server.url}  (API docs: ${server.url}/v1/openapi.json)`);
    const stop = async (signal: string) => {
      consola.info(`${signal}: shutting down…`);
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    await new Promise(() => {});
  },
});
