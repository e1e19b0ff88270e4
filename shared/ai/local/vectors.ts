// Word lookup and cosine similarity over the quantised word vectors.
import type { LocalModelData } from './model-data.ts';

/** Vocabulary id of a lower-cased token, trying the forms the embeddings' tokenizer would have produced. */
export function wordId(data: LocalModelData, word: string): number {
  const direct = data.index.get(word);
  if (direct !== undefined) return direct;
  if (word.endsWith("'s")) return data.index.get(word.slice(0, -2)) ?? -1;
  if (word.includes('.')) return data.index.get(word.replaceAll('.', '')) ?? -1;
  return -1;
}

/** Cosine similarity of two vocabulary words. */
export function cosine(data: LocalModelData, a: number, b: number): number {
  const { vectors, dims } = data;
  let dot = 0;
  for (let i = a * dims, j = b * dims, end = i + dims; i < end; i++, j++) dot += vectors[i]! * vectors[j]!;
  return dot * data.inverseNorms[a]! * data.inverseNorms[b]!;
}

/**
 * Topic weight of a content word: the log of its frequency rank (an inverse-document-frequency stand-in),
 * at least 1 so that frequent topical words ("company", "team") still count.
 */
export function rarity(data: LocalModelData, id: number): number {
  return Math.max(1, Math.log1p(data.ranks[id]! / 300));
}
