// Template env values can be credentials: a viewer sees the names, never the values.
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore, type Template } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { REDACTED } from './templates.js';

const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const aegis = createAegis({ agent: driver, store: createMemoryStore() });
const app = createApp({ aegis, agents: driver.agents });
const keys: Record<'admin' | 'viewer', { id: string; secret: string }> = {
  admin: { id: '', secret: '' },
  viewer: { id: '', secret: '' },
};
const env = { API_TOKEN: 'sk-live-123', REGION: 'eu' };
let viewerTemplate = '';
let adminTemplate = '';

beforeAll(async () => {
  for (const role of ['admin', 'viewer'] as const) {
    const res = await app.request('/v1/auth/keys', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(keys.admin.secret ? { authorization: `Bearer ${keys.admin.secret}` } : {}),
      },
      body: JSON.stringify({ name: role, role }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { secret: string; key: { id: string } };
    keys[role] = { id: body.key.id, secret: body.secret };
  }
  // No route lets a viewer create a template; one it owns (e.g. made through core) is the case to guard.
  viewerTemplate = (await aegis.templates.create({ name: 'v', env }, { id: keys.viewer.id, role: 'viewer' }))
    .id;
  adminTemplate = (
    await aegis.templates.create({ name: 'a', env }, { id: keys.admin.id, role: 'admin', admin: true })
  ).id;
});
afterAll(() => aegis.close());

const get = async (who: 'admin' | 'viewer', path: string): Promise<Template & { templates: Template[] }> => {
  const res = await app.request(path, { headers: { authorization: `Bearer ${keys[who].secret}` } });
  expect(res.status).toBe(200);
  return res.json();
};

describe('template env by role', () => {
  it('shows a viewer env names with redacted values, in get and list', async () => {
    expect((await get('viewer', `/v1/templates/${viewerTemplate}`)).env).toEqual({
      API_TOKEN: REDACTED,
      REGION: REDACTED,
    });
    const listed = (await get('viewer', '/v1/templates')).templates.find((t) => t.id === viewerTemplate);
    expect(listed?.env).toEqual({ API_TOKEN: REDACTED, REGION: REDACTED });
  });

  it('shows an admin the values', async () => {
    expect((await get('admin', `/v1/templates/${adminTemplate}`)).env).toEqual(env);
    const listed = (await get('admin', '/v1/templates')).templates.find((t) => t.id === viewerTemplate);
    expect(listed?.env).toEqual(env);
  });
});
