import { AegisApiError } from '@aegis/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorState } from './bits.js';

describe('ErrorState', () => {
  it('shows what failed, with the error code and a Retry button, when the API answers an error', () => {
    const html = renderToStaticMarkup(
      <ErrorState error={new AegisApiError(500, 'INTERNAL', 'database is locked')} onRetry={() => {}} />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('Something went wrong');
    expect(html).toContain('database is locked (INTERNAL)');
    expect(html).toContain('>Retry</button>');
  });

  it('says the API cannot be reached when the request itself fails', () => {
    const html = renderToStaticMarkup(<ErrorState error={new TypeError('Failed to fetch')} />);
    expect(html).toContain('Cannot reach the API at');
    expect(html).not.toContain('Retry');
  });

  it('turns a 401 into the API key form instead of an error', () => {
    const html = renderToStaticMarkup(
      <ErrorState error={new AegisApiError(401, 'UNAUTHORIZED', 'no key')} />,
    );
    expect(html).toContain('API key required');
    expect(html).not.toContain('Something went wrong');
  });
});
