// Bump when prompts or output schemas change, so answers to the old prompts are not served for the new ones.
const PROMPT_VERSION = 2;

/** JSON with object keys sorted at every depth, so equal inputs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The result cache's key: SHA-256 (hex) of the operation, provider, model, prompt version and input. */
export async function cacheKey(parts: {
  operation: string;
  provider: string;
  model: string;
  input: unknown;
}): Promise<string> {
  const text = canonicalJson({ v: PROMPT_VERSION, ...parts });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
