import { createApp, OPENAPI_INFO } from './app.js';

/** The OpenAPI 3.1 document of every route, without a running engine (for generators). */
export function openApiDocument(): Record<string, unknown> {
  const app = createApp({ aegis: undefined as never, agents: [] });
  return app.getOpenAPI31Document(OPENAPI_INFO) as unknown as Record<string, unknown>;
}
