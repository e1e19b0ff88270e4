// The `rules` stage: deterministic keyword and regex matching on the categories' keywords, no provider call.
import type { ClassificationCategory } from './definition.ts';
import { assertPatterns, type KeywordMatcher, keywordMatcher } from './patterns.ts';
import type { Classification } from './types.ts';

/** Occurrences of one keyword beyond this add nothing: a word repeated is not more evidence. */
const MAX_HITS_PER_KEYWORD = 3;

type Compiled = { name: string; matchers: KeywordMatcher[] }[];
const compiled = new WeakMap<ClassificationCategory[], Compiled>();

function compile(categories: ClassificationCategory[]): Compiled {
  let found = compiled.get(categories);
  if (!found) {
    // Checked here as well as at save: categories loaded from a table may have been written by other means.
    assertPatterns(categories.flatMap((category) => category.keywords ?? []));
    found = categories.map((category) => ({
      name: category.name,
      matchers: (category.keywords ?? []).map(keywordMatcher),
    }));
    compiled.set(categories, found);
  }
  return found;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** How long matching may hold the event loop before it lets other requests and jobs run. */
const SLICE_MS = 10;
const yieldToOthers = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Scores every category by its keyword hits. A category's confidence is its share of all hits times the
 * strength of its own evidence (1 - 2^-hits): one lone hit gives 0.5, three give 0.875, and hits for other
 * categories pull it down. Undefined when no keyword matched at all (the stage has no opinion). Matching is
 * linear in the text, and between keywords it yields so a long text never stalls other users' requests.
 */
export async function classifyByRules(
  text: string,
  categories: ClassificationCategory[],
): Promise<Classification | undefined> {
  const hits: { name: string; hits: number }[] = [];
  let sliceStarted = performance.now();
  for (const { name, matchers } of compile(categories)) {
    let sum = 0;
    for (const matcher of matchers) {
      sum += matcher.count(text, MAX_HITS_PER_KEYWORD);
      if (performance.now() - sliceStarted > SLICE_MS) {
        await yieldToOthers();
        sliceStarted = performance.now();
      }
    }
    hits.push({ name, hits: sum });
  }
  const total = hits.reduce((sum, entry) => sum + entry.hits, 0);
  if (total === 0) return undefined;
  const ranked = hits
    .map(({ name, hits: own }) => ({ category: name, confidence: round((own / total) * (1 - 2 ** -own)) }))
    .sort((a, b) => b.confidence - a.confidence);
  const [best, ...rest] = ranked;
  return { ...best!, alternatives: rest };
}
