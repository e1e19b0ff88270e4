import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedImportMap, functionNames } from '../../scripts/sync-deno-imports.ts';

describe('Deno import maps', () => {
  it('has the five functions, one per domain', () => {
    expect(functionNames()).toEqual(['ai', 'bots', 'classification', 'jobs', 'workflows']);
  });

  it.each(functionNames())('keeps %s/deno.json on the versions package.json pins', (name) => {
    const file = new URL(`../../supabase/functions/${name}/deno.json`, import.meta.url);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(expectedImportMap());
  });
});
