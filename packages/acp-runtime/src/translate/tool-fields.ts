import type { ToolContent, ToolKind, ToolLocation } from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';

export const TOOL_KINDS = new Set<string>([
  'read',
  'edit',
  'delete',
  'move',
  'search',
  'execute',
  'think',
  'fetch',
  'switch_mode',
  'other',
]);
export const toolKind = (kind: string | null | undefined): ToolKind | undefined =>
  kind == null ? undefined : TOOL_KINDS.has(kind) ? (kind as ToolKind) : 'other';

export function contentText(block: acp.ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'resource_link':
      return `[${block.name}](${block.uri})`;
    case 'resource':
      return 'text' in block.resource ? block.resource.text : '';
    default:
      return '';
  }
}

export function toolContent(items: acp.ToolCallContent[] | null | undefined): ToolContent[] | undefined {
  if (!items) return undefined;
  return items.map((c): ToolContent => {
    if (c.type === 'diff')
      return { type: 'diff', path: c.path, oldText: c.oldText ?? null, newText: c.newText };
    if (c.type === 'terminal') return { type: 'terminal', terminalId: c.terminalId };
    return { type: 'text', text: contentText(c.content) };
  });
}

const locations = (items: acp.ToolCallLocation[] | null | undefined): ToolLocation[] | undefined =>
  items?.map((l) => ({ path: l.path, line: l.line ?? null }));

/** Drops `undefined` fields so events stay minimal and snapshot-friendly. */
export function compact<T extends object>(value: T): T {
  // A plain loop: `Object.fromEntries(Object.entries(…).filter(…))` allocated three arrays and a
  // closure per call, ~5 µs on every tool update of a busy turn.
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

export function toolFields(u: acp.ToolCallUpdate) {
  return compact({
    toolCallId: u.toolCallId,
    title: u.title ?? undefined,
    kind: toolKind(u.kind),
    status: u.status ?? undefined,
    input: u.rawInput,
    output: u.rawOutput,
    content: toolContent(u.content),
    locations: locations(u.locations),
  });
}
