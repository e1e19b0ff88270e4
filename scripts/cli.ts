// `npm run --silent cli -- <classify|sentiment|entities> --input docs.jsonl [--categories categories.json]
// [--provider local|openai] [--concurrency N]`: runs the AI service over a JSON-lines file of {"id","text"} and
// writes one JSON line per document to stdout, in input order. No database: nothing is logged, cached or limited.
// A document that fails is reported on stderr (the exit code is then 1); a progress bar is drawn on stderr when
// it is a terminal. Provider settings come from the environment (AI_PROVIDER, OPENAI_*), as for the functions.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAiService } from '../shared/ai/ai-service.ts';
import { loadAiConfig } from '../shared/ai/config.ts';
import { createNullAiStore } from '../shared/ai/store.ts';
import { CategorySchema } from '../shared/ai/types.ts';
import { createLogger } from '../shared/http/logger.ts';

const USAGE = `usage: cli <classify|sentiment|entities> --input docs.jsonl [--categories categories.json]
           [--provider local|openai] [--concurrency N]`;

const DocumentSchema = z.object({ id: z.union([z.string(), z.number()]), text: z.string().min(1) });
type Document = z.infer<typeof DocumentSchema>;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function readDocuments(path: string): Document[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const documents: Document[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      fail(`${path}:${index + 1}: not JSON`);
    }
    const parsed = DocumentSchema.safeParse(json);
    if (!parsed.success) fail(`${path}:${index + 1}: expected {"id", "text"} with a non-empty text`);
    documents.push(parsed.data);
  });
  return documents;
}

function readCategories(path: string) {
  const parsed = z
    .array(CategorySchema)
    .min(1)
    .safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    fail(`${path}: expected a JSON array of {"name", "description"?, "keywords"?, "examples"?}`);
  return parsed.data;
}

function progress(done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    input: { type: 'string' },
    categories: { type: 'string' },
    provider: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const command = positionals[0];
if (!command || !['classify', 'sentiment', 'entities'].includes(command) || !values.input) fail(USAGE);
if (values.provider && !['local', 'openai'].includes(values.provider)) fail('--provider is local or openai');
const provider = values.provider as 'local' | 'openai' | undefined;
const categories = command === 'classify' ? readCategories(values.categories ?? fail(USAGE)) : [];
const documents = readDocuments(values.input);

let config: ReturnType<typeof loadAiConfig>;
try {
  config = loadAiConfig({ ...process.env, ...(provider ? { AI_PROVIDER: provider } : {}) });
} catch (error) {
  fail((error as Error).message);
}
const ai = createAiService({
  config,
  store: createNullAiStore(),
  logger: createLogger('error', {}, (line) => process.stderr.write(`${line}\n`)),
  // Imported only now: the model data is large, and a usage error should not wait for it.
  localModels: (await import('../shared/ai/local/index.ts')).createLocalModels(),
});

async function answer(document: Document): Promise<Record<string, unknown>> {
  const context = { userId: null, provider };
  if (command === 'classify') {
    const { result } = await ai.classify({ text: document.text, categories }, context);
    return { id: document.id, category: result.category, confidence: result.confidence };
  }
  if (command === 'sentiment') {
    const { result } = await ai.sentiment({ text: document.text }, context);
    return { id: document.id, label: result.label, score: result.score };
  }
  const { result } = await ai.entities({ text: document.text }, context);
  return { id: document.id, entities: result.entities };
}

// Answers run a few at a time against a remote provider; lines are still written in input order.
const concurrency = Number(
  values.concurrency ?? (ai.defaultProvider === 'openai' || provider === 'openai' ? 4 : 1),
);
const results: (string | undefined)[] = new Array(documents.length);
let written = 0;
let finished = 0;
let failures = 0;
let next = 0;

function flush() {
  while (written < documents.length && results[written] !== undefined) {
    if (results[written]) process.stdout.write(`${results[written]}\n`);
    written++;
  }
}

async function lane() {
  while (next < documents.length) {
    const index = next++;
    const document = documents[index]!;
    try {
      results[index] = JSON.stringify(await answer(document));
    } catch (error) {
      failures++;
      results[index] = '';
      process.stderr.write(`${JSON.stringify({ id: document.id, error: (error as Error).message })}\n`);
    }
    finished++;
    progress(finished, documents.length);
    flush();
  }
}

await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, 16)) }, lane));
process.exitCode = failures ? 1 : 0;
