// Lexicon sentiment with rules for negation, intensifiers, "too", contrast ("but") and exclamation, scored per
// sentence. Words missing from the lexicon contribute a weak valence induced from their word vectors, which is
// what lets "the battery died after a week" read as negative without a lexicon hit.
import type { SentenceSentiment, SentimentResult, SentimentScores } from '../types.ts';
import type { LocalModelData } from './model-data.ts';
import { sentences, type Token, tokenize } from './tokenize.ts';
import { wordId } from './vectors.ts';

const INDUCED_WEIGHT = 0.2;
/** VADER's normalisation constant: score = raw / sqrt(raw² + α). */
const ALPHA = 15;
const NEGATED_POSITIVE = -0.74;
const NEGATION_WINDOW = 3;
const NEUTRAL_BAND = 0.05;
/** A sentence without lexicon words needs this much induced evidence to count as polar. */
const INDUCED_NEUTRAL_BAND = 0.15;
/**
 * Document level (fitted on the dev split of the long-document set, scripts/eval-data.ts): negative sentences
 * weigh this much more than positive ones (the lexicon reads complaints without opinion words too mildly)...
 */
const NEGATIVE_WEIGHT = 1.5;
/** ...a document is mixed when its balance (P − N) / (P + N) is within this of 0... */
const MIXED_BAND = 0.1;
/** ...and each side carries at least this much sentence score (about two clearly polar sentences). */
const MIXED_STRONG = 0.5;
/** Polar evidence at which positive/negative/mixed together outweigh neutral. */
const NEUTRAL_EVIDENCE = 0.03;
/** A document's `score` is (P − N) / (P + N + this): it approaches ±1 only with much one-sided evidence. */
const SCORE_DAMPING = 0.3;

const NEGATORS = new Set(
  'not no never without hardly nothing neither nor none cannot nobody nowhere barely lack lacks lacking'.split(
    ' ',
  ),
);
const INTENSIFIERS: Record<string, number> = {
  very: 0.3,
  really: 0.3,
  extremely: 0.4,
  so: 0.2,
  absolutely: 0.4,
  totally: 0.3,
  completely: 0.3,
  highly: 0.3,
  most: 0.2,
  quite: 0.1,
  incredibly: 0.4,
  truly: 0.3,
  super: 0.3,
  slightly: -0.3,
  somewhat: -0.3,
  fairly: -0.2,
};
const CONTRAST = new Set(['but', 'however', 'although', 'though']);
// Words too grammatical to carry an induced polarity.
const FUNCTION_WORDS = new Set(
  "a an the and or of to in on for with by at from as is are was were be been it this that i you he she we they my your his her its our their me him them us i'm it's too".split(
    ' ',
  ),
);

const isNegator = (word: string) => NEGATORS.has(word) || word.endsWith("n't");

interface Scored {
  raw: number;
  lexiconHits: number;
}

function tokenValence(data: LocalModelData, tokens: Token[], k: number): { value: number; span: number } {
  for (const span of [3, 2]) {
    if (k + span > tokens.length) continue;
    const phrase = tokens
      .slice(k, k + span)
      .map((t) => t.word)
      .join(' ');
    const value = data.lexicon.get(phrase);
    if (value !== undefined) return { value, span };
  }
  const word = tokens[k]!.word;
  const value = data.lexicon.get(word);
  if (value !== undefined) return { value, span: 1 };
  if (FUNCTION_WORDS.has(word) || isNegator(word) || word in INTENSIFIERS || CONTRAST.has(word)) {
    return { value: 0, span: 1 };
  }
  const id = wordId(data, word);
  return { value: id >= 0 ? Number.NaN : 0, span: 1 };
}

