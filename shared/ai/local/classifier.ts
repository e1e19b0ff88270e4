// Zero-shot classification with word vectors. Each category's name, description and keywords become seed
// words; every content word of the document votes for the categories whose seeds it is closest to (mean of
// its three best seed similarities, softmax across categories), weighted by rarity and by a headline boost.
// Examples, when given, add a small bonus for the nearest example (compared away from the examples' mean).
import type { Category, ClassifyResult } from '../types.ts';
import { softmax } from './calibration.ts';
import type { LocalModelData } from './model-data.ts';
import { STOPWORDS } from './stopwords.ts';
import { tokenize } from './tokenize.ts';
import { cosine, rarity, wordId } from './vectors.ts';

/** Sharpness of a word's vote across categories (applied to cosine similarities). */
const WORD_SHARPNESS = 5;
/** Seeds averaged per category: one seed alone is noisy, all of them blur the category. */
const TOP_SEEDS = 3;
/** A first line followed by more text is a headline and weighs this much more. */
const HEADLINE_WEIGHT = 2;
/** Weight of the example-similarity term against the word votes. */
const EXAMPLE_WEIGHT = 0.05;

export interface Terms {
  ids: number[];
  weights: number[];
}

interface CategoryModel {
  names: string[];
  seeds: number[][];
  examples: Float32Array[][];
  votes: Map<number, Float32Array>;
}

/** Content words of a text with their weights; a leading headline line counts double. */
export function contentTerms(data: LocalModelData, text: string): Terms {
  const newline = text.indexOf('\n');
  const headlineEnd = newline > 0 && newline < 300 && text.slice(newline).trim() ? newline : -1;
  const ids: number[] = [];
  const weights: number[] = [];
  for (const token of tokenize(text)) {
    if (token.word.length < 2 || STOPWORDS.has(token.word)) continue;
    const id = wordId(data, token.word);
    if (id < 0) continue;
    ids.push(id);
    weights.push(rarity(data, id) * (token.start < headlineEnd ? HEADLINE_WEIGHT : 1));
  }
  return { ids, weights };
}

function seedIds(data: LocalModelData, texts: string[]): number[] {
  const ids = new Set<number>();
  for (const text of texts) {
    for (const token of tokenize(text.replaceAll('/', ' '))) {
      const id = STOPWORDS.has(token.word) ? -1 : wordId(data, token.word);
      if (id >= 0) ids.add(id);
    }
  }
  return [...ids];
}

/** Weighted mean of the terms' unit vectors, scaled to unit length (all zeros for no terms). */
export function centroid(data: LocalModelData, terms: Terms): Float32Array {
  const sum = new Float32Array(data.dims);
  terms.ids.forEach((id, k) => {
    const scale = terms.weights[k]! * data.inverseNorms[id]!;
    for (let d = 0; d < data.dims; d++) sum[d]! += data.vectors[id * data.dims + d]! * scale;
  });
  const norm = Math.hypot(...sum) || 1;
  return sum.map((x) => x / norm);
}

function buildModel(data: LocalModelData, categories: Category[]): CategoryModel {
  return {
    names: categories.map((c) => c.name),
    seeds: categories.map((c) => seedIds(data, [c.name, c.description ?? '', ...(c.keywords ?? [])])),
    examples: categories.map((c) => (c.examples ?? []).map((e) => centroid(data, contentTerms(data, e)))),
    votes: new Map(),
  };
}

function wordVotes(data: LocalModelData, model: CategoryModel, id: number): Float32Array {
  const cached = model.votes.get(id);
  if (cached) return cached;
  const similarity = model.seeds.map((seeds) => {
    if (seeds.length === 0) return 0;
    const sims = seeds.map((s) => cosine(data, id, s)).sort((a, b) => b - a);
    const top = sims.slice(0, TOP_SEEDS);
    return top.reduce((a, b) => a + b, 0) / top.length;
  });
  const probabilities = softmax(similarity.map((s) => s * WORD_SHARPNESS));
  const votes = new Float32Array(probabilities.map((p) => p - 1 / probabilities.length));
  if (model.votes.size > 200_000) model.votes.clear();
  model.votes.set(id, votes);
  return votes;
}

