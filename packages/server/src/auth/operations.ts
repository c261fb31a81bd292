/** A matched route: its operationId and the values of its path parameters. */
export interface MatchedOperation {
  operationId: string;
  params: Record<string, string>;
}

interface Template {
  method: string;
  pattern: RegExp;
  names: string[];
  operationId: string;
  literals: number;
}

/**
 * Maps `METHOD /path` to the operationId of the route that serves it, built from the app's own
 * OpenAPI document, so a route added anywhere is found without registering it twice.
 * Literal segments win over parameters (`/v1/sessions/batch` before `/v1/sessions/{id}`).
 */
export function operationMatcher(
  paths: Record<string, Record<string, { operationId?: string }>>,
  extra: Record<string, string> = {},
): (method: string, path: string) => MatchedOperation | undefined {
  const templates: Template[] = [];
  const add = (method: string, path: string, operationId: string) => {
    const names: string[] = [];
    const segments = path.split('/');
    const source = segments
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg) ?? /^:(\w+)$/.exec(seg);
        if (!m?.[1]) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]);
        return '([^/]+)';
      })
      .join('/');
    templates.push({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}/?$`),
      names,
      operationId,
      literals: segments.length - names.length,
    });
  };
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops ?? {}))
      if (op?.operationId) add(method, path, op.operationId);
  }
  for (const [key, operationId] of Object.entries(extra)) {
    const [method = 'GET', path = '/'] = key.split(' ');
    add(method, path, operationId);
  }
  templates.sort((a, b) => b.literals - a.literals);
  return (method, path) => {
    const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    for (const t of templates) {
      if (t.method !== m) continue;
      const hit = t.pattern.exec(path);
      if (!hit) continue;
      const params: Record<string, string> = {};
      t.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(hit[i + 1] ?? '');
        } catch {
          params[n] = hit[i + 1] ?? '';
        }
      });
      return { operationId: t.operationId, params };
    }
    return undefined;
  };
}
