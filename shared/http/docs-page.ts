// The browsable API reference of a function (`GET /<name>/docs`): one self-contained HTML page with the OpenAPI
// document inlined and a small renderer, so it needs no CDN and no request at all once loaded. Its CSP forbids
// every fetch and every script but the renderer itself.

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header{background:#1d2330;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;opacity:.8}main{max-width:1100px;margin:0 auto;padding:16px 32px 64px}
input{width:100%;padding:8px 10px;font:inherit;border:1px solid #c8cdd6;border-radius:6px;box-sizing:border-box}
details{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:10px 0}
summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:baseline}
.m{font:600 12px/1 ui-monospace,monospace;text-transform:uppercase;padding:4px 7px;border-radius:4px;color:#fff;min-width:48px;text-align:center}
.get{background:#2f7d4f}.post{background:#2c5fab}.delete{background:#b3362d}.patch,.put{background:#a8651c}
.p{font-family:ui-monospace,monospace}.s{color:#5a6272}.body{padding:4px 16px 14px;border-top:1px solid #eef0f3}
h2{margin-top:32px}h3{font-size:14px;margin:14px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:#5a6272}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
code,.t{font-family:ui-monospace,monospace;font-size:13px}.t{color:#7a3e9d}.req{color:#b3362d}
ul.tree{list-style:none;margin:0;padding-left:18px;border-left:1px dashed #d5d9e0}a{color:#2c5fab}
.status{font:600 13px ui-monospace,monospace}.hidden{display:none}
`;

// Runs in the browser: reads the inlined document and builds the page with DOM calls (text, never HTML).
const RENDERER = `(() => {
const spec = JSON.parse(document.getElementById('openapi').textContent);
const el = (tag, attrs, ...kids) => { const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) n.setAttribute(k, v);
  for (const k of kids.flat()) if (k != null) n.append(k instanceof Node ? k : String(k)); return n; };
const refName = (ref) => ref.split('/').pop();
const typeOf = (s) => { if (!s) return 'any'; if (s.$ref) return refName(s.$ref);
  if (s.enum) return 'enum'; if (s.const !== undefined) return 'const';
  if (s.type === 'array') return typeOf(s.items) + '[]';
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(typeOf).join(' | ');
  return (s.type || 'object') + (s.format ? ' (' + s.format + ')' : ''); };
const facts = (s) => { const f = [];
  for (const k of ['minimum','maximum','exclusiveMinimum','exclusiveMaximum','minLength','maxLength','minItems','maxItems','pattern','default'])
    if (s[k] !== undefined) f.push(k + ': ' + JSON.stringify(s[k]));
  if (s.enum) f.push('one of ' + s.enum.map((v) => JSON.stringify(v)).join(', '));
  if (s.const !== undefined) f.push('= ' + JSON.stringify(s.const));
  if (s.example !== undefined) f.push('e.g. ' + JSON.stringify(s.example)); return f.join('; '); };
function schemaTree(s, depth) { if (!s) return el('span', {class: 's'}, 'any');
  if (s.$ref) return el('a', {href: '#schema-' + refName(s.$ref), class: 't'}, refName(s.$ref));
  const head = el('span', {}, el('span', {class: 't'}, typeOf(s)), s.description ? el('span', {class: 's'}, ' — ' + s.description) : null,
    facts(s) ? el('span', {class: 's'}, ' (' + facts(s) + ')') : null);
  if (depth > 8) return head;
  const kids = [];
  if (s.properties) for (const [name, p] of Object.entries(s.properties)) kids.push(el('li', {},
    el('code', {}, name), (s.required || []).includes(name) ? el('span', {class: 'req'}, ' *') : null, ': ', schemaTree(p, depth + 1)));
  if (s.type === 'array' && s.items && !s.items.$ref) kids.push(el('li', {}, 'items: ', schemaTree(s.items, depth + 1)));
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (s[k]) s[k].forEach((x, i) => kids.push(el('li', {}, k + '[' + i + ']: ', schemaTree(x, depth + 1))));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') kids.push(el('li', {}, 'values: ', schemaTree(s.additionalProperties, depth + 1)));
  return kids.length ? el('span', {}, head, el('ul', {class: 'tree'}, kids)) : head; }
function content(c) { return Object.entries(c || {}).map(([type, v]) => el('div', {}, el('code', {class: 's'}, type), ' ', schemaTree(v.schema, 0))); }
function operation(path, method, op) {
  const body = el('div', {class: 'body'});
  if (op.description) body.append(el('p', {}, op.description));
  if (op.security && op.security.length) body.append(el('p', {class: 's'}, 'Authorization: Bearer token (' + op.security.map((s) => Object.keys(s).join(', ')).join(' or ') + ')'));
  if (op.parameters && op.parameters.length) body.append(el('h3', {}, 'Parameters'), el('table', {},
    el('tr', {}, el('th', {}, 'name'), el('th', {}, 'in'), el('th', {}, 'schema')),
    op.parameters.map((p) => el('tr', {}, el('td', {}, el('code', {}, p.name), p.required ? el('span', {class: 'req'}, ' *') : null),
      el('td', {}, p.in), el('td', {}, schemaTree(p.schema, 0), p.description ? el('div', {class: 's'}, p.description) : null)))));
  if (op.requestBody) body.append(el('h3', {}, 'Request body' + (op.requestBody.required ? ' (required)' : '')), content(op.requestBody.content));
  body.append(el('h3', {}, 'Responses'), el('table', {}, Object.entries(op.responses || {}).map(([status, r]) =>
    el('tr', {}, el('td', {class: 'status'}, status), el('td', {}, r.description || '', content(r.content))))));
  return el('details', {'data-search': (method + ' ' + path + ' ' + (op.summary || '')).toLowerCase()},
    el('summary', {}, el('span', {class: 'm ' + method}, method), el('span', {class: 'p'}, path), el('span', {class: 's'}, op.summary || '')), body);
}
const root = document.getElementById('app');
root.append(el('input', {id: 'filter', type: 'search', placeholder: 'Filter routes', 'aria-label': 'Filter routes'}));
root.append(el('h2', {}, 'Routes'));
for (const [path, item] of Object.entries(spec.paths || {}))
  for (const method of ['get', 'post', 'put', 'patch', 'delete']) if (item[method]) root.append(operation(path, method, item[method]));
const schemas = (spec.components && spec.components.schemas) || {};
if (Object.keys(schemas).length) { root.append(el('h2', {}, 'Schemas'));
  for (const [name, s] of Object.entries(schemas)) root.append(el('details', {id: 'schema-' + name, 'data-search': name.toLowerCase()},
    el('summary', {}, el('span', {class: 't'}, name)), el('div', {class: 'body'}, schemaTree(s, 0)))); }
document.getElementById('filter').addEventListener('input', (e) => { const q = e.target.value.toLowerCase();
  for (const d of document.querySelectorAll('details[data-search]')) d.classList.toggle('hidden', !d.dataset.search.includes(q)); });
addEventListener('hashchange', () => { const t = document.getElementById(location.hash.slice(1)); if (t && t.tagName === 'DETAILS') t.open = true; });
})();`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

let scriptHash: Promise<string> | undefined;

/** The CSP source of the renderer (its SHA-256), computed once. */
function rendererHash(): Promise<string> {
  scriptHash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(RENDERER)).then((digest) => {
    let binary = '';
    for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
    return `'sha256-${btoa(binary)}'`;
  });
  return scriptHash;
}

/** The headers of the docs page: HTML, and a policy that allows the inline renderer and no network at all. */
export async function docsPageHeaders(): Promise<Record<string, string>> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; script-src ${await rendererHash()}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

/** A self-contained HTML reference of an OpenAPI document. */
export function renderDocsPage(doc: {
  info?: { title?: string; version?: string; description?: string };
}): string {
  const title = `${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}`.trim();
  // Inside a <script> element only "</" could end it early; \u003c keeps the JSON intact and inert.
  const json = JSON.stringify(doc).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(doc.info?.description ?? '')} · OpenAPI document: <code>openapi.json</code> (needs a token)</p></header>
<main id="app"><noscript>This reference renders with JavaScript; the raw document is openapi.json.</noscript></main>
<script type="application/json" id="openapi">${json}</script>
<script>${RENDERER}</script></body></html>`;
}
