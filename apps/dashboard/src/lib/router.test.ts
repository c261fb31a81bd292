import { describe, expect, it } from 'vitest';
import { href, parseHash } from './router.js';

describe('routes for the new pages', () => {
  it('parses pipelines, audit (with its filter query) and keys', () => {
    expect(parseHash(href.pipelines)).toEqual({ page: 'pipelines' });
    expect(parseHash(href.pipeline('p/1'))).toEqual({ page: 'pipeline', id: 'p/1' });
    expect(parseHash(href.audit())).toEqual({ page: 'audit', search: '' });
    expect(parseHash(href.audit('?actor=k1'))).toEqual({ page: 'audit', search: '?actor=k1' });
    expect(parseHash('#/audit/?action=x')).toEqual({ page: 'audit', search: '?action=x' });
    expect(parseHash(href.keys)).toEqual({ page: 'keys' });
    expect(parseHash('#/keys/x')).toEqual({ page: 'notFound', path: '/keys/x' });
  });

  it('parses the nodes page', () => {
    expect(parseHash(href.nodes)).toEqual({ page: 'nodes' });
    expect(parseHash('#/nodes/')).toEqual({ page: 'nodes' });
    expect(parseHash('#/nodes/node-a')).toEqual({ page: 'notFound', path: '/nodes/node-a' });
  });
});
