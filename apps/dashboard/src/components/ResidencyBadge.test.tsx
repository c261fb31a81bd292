import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ResidencyBadge } from './bits.js';

describe('ResidencyBadge', () => {
  it('says whether a live session has an agent process up, and what a dormant one does next', () => {
    const resident = renderToStaticMarkup(<ResidencyBadge status="idle" resident />);
    expect(resident).toContain('data-residency="resident"');
    const dormant = renderToStaticMarkup(<ResidencyBadge status="idle" resident={false} />);
    expect(dormant).toContain('data-residency="dormant"');
    expect(dormant).toContain('the next prompt starts one and resumes the conversation');
  });

  it('shows nothing for an ended session', () => {
    expect(renderToStaticMarkup(<ResidencyBadge status="killed" resident={false} />)).toBe('');
  });
});
