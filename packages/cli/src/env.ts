import { z } from 'zod';

const CliEnv = z.object({
  AEGIS_BASE_URL: z.string().url().optional(),
  AEGIS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  AEGIS_HOST: z.string().optional(),
  AEGIS_AUTH_TOKEN: z.string().optional(),
});

/** The CLI's environment variables, read here only. */
export function cliEnv(env: NodeJS.ProcessEnv = process.env) {
  const parsed = CliEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Where the CLI finds the server: --port > AEGIS_BASE_URL > AEGIS_HOST/AEGIS_PORT > 127.0.0.1:9100. */
export function baseUrlFrom(args: { port?: string | undefined; host?: string | undefined }): string {
  const env = cliEnv();
  if (args.port) return `http://${args.host ?? env.AEGIS_HOST ?? '127.0.0.1'}:${args.port}`;
  if (env.AEGIS_BASE_URL) return env.AEGIS_BASE_URL.replace(/\/+$/, '');
  return `http://${env.AEGIS_HOST ?? '127.0.0.1'}:${env.AEGIS_PORT ?? 9100}`;
}
