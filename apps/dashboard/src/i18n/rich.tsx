import { Fragment, type ReactNode } from 'react';
import { type MessageKey, t } from './index.js';

/**
 * A message with elements in it: `{name}` placeholders become the given nodes, so a link or a
 * `<code>` sits where the language puts it ("Create one from the {link}" / "Creane una dalla {link}").
 */
export function tr(key: MessageKey, nodes: Record<string, ReactNode>): ReactNode[] {
  return t(key)
    .split(/(\{\w+\})/)
    .map((part, i) => {
      const m = /^\{(\w+)\}$/.exec(part);
      const node = m && m[1] !== undefined && m[1] in nodes ? nodes[m[1]] : part;
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed message, in order
      return <Fragment key={i}>{node}</Fragment>;
    });
}
