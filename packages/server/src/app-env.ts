import type { Actor, Aegis } from '@aegis/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from './http-errors.js';

export interface AppEnv {
  Variables: { actor: Actor; requestId: string };
}

export interface RouteDeps {
  aegis: Aegis;
  version: string;
  startedAt: number;
  agents: readonly string[];
  heartbeatMs: number;
}

export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}
