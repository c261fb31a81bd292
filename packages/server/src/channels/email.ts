import type { AegisEvent, OutboxItem } from '@aegis/core';
import { ChannelSendError } from '@aegis/core';
import { createTransport } from 'nodemailer';
import type { EmailConfig } from './config.js';
import { channelFilter } from './filter.js';
import { eventText, permissionTarget, turnReply } from './format.js';
import type { ChannelContext, ChannelProbe } from './types.js';

/** For `setup-checks.ts`, which loads this module on first use. */
export { createTransport };

/** How often a mail about a waiting permission looks again whether it was answered meanwhile. */
const WAIT_RECHECK_MS = 30_000;
const DIGEST_KEY = 'digest';

interface Mail {
  subject: string;
  text: string;
}

/** Maps an SMTP failure: 5xx refusals are final, the rest (4xx, connection errors) are retried. */
function sendErrorOf(err: unknown): Error {
  const code = (err as { responseCode?: number }).responseCode;
  const message = `SMTP: ${err instanceof Error ? err.message : String(err)}`;
  return new ChannelSendError(message, { permanent: typeof code === 'number' && code >= 500 });
}

/**
 * Email through SMTP (nodemailer): a permission still waiting after `permissionWaitMinutes`,
 * failures (failed turns, crashed agents) and, when asked, completed turns. With `digestMinutes`
 * the mails are collected (durably, in the outbox store) and sent as one digest.
 */
export function startEmail(config: EmailConfig, ctx: ChannelContext) {
  const transport = createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    ...(config.smtp.user ? { auth: { user: config.smtp.user, pass: config.smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const probe: ChannelProbe = { ok: null, error: null, detail: `${config.smtp.host}:${config.smtp.port}` };
  const kinds = [
    ...(config.permissionWaitMinutes > 0 ? ['permission.requested'] : []),
    ...(config.failures ? ['turn.failed', 'session.ended'] : []),
    ...(config.completions ? ['turn.completed'] : []),
  ];
  const filter = channelFilter(
    config,
    kinds,
    (id) => ctx.store.getSession(id),
    async (id) => (await ctx.store.templates.get(id))?.name,
  );
  const accepts = async (e: AegisEvent) =>
    (await filter(e)) && (e.type !== 'session.ended' || e.data.status === 'crashed');

  async function mail(m: Mail) {
    try {
      await transport.sendMail({ from: config.from, to: config.to, subject: m.subject, text: m.text });
      probe.ok = true;
      probe.error = null;
    } catch (err) {
      probe.error = sendErrorOf(err).message;
      throw sendErrorOf(err);
    }
  }

  async function compose(event: AegisEvent): Promise<Mail | null> {
    const session = await ctx.store.getSession(event.sessionId);
    const label = session?.name ?? event.sessionId.slice(0, 8);
    const footer = `\n\nSession ${event.sessionId} in ${session?.workDir ?? '?'}\nStatus now: ${session?.status ?? '?'}`;
    switch (event.type) {
      case 'permission.requested': {
        const waitMs = config.permissionWaitMinutes * 60_000;
        const waited = Date.now() - Date.parse(event.at);
        const pending =
          session?.pendingPermission?.requestId === event.data.requestId ||
          (session?.pendingPermissionCount ?? 0) > 1;
        if (!pending || session?.status !== 'permission_prompt') return null; // answered meanwhile
        if (waited < waitMs) {
          throw new ChannelSendError('waiting: the permission has not waited long enough for a mail', {
            deferMs: Math.min(WAIT_RECHECK_MS, waitMs - waited),
          });
        }
        return {
          subject: `[Aegis] ${label}: permission waiting ${Math.round(waited / 60_000)} min: ${event.data.title}`,
          text: `The agent has been waiting for an answer since ${event.at}.\n\n${event.data.title}\nTool: ${event.data.kind ?? 'other'}\n${permissionTarget(event.data)}\n\nAnswer it: ag approve ${event.sessionId} (or ag reject), or in the dashboard.${footer}`,
        };
      }
      case 'turn.completed': {
        const reply = await turnReply(event, (q) => ctx.store.listEvents(q));
        return {
          subject: `[Aegis] ${label}: turn completed`,
          text: `${reply || '(no text reply)'}${footer}`,
        };
      }
      case 'turn.failed':
      case 'session.ended':
        return {
          subject: `[Aegis] ${label}: ${event.type === 'turn.failed' ? 'turn failed' : 'agent crashed'}`,
          text: `${eventText(event, { name: label, workDir: session?.workDir ?? '' })}${footer}`,
        };
      default:
        return null;
    }
  }

  async function send(item: OutboxItem): Promise<{ ref?: string | null }> {
    const m = await compose(item.event);
    if (!m) return { ref: 'skipped' };
    if (config.digestMinutes > 0) {
      const held = JSON.parse((await ctx.outbox.getValue('email', DIGEST_KEY)) || '[]') as Mail[];
      held.push(m);
      await ctx.outbox.setValue('email', DIGEST_KEY, JSON.stringify(held), new Date().toISOString());
      return { ref: 'digest' };
    }
    await mail(m);
    return { ref: null };
  }

  // A digest is cleared only after it was sent: a crash in between sends it again (at least once).
  let flushing = false;
  async function flushDigest() {
    if (flushing) return;
    flushing = true;
    try {
      const held = JSON.parse((await ctx.outbox.getValue('email', DIGEST_KEY)) || '[]') as Mail[];
      if (held.length === 0) return;
      await mail({
        subject: `[Aegis] digest: ${held.length} notification${held.length === 1 ? '' : 's'}`,
        text: held.map((m) => `## ${m.subject}\n\n${m.text}`).join('\n\n---\n\n'),
      });
      const now = JSON.parse((await ctx.outbox.getValue('email', DIGEST_KEY)) || '[]') as Mail[];
      await ctx.outbox.setValue(
        'email',
        DIGEST_KEY,
        JSON.stringify(now.slice(held.length)),
        new Date().toISOString(),
      );
    } catch (err) {
      ctx.logger.warn('the email digest could not be sent; trying again at the next interval', {
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      flushing = false;
    }
  }
  let timer: NodeJS.Timeout | null = null;

  return {
    probe,
    channel: { name: 'email', accepts, send },
    flushDigest,
    async test() {
      await mail({ subject: '[Aegis] test message', text: 'The email channel works.' });
      return `sent a test mail to ${config.to.join(', ')}`;
    },
    /** Digests are flushed by the one node that runs the channels. */
    run() {
      if (config.digestMinutes > 0) {
        timer = setInterval(flushDigest, config.digestMinutes * 60_000);
        timer.unref();
      }
      return async () => {
        if (timer) clearInterval(timer);
        timer = null;
      };
    },
    async close() {
      if (timer) clearInterval(timer);
      transport.close();
    },
  };
}
