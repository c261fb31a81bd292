/**
 * Fails when a .tsx file shows words that bypass the message catalog: JSX text, user-facing
 * attributes (aria-label, title, placeholder, alt, label), string results inside JSX expressions
 * (`{busy ? 'Saving…' : 'Save'}`) and literal toast / Error messages. Text without letters (symbols,
 * numbers) passes; a few non-words are allowed by name below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Not words of any language: the product name, percentile column heads, literal API paths. */
const ALLOWED = new Set(['Aegis', 'p50', 'p95', 'n', 'GET /v1/nodes']);
const USER_ATTRS = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description']);
const MESSAGE_CALLS = new Set(['toast', 'Error', 'confirm', 'alert', 'setErr']);
const WORDY = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? tsxFiles(join(dir, d.name))
      : d.name.endsWith('.tsx') && !d.name.endsWith('.test.tsx')
        ? [join(dir, d.name)]
        : [],
  );
}

/** The string values an expression can evaluate to (literal branches; calls are not followed). */
function results(e: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e];
  if (ts.isTemplateExpression(e)) return [e.head, ...e.templateSpans.map((s) => s.literal)];
  if (ts.isParenthesizedExpression(e)) return results(e.expression);
  if (ts.isConditionalExpression(e)) return [...results(e.whenTrue), ...results(e.whenFalse)];
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
      return [...results(e.left), ...results(e.right)];
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return results(e.right);
    if (op === ts.SyntaxKind.PlusToken) return [...results(e.left), ...results(e.right)];
  }
  return [];
}

function text(n: ts.Node): string {
  if (ts.isJsxText(n)) return n.text.trim();
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text.trim();
  if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) return n.text.trim();
  return '';
}

/** `<code>` and `className="mono…"` elements hold code (env vars, commands, paths), not words. */
function isCode(n: ts.Node): boolean {
  if (!ts.isJsxElement(n)) return false;
  const open = n.openingElement;
  if (open.tagName.getText() === 'code') return true;
  return open.attributes.properties.some(
    (a) =>
      ts.isJsxAttribute(a) &&
      a.name.getText() === 'className' &&
      a.initializer !== undefined &&
      ts.isStringLiteral(a.initializer) &&
      /\bmono\b/.test(a.initializer.text),
  );
}

export function bareText(file: string, code: string): string[] {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const flag = (n: ts.Node) => {
    const s = text(n);
    if (WORDY.test(s) && !ALLOWED.has(s)) {
      const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
      found.push(`${relative(src, file)}:${line + 1} ${JSON.stringify(s)}`);
    }
  };
  const visit = (n: ts.Node) => {
    if (isCode(n)) return;
    if (ts.isJsxText(n)) flag(n);
    else if (ts.isJsxAttribute(n) && USER_ATTRS.has(n.name.getText(sf)) && n.initializer) {
      if (ts.isStringLiteral(n.initializer)) flag(n.initializer);
      else if (ts.isJsxExpression(n.initializer) && n.initializer.expression)
        results(n.initializer.expression).forEach(flag);
    } else if (ts.isJsxExpression(n) && n.expression && !ts.isJsxAttribute(n.parent))
      results(n.expression).forEach(flag);
    else if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.arguments?.[0]) {
      const callee = n.expression.getText(sf);
      if (MESSAGE_CALLS.has(callee)) results(n.arguments[0]).forEach(flag);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('every word on screen comes from the message catalog', () => {
  it('the scan catches bare JSX text, user-facing attributes, expression results and toasts', () => {
    const code = `export const X = () => <p title="Hello" aria-label={t('ok')}>Bare {busy ? 'Saving…' : t('save')} {'→'} Aegis<i>{toast(\`Done \${n}\`)}</i><code>ag run</code></p>;`;
    expect(bareText(join(src, 'x.tsx'), code).map((s) => s.replace(/^\S+ /, ''))).toEqual([
      '"Hello"',
      '"Bare"',
      '"Saving…"',
      '"Done"',
    ]);
  });

  it.each(tsxFiles(src).map((f) => [relative(src, f), f]))('%s has no bare text', (_, file) => {
    expect(bareText(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
});
