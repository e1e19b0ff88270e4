// Decodes the offline model (built by scripts/build-local-model.ts) into typed arrays, once per process.
// The data is a JSON module so that Node, Deno and bundlers load it alike, without file-system access.
import raw from './data/local-model.json' with { type: 'json' };

export interface LocalModelData {
  dims: number;
  /** Vocabulary in the embeddings' frequency order. */
  words: string[];
  index: Map<string, number>;
  /** Frequency rank of each word in the source vocabulary (rarer words carry more topic). */
  ranks: Uint32Array;
  /** Quantised unit vectors, `dims` per word; cosine = dot * step² (norms are ~1 after quantisation). */
  vectors: Int8Array;
  /** 1 / quantised norm of each word's vector. */
  inverseNorms: Float32Array;
  /** Valence induced from the vectors for every vocabulary word (about -3..3). */
  valence: Float32Array;
  /** AFINN-165 over Hu & Liu opinion words (about -4..4), including a few multi-word phrases. */
  lexicon: Map<string, number>;
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decode(): LocalModelData {
  const dims = raw.dims;
  const words = raw.words.split('\n');
  const packed = base64Bytes(raw.vectors);
  const vectors = new Int8Array(words.length * dims);
  for (let i = 0; i < vectors.length; i++) {
    const byte = packed[i >> 1]!;
    vectors[i] = (i % 2 === 0 ? byte & 15 : byte >> 4) - 8;
  }
  const inverseNorms = new Float32Array(words.length);
  for (let w = 0; w < words.length; w++) {
    let sum = 0;
    for (let d = w * dims; d < (w + 1) * dims; d++) sum += vectors[d]! * vectors[d]!;
    inverseNorms[w] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  }
  const rankBytes = base64Bytes(raw.ranks);
  const valenceBytes = base64Bytes(raw.valence);
  const valence = new Float32Array(words.length);
  const signed = new Int8Array(valenceBytes.buffer, valenceBytes.byteOffset, valenceBytes.length);
  for (let i = 0; i < words.length; i++) valence[i] = signed[i]! / raw.valenceScale;
  const lexicon = new Map<string, number>();
  for (const line of raw.lexicon.split('\n')) {
    const tab = line.indexOf('\t');
    lexicon.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return {
    dims,
    words,
    index: new Map(words.map((w, i) => [w, i])),
    ranks: new Uint32Array(rankBytes.buffer, rankBytes.byteOffset, words.length),
    vectors,
    inverseNorms,
    valence,
    lexicon,
  };
}

let cached: LocalModelData | undefined;

/** The decoded offline model (decoded on first use, then shared). */
export function localModelData(): LocalModelData {
  cached ??= decode();
  return cached;
}
