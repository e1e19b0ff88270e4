import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { holdsUnstorableText } from '../../shared/http/body-limit.ts';
import { docsPageHeaders, renderDocsPage } from '../../shared/http/docs-page.ts';

describe('the API reference page', () => {
  const doc = {
    openapi: '3.1.0',
    info: { title: 'ai <function>', version: '1' },
    paths: { '/x': { get: { summary: '</script><script>alert(1)</script>', responses: {} } } },
  };

  it('inlines the document so that no text in it can end the script or become markup', () => {
    const html = renderDocsPage(doc);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('<title>ai &#60;function&#62; 1</title>');
    const json = html.match(/<script type="application\/json" id="openapi">([\s\S]*?)<\/script>/)![1]!;
    expect(JSON.parse(json)).toEqual(doc);
  });

  it('loads nothing from the network and allows only its own inline renderer', async () => {
    const html = renderDocsPage(doc);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    const renderer = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    expect(() => new Function(renderer)).not.toThrow();
    const csp = (await docsPageHeaders())['Content-Security-Policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`'sha256-${createHash('sha256').update(renderer).digest('base64')}'`);
    expect(csp).not.toMatch(/https?:|unsafe-eval|script-src[^;]*unsafe-inline/);
  });
});

describe('text Postgres cannot store', () => {
  it('finds NUL characters and unpaired surrogates anywhere in a JSON value, keys included', () => {
    expect(holdsUnstorableText({ a: ['ok', { b: 'x\u0000y' }] })).toBe(true);
    expect(holdsUnstorableText({ '\ud800': 1 })).toBe(true);
    expect(holdsUnstorableText(['\udc00 alone'])).toBe(true);
    expect(holdsUnstorableText({ emoji: '👩‍👩‍👧', text: 'naïve', n: 1, z: null })).toBe(false);
  });
});
