// Evaluation data for the local models: the AG News sample in ../shared/data and the labelled review sentences
// that the npm `sentiment` package ships in its tarball (test/fixtures: UCI "Sentiment Labelled Sentences",
// Amazon and IMDB, 1,000 each).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Category } from '../shared/ai/types.ts';

export interface NewsItem {
  label: number;
  title: string;
  description: string;
}

/** The four AG News classes, described in one line each (written by hand, not mined from the data). */
export const AG_CATEGORIES: Category[] = [
  {
    name: 'World',
    description:
      'World news: international affairs, politics, governments, presidents, elections, war, military, terrorism, diplomacy and disasters around the world',
  },
  {
    name: 'Sports',
    description:
      'Sports: games, matches, teams, players, coaches, leagues, tournaments, championships, the Olympics and scores',
  },
  {
    name: 'Business',
    description:
      'Business: companies, markets, stocks, the economy, trade, earnings, prices, finance, banks, mergers and industry',
  },
  {
    name: 'Sci/Tech',
    description:
      'Science and technology: computers, software, the internet, telecoms, space, research, scientists, health, gadgets and tech companies',
  },
];

const dataDir = new URL('../../shared/data/', import.meta.url);

function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  const pattern = /"((?:[^"]|"")*)"(?:,|$)/g;
  for (const m of line.matchAll(pattern)) fields.push(m[1]!.replaceAll('""', '"'));
  return fields;
}

/** The 581-row AG News sample. A backslash marks a line break in the source ("other\name" is "other name"). */
export function loadAgNews(): NewsItem[] {
  const text = readFileSync(new URL('ag_news_train_sample.csv', dataDir), 'utf8');
  const joinLines = (s: string) => s.replace(/\\+/g, ' ');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [label, title, description] = parseCsvLine(line);
      return { label: Number(label) - 1, title: joinLines(title!), description: joinLines(description!) };
    });
}

/** A news item as one text: the headline on its own line, then the description. */
export function newsText(item: NewsItem): string {
  return `${item.title}\n${item.description}`;
}

export interface LabelledSentence {
  text: string;
  positive: boolean;
  source: string;
}

/** Labelled sentences from the `sentiment` package's published test fixtures. */
export function loadSentimentFixtures(): LabelledSentence[] {
  const require = createRequire(import.meta.url);
  return ['amazon', 'imdb'].flatMap((source) => {
    const rows = JSON.parse(readFileSync(require.resolve(`sentiment/test/fixtures/${source}.json`), 'utf8'));
    return (rows as { text: string; class: number }[]).map((r) => ({
      text: r.text.trim(),
      positive: r.class === 1,
      source,
    }));
  });
}

export interface LabelledDocument {
  text: string;
  positive: boolean;
  source: string;
  /** Sentences of the document's own polarity / of the other polarity. */
  majority: number;
  minority: number;
}

/** mulberry32: a small seeded PRNG, so that the generated documents are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Review-length documents built from the labelled sentences of the `sentiment` package's fixtures (Amazon, IMDB
 * and Yelp, 3,000 sentences): each document takes 6 to 16 sentences of one source, 60-90% of them of the
 * document's polarity and the rest of the other (real reviews concede points), shuffled into paragraphs of 2 to
 * 5 sentences. Sentences are split between `dev` (even index in their fixture) and `test` (odd index), so no
 * sentence of a test document was seen while tuning on dev documents. `balanced` documents have equal numbers
 * of positive and negative sentences: Comprehend's MIXED.
 */
export function loadLongDocuments(split: 'dev' | 'test', kind: 'clear' | 'balanced' = 'clear', count = 400) {
  const require = createRequire(import.meta.url);
  const pools = ['amazon', 'imdb', 'yelp'].map((source) => {
    const rows = JSON.parse(
      readFileSync(require.resolve(`sentiment/test/fixtures/${source}.json`), 'utf8'),
    ) as {
      text: string;
      class: number;
    }[];
    const mine = rows.filter((_, i) => i % 2 === (split === 'dev' ? 0 : 1));
    return {
      source,
      positive: mine.filter((r) => r.class === 1).map((r) => r.text.trim()),
      negative: mine.filter((r) => r.class === 0).map((r) => r.text.trim()),
    };
  });
  const random = seeded((split === 'dev' ? 19 : 1919) + (kind === 'balanced' ? 7 : 0));
  const pick = <T>(list: T[], n: number) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  };
  const documents: LabelledDocument[] = [];
  for (let d = 0; d < count; d++) {
    const pool = pools[d % pools.length]!;
    const positive = d % 2 === 0;
    const length = 6 + Math.floor(random() * 11);
    const majority =
      kind === 'balanced' ? length / 2 : Math.max(Math.ceil(length * (0.6 + 0.3 * random())), length / 2 + 1);
    const own = Math.round(majority);
    const other = length - own;
    const chosen = pick(
      [
        ...pick(positive ? pool.positive : pool.negative, own),
        ...pick(positive ? pool.negative : pool.positive, other),
      ],
      length,
    );
    const paragraphs: string[] = [];
    for (let i = 0; i < chosen.length; ) {
      const size = 2 + Math.floor(random() * 4);
      paragraphs.push(chosen.slice(i, i + size).join(' '));
      i += size;
    }
    documents.push({
      text: paragraphs.join('\n\n'),
      positive,
      source: pool.source,
      majority: own,
      minority: other,
    });
  }
  return documents;
}

export interface AnnotatedText {
  split: 'dev' | 'test';
  text: string;
  /** Mentions in order of appearance: surface text and type. */
  entities: [string, string][];
}

/** Our own annotated entity set (scripts/data/entities-annotated.jsonl): meeting lines, emails and news. */
export function loadAnnotatedEntities(split: 'dev' | 'test'): AnnotatedText[] {
  return readFileSync(new URL('data/entities-annotated.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AnnotatedText)
    .filter((row) => row.split === split);
}