function exampleScores(data: LocalModelData, model: CategoryModel, terms: Terms): number[] {
  if (model.examples.every((list) => list.length === 0)) return model.names.map(() => 0);
  // Compare directions away from the examples' mean, so what every example shares (the genre) cancels out.
  const all = model.examples.flat();
  const mean = new Float32Array(data.dims);
  for (const e of all) for (let d = 0; d < data.dims; d++) mean[d]! += e[d]! / all.length;
  const doc = centroid(data, terms);
  const centred = (v: Float32Array) => {
    const c = v.map((x, d) => x - mean[d]!);
    const norm = Math.hypot(...c) || 1;
    return c.map((x) => x / norm);
  };
  const query = centred(doc);
  const best = model.examples.map((list) =>
    list.length
      ? Math.max(...list.map((e) => centred(e).reduce((sum, x, d) => sum + x * query[d]!, 0)))
      : Number.NaN,
  );
  const known = best.filter((b) => !Number.isNaN(b));
  const avg = known.reduce((a, b) => a + b, 0) / known.length;
  return best.map((b) => (Number.isNaN(b) ? 0 : b - avg));
}

/** Raw category scores (mean vote, about -0.25..0.75 for four categories) and the words behind each. */
function categoryScores(data: LocalModelData, model: CategoryModel, text: string) {
  const terms = contentTerms(data, text);
  const scores = model.names.map(() => 0);
  const cues = model.names.map(() => new Map<number, number>());
  let total = 0;
  terms.ids.forEach((id, k) => {
    const weight = terms.weights[k]!;
    const votes = wordVotes(data, model, id);
    total += weight;
    votes.forEach((v, c) => {
      scores[c]! += weight * v;
      if (v > 0) cues[c]!.set(id, (cues[c]!.get(id) ?? 0) + weight * v);
    });
  });
  const examples = exampleScores(data, model, terms);
  return {
    scores: scores.map((s, c) => (total > 0 ? s / total : 0) + EXAMPLE_WEIGHT * examples[c]!),
    cues,
    words: terms.ids.length,
  };
}

/**
 * A classifier over the given model data, caching each category set's seed model. Word votes shrink as
 * 1/(number of categories), so confidences are softmax(scores × count / temperature): one temperature fits any
 * number of categories.
 */
export function createClassifier(data: LocalModelData, temperature: number) {
  const models = new Map<string, CategoryModel>();
  const modelFor = (categories: Category[]) => {
    const key = JSON.stringify(categories);
    let model = models.get(key);
    if (!model) {
      if (models.size >= 32) models.delete(models.keys().next().value!);
      model = buildModel(data, categories);
      models.set(key, model);
    }
    return model;
  };

  /** Raw scores, one per category in the given order (before count scaling and temperature). */
  const scores = (text: string, categories: Category[]) =>
    categoryScores(data, modelFor(categories), text).scores;

  const classify = (text: string, categories: Category[]): ClassifyResult => {
    if (categories.length === 0) throw new Error('classify needs at least one category');
    const model = modelFor(categories);
    const { scores, cues, words } = categoryScores(data, model, text);
    const confidences = softmax(scores.map((s) => (s * scores.length) / temperature));
    const ranked = model.names
      .map((category, c) => ({ category, confidence: confidences[c]! }))
      .sort((a, b) => b.confidence - a.confidence);
    const [best, ...alternatives] = ranked;
    const winner = model.names.indexOf(best!.category);
    const topCues = [...cues[winner]!]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([id]) => data.words[id]);
    const reasoning =
      words === 0
        ? 'No known content words; confidences are uniform.'
        : `Closest to "${best!.category}" through: ${topCues.join(', ') || 'weak evidence only'} (${words} content words).`;
    return { category: best!.category, confidence: best!.confidence, alternatives, reasoning };
  };
  return { classify, scores };
}
