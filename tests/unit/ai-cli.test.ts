import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { validAnswer } from '../support/openai-answers.ts';

const run = promisify(execFile);
const cli = new URL('../../scripts/cli.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ai-cli-'));
const docs = join(dir, 'docs.jsonl');
const categories = join(dir, 'categories.json');

writeFileSync(
  docs,
  [
    { id: 'a', text: 'Please refund the duplicate charge on my invoice.' },
    { id: 'b', text: 'The app crashes with an error when I log in.' },
    { id: 3, text: 'Thanks Dana from Acme, the call went great!' },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n'),
);
writeFileSync(
  categories,
  JSON.stringify([
    { name: 'billing', description: 'Payments and invoices', keywords: ['refund', 'invoice', 'charge'] },
    { name: 'technical', keywords: ['crash', 'error', 'bug'], examples: ['The page shows an error'] },
  ]),
);

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi(validAnswer);
});
afterAll(() => fake.stop());

async function runCli(args: string[], env: Record<string, string> = {}) {
  const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH, AI_PROVIDER: 'local', ...env },
    timeout: 60_000,
  });
  return {
    lines: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line)),
    stderr,
  };
}

describe('the command line', { timeout: 90_000 }, () => {
  it('classifies every document with the local models, one line per document in input order', async () => {
    const { lines, stderr } = await runCli(['classify', '--input', docs, '--categories', categories]);
    expect(lines.map((line) => line.id)).toEqual(['a', 'b', 3]);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['category', 'confidence', 'id']);
      expect(['billing', 'technical']).toContain(line.category);
      expect(line.confidence).toBeGreaterThanOrEqual(0);
    }
    // No progress bar when stderr is not a terminal.
    expect(stderr).toBe('');
  });

  it('rates sentiment as {id, label, score}', async () => {
    const { lines } = await runCli(['sentiment', '--input', docs]);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['id', 'label', 'score']);
      expect(line.score).toBeGreaterThanOrEqual(-1);
    }
  });

  it('extracts entities as {id, entities}', async () => {
    const { lines } = await runCli(['entities', '--input', docs]);
    expect(lines.map((line) => line.id)).toEqual(['a', 'b', 3]);
    for (const line of lines) expect(Array.isArray(line.entities)).toBe(true);
  });

  it('uses OpenAI (or a compatible server) with --provider openai, without a database', async () => {
    const { lines } = await runCli(
      ['classify', '--input', docs, '--categories', categories, '--provider', 'openai'],
      {
        OPENAI_API_KEY: fake.apiKey,
        OPENAI_BASE_URL: fake.baseUrl,
      },
    );
    expect(lines).toEqual([
      { id: 'a', category: 'billing', confidence: 0.9 },
      { id: 'b', category: 'billing', confidence: 0.9 },
      { id: 3, category: 'billing', confidence: 0.9 },
    ]);
    expect(fake.requests).toHaveLength(3);
  });

  it('exits 2 with a usage line when arguments are missing', async () => {
    const error = await run(process.execPath, [cli, 'classify', '--input', docs]).catch((e) => e);
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/usage/);
  });
});
