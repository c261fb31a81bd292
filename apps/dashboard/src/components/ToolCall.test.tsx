import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TranscriptItem } from '../lib/transcript.js';
import { ToolCall } from './ToolCall.js';

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;
const tool = (over: Partial<ToolItem>): ToolItem => ({
  key: 'tool:1',
  seq: 1,
  at: '2026-01-01T00:00:00.000Z',
  kind: 'tool',
  toolCallId: '1',
  title: 'Run ls',
  toolKind: 'execute',
  status: 'completed',
  content: [],
  locations: [],
  ...over,
});

describe('ToolCall', () => {
  it('shows an execute tool’s command and output in an open block, not only "Terminal <id>"', () => {
    const html = renderToStaticMarkup(
      <ToolCall
        item={tool({
          input: { command: 'ls -la' },
          output: 'total 0\nfile.txt',
          content: [
            { type: 'terminal', terminalId: 'term-1' },
            { type: 'text', text: 'total 0\nfile.txt' },
          ],
        })}
      />,
    );
    expect(html).toContain('<details class="terminal" open="" data-testid="command-output">');
    expect(html).toContain('ls -la');
    expect(html).toContain('<pre class="term-out">total 0\nfile.txt</pre>');
    expect(html).toContain('terminal term-1');
    // The output is shown once, in the command block.
    expect(html.split('file.txt').length - 1).toBe(1);
  });

  it('keeps other tools’ raw output folded away', () => {
    const html = renderToStaticMarkup(<ToolCall item={tool({ toolKind: 'read', output: { bytes: 3 } })} />);
    expect(html).not.toContain('command-output');
    expect(html).toContain('<details class="json"><summary>Output</summary>');
  });
});
