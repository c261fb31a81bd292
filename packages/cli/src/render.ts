interface PermissionData {
  title: string;
  kind: string | null;
  input?: unknown;
  content?: { type: string; path?: string; oldText?: string | null; newText?: string }[];
}

/** One human line (plus a short diff summary) for a permission request. */
export function describePermission(p: PermissionData): string {
  const parts = [p.title];
  const input = p.input as Record<string, unknown> | undefined;
  if (input && typeof input.command === 'string' && !p.title.includes(input.command))
    parts.push(`$ ${input.command}`);
  for (const c of p.content ?? []) {
    if (c.type === 'diff' && c.path) {
      const added = (c.newText ?? '').split('\n').length;
      const removed = c.oldText ? c.oldText.split('\n').length : 0;
      parts.push(
        `${c.oldText == null ? 'create' : 'edit'} ${c.path} (+${added}${removed ? ` -${removed}` : ''} lines)`,
      );
    }
  }
  return parts.join('\n  ');
}
