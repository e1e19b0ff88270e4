// The `rules` stage: deterministic keyword and regex matching on the categories' keywords, no provider call.
import type { ClassificationCategory } from './definition.ts';
import { countMatches, keywordMatcher } from './patterns.ts';
import type { Classification } from './types.ts';

/** Occurrences of one keyword beyond this add nothing: a word repeated is not more evidence. */
const MAX_HITS_PER_KEYWORD = 3;

type Compiled = { name: string; matchers: RegExp[] }[];
const compiled = new WeakMap<ClassificationCategory[], Compiled>();

function compile(categories: ClassificationCategory[]): Compiled {
  let found = compiled.get(categories);
  if (!found) {
    found = categories.map((category) => ({
      name: category.name,
      matchers: (category.keywords ?? []).map(keywordMatcher),
    }));
    compiled.set(categories, found);
  }
  return found;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Scores every category by its keyword hits. A category's confidence is its share of all hits times the
 * strength of its own evidence (1 - 2^-hits): one lone hit gives 0.5, three give 0.875, and hits for other
 * categories pull it down. Undefined when no keyword matched at all (the stage has no opinion).
 */
export function classifyByRules(
  text: string,
  categories: ClassificationCategory[],
): Classification | undefined {
  const hits = compile(categories).map(({ name, matchers }) => ({
    name,
    hits: matchers.reduce((sum, matcher) => sum + countMatches(matcher, text, MAX_HITS_PER_KEYWORD), 0),
  }));
  const total = hits.reduce((sum, entry) => sum + entry.hits, 0);
  if (total === 0) return undefined;
  const ranked = hits
    .map(({ name, hits: own }) => ({ category: name, confidence: round((own / total) * (1 - 2 ** -own)) }))
    .sort((a, b) => b.confidence - a.confidence);
  const [best, ...rest] = ranked;
  return { ...best!, alternatives: rest };
}
