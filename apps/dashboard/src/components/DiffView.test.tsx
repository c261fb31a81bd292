import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DiffView } from './DiffView.js';

const render = (oldText: string | null, newText: string) =>
  renderToStaticMarkup(<DiffView path="/w/a.txt" oldText={oldText} newText={newText} />);
const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('DiffView', () => {
  it('renders an edit as removed and added rows under a hunk header, with line numbers', () => {
    const html = render('old line\nkept\n', 'new line\nkept\nadded\n');
    expect(html).toContain('aria-label="Diff of /w/a.txt"');
    expect(count(html, 'class="diff-line diff-del"')).toBe(1);
    expect(count(html, 'class="diff-line diff-add"')).toBe(2);
    expect(count(html, 'class="diff-line diff-equal"')).toBe(1);
    expect(html).toContain('@@ −1,2 +1,3 @@');
    expect(html).toContain('<span class="add">+2</span> <span class="del">−1</span>');
    // Screen readers hear what changed, not a bare "+" or "−".
    expect(html).toContain('<span class="sr-only">removed: </span>old line');
    expect(html).toContain('<span class="sr-only">added: </span>new line');
    expect(html).toContain('2 lines added, 1 removed');
    expect(html).not.toContain('new file');
  });

  it('marks a new file and shows every line as added', () => {
    const html = render(null, 'a\nb\nc\n');
    expect(html).toContain('new file');
    expect(count(html, 'class="diff-line diff-add"')).toBe(3);
    expect(count(html, 'diff-del')).toBe(0);
  });

  it('says "No changes." when the texts are equal', () => {
    const html = render('same\n', 'same\n');
    expect(html).toContain('No changes.');
    expect(html).not.toContain('<table');
  });

  it('shows the first 400 lines of a big diff and offers the rest', () => {
    const html = render(null, Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n'));
    expect(count(html, 'class="diff-line diff-add"')).toBe(400);
    expect(html).toContain('Show all 1,000 lines'); // the count formatted for the language
  });
});
