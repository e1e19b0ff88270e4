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
