// `ag doctor` checks of optional features: the sandbox and what a server would warn about at start-up.
import {
  bubblewrapRuntime,
  probeChannels,
  type SandboxRuntime,
  type ServerConfig,
  startupWarnings,
} from '@aegis/server/preflight';
import type { LoadedConfig } from './config.js';
import type { Check } from './doctor-checks.js';
import { configFileWarnings } from './server-settings.js';

/**
 * Whether sessions can run sandboxed here (bubblewrap and user namespaces). Required when the
 * server's `sandbox.mode` is `required` (sessions are refused without it); informational otherwise.
 */
export async function checkSandbox(
  server: ServerConfig,
  runtime: SandboxRuntime = bubblewrapRuntime(),
): Promise<Check> {
  const mode = server.sandbox.mode;
  const problem = await runtime.check();
  const modeText =
    mode === 'off'
      ? 'sessions are sandboxed when they ask'
      : mode === 'on'
        ? 'sessions are sandboxed by default'
        : 'every session must be sandboxed';
  if (!problem) {
    return {
      id: 'sandbox',
      title: 'Sandbox',
      ok: true,
      required: false,
      detail: `${runtime.name} works (sandbox.mode ${mode}: ${modeText})`,
    };
  }
  return {
    id: 'sandbox',
    title: 'Sandbox',
    ok: false,
    required: mode === 'required',
    detail: `sessions cannot run sandboxed: ${problem}${mode === 'required' ? ' — with sandbox.mode required, every session is refused' : ''}`,
    fix: 'install bubblewrap (apt-get install bubblewrap) and allow user namespaces, or set sandbox.mode (AEGIS_SANDBOX) to off',
  };
}

/**
 * What a server started here would warn about in its log (unsigned webhooks, an `IS_SANDBOX` value
 * the agent would misread, documented settings this server does not support). Informational.
 */
export function checkStartupWarnings(
  server: ServerConfig,
  config: LoadedConfig,
  env: NodeJS.ProcessEnv = process.env,
): Check {
  const warnings = [
    ...startupWarnings(server, env),
    ...configFileWarnings(config).map((message) => ({ message, fields: undefined })),
  ];
  const base = { id: 'startup' as const, title: 'Start-up', required: false };
  if (warnings.length === 0) return { ...base, ok: true, detail: 'nothing to warn about' };
  return {
    ...base,
    ok: false,
    detail: warnings
      .map((w) => {
        const urls = w.fields?.webhooks;
        return Array.isArray(urls) ? `${w.message} (${urls.join(', ')})` : w.message;
      })
      .join('; '),
    fix: 'see docs/compatibility.md and docs/security.md for each item above',
  };
}

/**
 * Each configured channel against its service (Telegram: the token, the group's topics and the
 * bot's right to manage them; Slack: the token; email: the SMTP handshake). A configured channel
 * that does not work fails the check; none configured passes.
 */
export async function checkChannels(server: ServerConfig): Promise<Check> {
  const base = { id: 'channels' as const, title: 'Channels' };
  const results = await probeChannels(server.channels);
  if (results.length === 0) {
    return { ...base, ok: true, required: false, detail: 'none configured (ag setup telegram|slack|email)' };
  }
  const failed = results.filter((r) => !r.ok);
  return {
    ...base,
    ok: failed.length === 0,
    required: true,
    detail: results.map((r) => `${r.name}: ${r.ok ? r.detail : `✗ ${r.detail}`}`).join('; '),
    ...(failed.length > 0
      ? { fix: `fix the settings, or run \`ag setup ${failed[0]?.name}\` again (see docs/channels.md)` }
      : {}),
  };
}