function scoreTokens(data: LocalModelData, tokens: Token[]): Scored {
  const values: number[] = [];
  let lexiconHits = 0;
  let contrastAt = -1;
  for (let k = 0; k < tokens.length; ) {
    const word = tokens[k]!.word;
    if (CONTRAST.has(word)) contrastAt = k;
    let { value, span } = tokenValence(data, tokens, k);
    if (Number.isNaN(value)) value = INDUCED_WEIGHT * data.valence[wordId(data, word)]!;
    else if (value !== 0) lexiconHits++;
    if (value !== 0) {
      const before = tokens[k - 1]?.word ?? '';
      value *= 1 + (INTENSIFIERS[before] ?? 0);
      const negated = tokens.slice(Math.max(0, k - NEGATION_WINDOW), k).some((t) => isNegator(t.word));
      // "not good" turns negative; "not bad" is at best faint praise, so a negated negative goes neutral.
      if (negated) value = value > 0 ? value * NEGATED_POSITIVE : 0;
      else if (before === 'too' && value > 0) value *= -0.5;
    }
    values[k] = value;
    k += span;
  }
  let raw = 0;
  values.forEach((v, k) => {
    raw += contrastAt < 0 ? v : v * (k < contrastAt ? 0.5 : 1.5);
  });
  const exclamations = Math.min(4, tokens.filter((t) => t.word === '!').length);
  if (raw !== 0) raw += Math.sign(raw) * exclamations * 0.29;
  return { raw, lexiconHits };
}

const normalise = (raw: number) => raw / Math.sqrt(raw * raw + ALPHA);

function sentenceLabel(score: number, lexiconHits: number): SentenceSentiment['label'] {
  const band = lexiconHits > 0 ? NEUTRAL_BAND : INDUCED_NEUTRAL_BAND;
  if (score >= band) return 'positive';
  if (score <= -band) return 'negative';
  return 'neutral';
}

/**
 * The four document scores (summing to 1) from the positive and negative sentence mass, Comprehend-style:
 * mixed only when both sides are strong and comparable, neutral when no sentence is polar.
 */
function documentScores(
  positiveMass: number,
  negativeMass: number,
  anyPolarSentence: boolean,
): SentimentScores {
  const evidence = positiveMass + negativeMass;
  const balance = evidence > 0 ? (positiveMass - negativeMass) / evidence : 0;
  let strength = evidence / (evidence + NEUTRAL_EVIDENCE);
  if (!anyPolarSentence) strength = Math.min(strength, 0.4);
  const bothStrong = Math.min(1, Math.min(positiveMass, negativeMass) / MIXED_STRONG);
  // 2/3 at balance 0, 1/3 at ±MIXED_BAND: mixed wins the argmax about where |balance| < MIXED_BAND.
  const mixedness = bothStrong * (2 / 3) * 2 ** -((balance / MIXED_BAND) ** 2);
  return {
    positive: (strength * (1 - mixedness) * (1 + balance)) / 2,
    negative: (strength * (1 - mixedness) * (1 - balance)) / 2,
    neutral: 1 - strength,
    mixed: strength * mixedness,
  };
}

/** The label with the highest score. */
export function labelOf(scores: SentimentScores): SentimentResult['label'] {
  const order = ['positive', 'negative', 'mixed', 'neutral'] as const;
  return order.reduce((best, label) => (scores[label] > scores[best] ? label : best), order[0]);
}

/** One sentence's (or clause's) score in [-1, 1] and label. */
export function scoreSentence(
  data: LocalModelData,
  text: string,
): Pick<SentenceSentiment, 'label' | 'score'> {
  const { raw, lexiconHits } = scoreTokens(data, tokenize(text));
  const score = normalise(raw);
  return { label: sentenceLabel(score, lexiconHits), score };
}

/**
 * The document rule over scored sentences (a document's, a speaker's): the label from the mass of positive and
 * (weighted) negative sentences, so that a long text with a few conceded points still picks its side; one
 * sentence's score is its own.
 */
export function aggregate(
  scored: readonly Pick<SentenceSentiment, 'label' | 'score'>[],
): Pick<SentimentResult, 'label' | 'score' | 'scores'> {
  let positiveMass = 0;
  let negativeMass = 0;
  for (const { score } of scored) {
    if (score > 0) positiveMass += score;
    else negativeMass -= NEGATIVE_WEIGHT * score;
  }
  const scores = documentScores(
    positiveMass,
    negativeMass,
    scored.some((s) => s.label !== 'neutral'),
  );
  const score =
    scored.length === 1
      ? scored[0]!.score
      : (positiveMass - negativeMass) / (positiveMass + negativeMass + SCORE_DAMPING);
  return { label: labelOf(scores), score, scores };
}

/** Document and per-sentence sentiment (the document rule of `aggregate`). */
export function analyseSentiment(data: LocalModelData, text: string): SentimentResult {
  const scored = sentences(text).map((span) => ({ ...span, ...scoreSentence(data, span.text) }));
  return { ...aggregate(scored), sentences: scored };
}
