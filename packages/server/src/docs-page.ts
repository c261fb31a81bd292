/**
 * The interactive API docs at `/v1/docs`: one self-contained HTML page (no CDN; servers often have
 * no internet) that fetches `/v1/openapi.json` and renders operations by tag, their parameters,
 * bodies and responses, the schemas, and a small "try it" form that calls the API with fetch.
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Aegis API</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header{background:#1d2330;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center}
header input{flex:1;max-width:360px;padding:6px 8px;border-radius:4px;border:0}
main{display:grid;grid-template-columns:220px 1fr;gap:0}
nav{padding:12px;border-right:1px solid #dde;height:calc(100vh - 50px);overflow:auto;position:sticky;top:0}
nav a{display:block;color:#345;text-decoration:none;padding:2px 0}
section{padding:12px 24px;overflow:auto}
details{background:#fff;border:1px solid #dde;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 10px;display:flex;gap:10px;align-items:baseline}
.m{font:600 12px monospace;padding:2px 6px;border-radius:3px;color:#fff;min-width:52px;text-align:center}
.get{background:#2f7bd8}.post{background:#2a9d58}.put{background:#c98a1b}.delete{background:#c9412f}.patch{background:#7a4fc9}
code,pre{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f1f3f6;padding:8px;border-radius:4px;overflow:auto;max-height:360px}
.body{padding:0 12px 12px}.op{color:#667}
textarea{width:100%;min-height:80px;font-family:monospace}
button{padding:4px 10px}
</style></head>
<body>
<header><strong>Aegis API</strong><span id="ver"></span><input id="q" placeholder="Filter operations…">
<input id="tok" type="password" placeholder="Bearer token (optional)"></header>
<main><nav id="nav"></nav><section id="ops">Loading /v1/openapi.json…</section></main>
<script>
const $ = (t, a = {}, ...kids) => { const e = document.createElement(t); Object.assign(e, a); e.append(...kids); return e; };
const ref = (doc, s) => s && s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s;
const name = (s) => s && s.$ref ? s.$ref.split('/').pop() : null;
function shape(doc, s, depth = 0) {
  if (!s) return 'any';
  const n = name(s); if (n && depth > 0) return n;
  s = ref(doc, s);
  if (s.oneOf || s.anyOf) return (s.oneOf || s.anyOf).map((x) => shape(doc, x, depth + 1)).join(' | ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') return shape(doc, s.items, depth + 1) + '[]';
  if (s.type === 'object' || s.properties) {
    if (depth > 1) return 'object';
    const req = new Set(s.required || []);
    const pad = '  '.repeat(depth + 1);
    return '{\\n' + Object.entries(s.properties || {}).map(([k, v]) =>
      pad + k + (req.has(k) ? '' : '?') + ': ' + shape(doc, v, depth + 1)).join('\\n') + '\\n' + '  '.repeat(depth) + '}';
  }
  return [].concat(s.type || 'any').join(' | ');
}
function tryIt(path, method, op) {
  const params = (op.parameters || []).filter((p) => p.in === 'path' || p.in === 'query');
  const inputs = params.map((p) => $('label', {}, p.name + (p.in === 'query' ? ' (query) ' : ' '), $('input', { name: p.name, dataset: { in: p.in } })));
  const body = op.requestBody ? $('textarea', { placeholder: 'JSON body' }) : null;
  const out = $('pre');
  const go = $('button', { textContent: 'Send', onclick: async () => {
    let url = path; const qs = new URLSearchParams();
    for (const l of inputs) { const i = l.querySelector('input'); if (!i.value) continue;
      if (i.dataset.in === 'path') url = url.replace('{' + i.name + '}', encodeURIComponent(i.value)); else qs.set(i.name, i.value); }
    const headers = { 'content-type': 'application/json' };
    const tok = document.getElementById('tok').value; if (tok) headers.authorization = 'Bearer ' + tok;
    out.textContent = '…';
    try {
      const res = await fetch(url + (qs.size ? '?' + qs : ''), { method: method.toUpperCase(), headers, body: body && body.value ? body.value : undefined });
      const type = res.headers.get('content-type') || '';
      if (type.includes('event-stream')) { out.textContent = res.status + ' (event stream; use curl -N)'; res.body.cancel(); return; }
      const text = await res.text();
      let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      out.textContent = res.status + ' ' + res.statusText + '\\n' + shown;
    } catch (e) { out.textContent = String(e); }
  } });
  return $('div', {}, $('h4', { textContent: 'Try it' }), ...inputs, body || '', $('div', {}, go), out);
}
function render(doc, filter = '') {
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    const hay = (path + ' ' + op.operationId + ' ' + (op.summary || '')).toLowerCase();
    if (filter && !hay.includes(filter)) continue;
    for (const tag of op.tags || ['Other']) (byTag[tag] ||= []).push([path, method, op]);
  }
  const nav = document.getElementById('nav'), ops = document.getElementById('ops');
  nav.replaceChildren(); ops.replaceChildren();
  for (const [tag, list] of Object.entries(byTag)) {
    nav.append($('a', { href: '#tag-' + tag, textContent: tag + ' (' + list.length + ')' }));
    ops.append($('h2', { id: 'tag-' + tag, textContent: tag }));
    for (const [path, method, op] of list) {
      const body = $('div', { className: 'body' });
      if (op.description) body.append($('p', { textContent: op.description }));
      for (const p of op.parameters || []) body.append($('div', {}, $('code', { textContent: p.in + ' ' + p.name + (p.required ? '' : '?') + ': ' + shape(doc, p.schema) }), p.description ? ' — ' + p.description : ''));
      const rb = op.requestBody && Object.values(op.requestBody.content)[0];
      if (rb) body.append($('h4', { textContent: 'Body ' + (name(rb.schema) || '') }), $('pre', { textContent: shape(doc, rb.schema) }));
      for (const [status, r] of Object.entries(op.responses || {})) {
        const c = r.content && Object.entries(r.content)[0];
        body.append($('h4', { textContent: status + ' ' + (r.description || '') + (c ? ' · ' + c[0] + ' ' + (name(c[1].schema) || '') : '') }));
        if (c && status < 300) body.append($('pre', { textContent: shape(doc, c[1].schema) }));
      }
      body.append(tryIt(path, method, op));
      ops.append($('details', {}, $('summary', {}, $('span', { className: 'm ' + method, textContent: method.toUpperCase() }), $('code', { textContent: path }), $('span', { className: 'op', textContent: op.operationId + ' — ' + (op.summary || '') })), body));
    }
  }
  nav.append($('a', { href: '#schemas', textContent: 'Schemas' }));
  ops.append($('h2', { id: 'schemas', textContent: 'Schemas' }));
  for (const [n, s] of Object.entries(doc.components?.schemas || {})) {
    if (filter && !n.toLowerCase().includes(filter)) continue;
    ops.append($('details', { id: 'schema-' + n }, $('summary', {}, $('code', { textContent: n })), $('div', { className: 'body' }, $('pre', { textContent: shape(doc, s) }))));
  }
}
fetch('/v1/openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('ver').textContent = doc.info.version;
  render(doc);
  document.getElementById('q').oninput = (e) => render(doc, e.target.value.toLowerCase());
}).catch((e) => { document.getElementById('ops').textContent = 'Could not load /v1/openapi.json: ' + e; });
</script></body></html>`;
}
