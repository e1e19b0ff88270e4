// Evaluates the offline models: sentiment on the `sentiment` package's labelled review sentences and on
// review-length documents built from them (held-out split), zero-shot
// topic classification on the AG News sample, and the calibration (ECE, 10 bins) of both. Exits 1 when a
// threshold is missed. Run: node scripts/eval.ts
import {
  expectedCalibrationError,
  fitTemperature,
  type Prediction,
  softmax,
} from '../shared/ai/local/calibration.ts';
import { createLocalModels, DEFAULT_TEMPERATURE } from '../shared/ai/local/index.ts';
import { detectPii, PII_TYPES } from '../shared/ai/local/pii.ts';
import { transcriptOfText } from '../shared/ai/transcript.ts';
import type { Category } from '../shared/ai/types.ts';
import {
  AG_CATEGORIES,
  loadAgNews,
  loadAnnotatedEntities,
  loadAnnotatedTranscripts,
  loadLongDocuments,
  loadPiiSamples,
  loadSentimentFixtures,
  type NewsItem,
  newsText,
} from './eval-data.ts';

const THRESHOLDS = {
  sentimentAccuracy: 0.85,
  longDocumentAccuracy: 0.8,
  topicAccuracy: 0.8,
  topicEce: 0.1,
  piiRecall: { email: 0.95, phone: 0.95, card: 0.95 } as Record<string, number>,
};

/** The review sentences posed as a two-category zero-shot task: only used to fit the confidence temperature. */
const POLARITY_CATEGORIES: Category[] = [
  { name: 'positive', description: 'positive: praise, satisfaction, a good experience, recommended' },
  { name: 'negative', description: 'negative: complaints, problems, a bad experience, disappointment' },
];

const models = createLocalModels();
const failures: string[] = [];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const check = (name: string, ok: boolean) => {
  if (!ok) failures.push(name);
};

// --- Sentiment -------------------------------------------------------------------------------------------
const sentences = loadSentimentFixtures();
const bySource = new Map<string, { polar: number; label: number; n: number }>();
const sentimentPredictions: Prediction[] = [];
let polarCorrect = 0;
let labelCorrect = 0;
let neutral = 0;
for (const s of sentences) {
  const result = models.sentiment(s.text);
  const polar = s.positive ? result.score > 0 : result.score < 0;
  const label = result.label === (s.positive ? 'positive' : 'negative');
  const tally = bySource.get(s.source) ?? { polar: 0, label: 0, n: 0 };
  tally.n++;
  if (polar) tally.polar++;
  if (label) tally.label++;
  bySource.set(s.source, tally);
  if (polar) polarCorrect++;
  if (label) labelCorrect++;
  if (result.label === 'neutral') neutral++;
  sentimentPredictions.push({ confidence: (1 + Math.abs(result.score)) / 2, correct: polar });
}
const sentimentAccuracy = polarCorrect / sentences.length;
const sentimentEce = expectedCalibrationError(sentimentPredictions);
console.log(
  `Sentiment: ${sentences.length} labelled sentences (npm sentiment@5 test/fixtures, UCI Amazon + IMDB)`,
);
for (const [source, t] of bySource) {
  console.log(
    `  ${source.padEnd(8)} polarity accuracy ${pct(t.polar / t.n)}  label accuracy ${pct(t.label / t.n)}`,
  );
}
console.log(`  polarity accuracy (sign of score, 0 counts wrong): ${pct(sentimentAccuracy)}`);
console.log(
  `  label accuracy (neutral/mixed count wrong): ${pct(labelCorrect / sentences.length)}; neutral: ${neutral}`,
);
console.log(`  ECE of (1 + |score|) / 2 as P(polarity correct): ${sentimentEce.toFixed(3)}`);
check('sentiment accuracy', sentimentAccuracy >= THRESHOLDS.sentimentAccuracy);

// --- Long documents ----------------------------------------------------------------------------------------
// Tuned (negative weight, mixed band) on the dev split only; the test split's sentences are disjoint from it.
const longDocuments = (split: 'dev' | 'test') => {
  const labels = { positive: 0, negative: 0, neutral: 0, mixed: 0 };
  let correct = 0;
  let signCorrect = 0;
  const documents = loadLongDocuments(split);
  for (const d of documents) {
    const result = models.sentiment(d.text);
    labels[result.label]++;
    if (result.label === (d.positive ? 'positive' : 'negative')) correct++;
    if (d.positive ? result.score > 0 : result.score < 0) signCorrect++;
  }
  const balanced = { positive: 0, negative: 0, neutral: 0, mixed: 0 };
  const balancedDocuments = loadLongDocuments(split, 'balanced', 200);
  for (const d of balancedDocuments) balanced[models.sentiment(d.text).label]++;
  return {
    n: documents.length,
    accuracy: correct / documents.length,
    sign: signCorrect / documents.length,
    labels,
    balanced,
  };
};
const longDev = longDocuments('dev');
const longTest = longDocuments('test');
const sentencesPer = (docs: ReturnType<typeof loadLongDocuments>) =>
  (docs.reduce((sum, d) => sum + d.majority + d.minority, 0) / docs.length).toFixed(1);
console.log(
  `\nLong-document sentiment: documents of 6-16 review sentences (60-90% of one polarity) built from the sentiment package's Amazon/IMDB/Yelp fixtures; ${sentencesPer(loadLongDocuments('test'))} sentences each on average`,
);
for (const [name, r] of [
  ['dev (tuned on)', longDev],
  ['test (held out)', longTest],
] as const) {
  console.log(
    `  ${name.padEnd(16)} label accuracy ${pct(r.accuracy)}  sign of score ${pct(r.sign)}  (n=${r.n}; labels ${JSON.stringify(r.labels)})`,
  );
  console.log(`  ${''.padEnd(16)} balanced documents (half each side, n=200): ${JSON.stringify(r.balanced)}`);
}
check('long-document accuracy', longTest.accuracy >= THRESHOLDS.longDocumentAccuracy);

// --- Entities ------------------------------------------------------------------------------------------------
// Our own annotated set (scripts/data/entities-annotated.jsonl); rules and gazetteer choices were made on dev.
// A mention counts when its text and type both match a gold mention (each gold mention matches once).
const ENTITY_TYPES = ['person', 'organization', 'place', 'product'] as const;
const entityScores = (split: 'dev' | 'test') => {
  const tally = Object.fromEntries(ENTITY_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
  const rows = loadAnnotatedEntities(split);
  for (const row of rows) {
    const found = models
      .entities(row.text)
      .filter((e) => (ENTITY_TYPES as readonly string[]).includes(e.type))
      .map((e) => `${e.type}\t${e.text}`);
    for (const [text, type] of row.entities) {
      const at = found.indexOf(`${type}\t${text}`);
      if (at >= 0) {
        tally[type]!.tp++;
        found.splice(at, 1);
      } else tally[type]!.fn++;
    }
    for (const rest of found) tally[rest.split('\t')[0]!]!.fp++;
  }
  return { rows: rows.length, tally };
};
const ratio = (a: number, b: number) => (b ? pct(a / b) : 'n/a');
console.log('\nEntities: our own annotated set (meeting lines, emails, news), exact text and type');
for (const split of ['dev', 'test'] as const) {
  const { rows: n, tally } = entityScores(split);
  const all = Object.values(tally).reduce(
    (sum, t) => ({ tp: sum.tp + t.tp, fp: sum.fp + t.fp, fn: sum.fn + t.fn }),
    { tp: 0, fp: 0, fn: 0 },
  );
  console.log(`  ${split === 'dev' ? 'dev (tuned on)' : 'test (held out)'}, ${n} texts`);
  for (const [type, t] of [...Object.entries(tally), ['all', all] as const]) {
    console.log(
      `    ${type.padEnd(13)} precision ${ratio(t.tp, t.tp + t.fp).padStart(6)}  recall ${ratio(t.tp, t.tp + t.fn).padStart(6)}  (gold ${t.tp + t.fn})`,
    );
  }
}

// --- Per-speaker and targeted sentiment -------------------------------------------------------------------
// Our own annotated transcript snippets (scripts/data/targeted-annotated.jsonl). A speaker counts when their label
// matches; a target when an entity group of that name (ignoring case) was found, and correct when its label matches.
console.log('\nPer-speaker and targeted sentiment: our own annotated transcript snippets');
for (const split of ['dev', 'test'] as const) {
  const rows = loadAnnotatedTranscripts(split);
  let speakers = 0;
  let speakersRight = 0;
  let targets = 0;
  let targetsFound = 0;
  let targetsRight = 0;
  for (const row of rows) {
    const transcript = transcriptOfText(row.transcript, true)!;
    const result = models.targetedSentiment(transcript);
    for (const [speaker, label] of Object.entries(row.speakers)) {
      speakers++;
      if (result.speakers.find((s) => s.speaker === speaker)?.label === label) speakersRight++;
    }
    for (const [text, label] of row.targets) {
      targets++;
      const group = result.targets.find((t) => t.text.toLowerCase() === text.toLowerCase());
      if (!group) continue;
      targetsFound++;
      if (group.label === label) targetsRight++;
    }
  }
  console.log(
    `  ${(split === 'dev' ? 'dev (tuned on)' : 'test (held out)').padEnd(16)} ${rows.length} snippets: speakers ${ratio(speakersRight, speakers)} (n=${speakers}); targets found ${targetsFound}/${targets}, label right ${ratio(targetsRight, targetsFound)} of found (${ratio(targetsRight, targets)} of all)`,
  );
}

// --- PII -----------------------------------------------------------------------------------------------------
// A mention counts when its type and exact span match; decoys (no PII) measure false positives.
{
  const samples = loadPiiSamples();
  const tally = Object.fromEntries(PII_TYPES.map((t) => [t, { tp: 0, fn: 0, fp: 0 }]));
  let decoysFlagged = 0;
  const decoys = samples.filter((s) => s.pii.length === 0).length;
  for (const sample of samples) {
    const found = detectPii(sample.text).map((e) => `${e.type}\t${sample.text.slice(e.start, e.end)}`);
    if (sample.pii.length === 0 && found.length) decoysFlagged++;
    for (const { type, value } of sample.pii) {
      const at = found.indexOf(`${type}\t${value}`);
      if (at >= 0) {
        tally[type]!.tp++;
        found.splice(at, 1);
      } else tally[type]!.fn++;
    }
    for (const rest of found) tally[rest.split('\t')[0]!]!.fp++;
  }
  console.log(
    `\nPII: ${samples.length} synthetic sentences (${decoys} decoys without PII), exact span and type`,
  );
  for (const [type, t] of Object.entries(tally)) {
    const recall = t.tp / Math.max(1, t.tp + t.fn);
    console.log(
      `  ${type.padEnd(12)} recall ${pct(recall).padStart(6)}  precision ${ratio(t.tp, t.tp + t.fp).padStart(6)}  (n=${t.tp + t.fn})`,
    );
    const threshold = THRESHOLDS.piiRecall[type];
    if (threshold !== undefined) check(`PII recall ${type}`, recall >= threshold);
  }
  console.log(`  decoys with anything flagged: ${decoysFlagged}/${decoys}`);
}

// --- Temperature, fitted on the review sentences (not on AG News) -----------------------------------------
const polarityRows = sentences.map((s) => ({
  scores: models.scores(s.text, POLARITY_CATEGORIES).map((x) => x * POLARITY_CATEGORIES.length),
  truth: s.positive ? 0 : 1,
}));
const fittedTemperature = fitTemperature(polarityRows);
console.log(
  `\nTemperature fitted on the review sentences as a 2-way zero-shot task: ${fittedTemperature.toFixed(4)} (shipped default ${DEFAULT_TEMPERATURE})`,
);

// --- AG News zero-shot --------------------------------------------------------------------------------------
const news = loadAgNews();
const names = AG_CATEGORIES.map((c) => c.name);
const rows = news.map((item) => ({
  scores: models.scores(newsText(item), AG_CATEGORIES).map((x) => x * names.length),
  truth: item.label,
}));
const predict = (scores: number[], temperature: number) => {
  const p = softmax(scores.map((s) => s / temperature));
  const best = p.indexOf(Math.max(...p));
  return { best, confidence: p[best]! };
};
const eceAt = (subset: typeof rows, temperature: number) =>
  expectedCalibrationError(
    subset.map((r) => {
      const { best, confidence } = predict(r.scores, temperature);
      return { confidence, correct: best === r.truth };
    }),
  );
const confusion = names.map(() => names.map(() => 0));
for (const r of rows) confusion[r.truth]![predict(r.scores, 1).best]!++;
const topicAccuracy = confusion.reduce((sum, row, i) => sum + row[i]!, 0) / rows.length;
const topicEce = eceAt(rows, DEFAULT_TEMPERATURE);
console.log(`\nAG News zero-shot (${rows.length} items; category names + one-line descriptions only)`);
console.log(`  accuracy ${pct(topicAccuracy)}`);
names.forEach((name, i) => {
  const row = confusion[i]!;
  const total = row.reduce((a, b) => a + b, 0);
  console.log(
    `  ${name.padEnd(9)} ${pct(row[i]! / total).padStart(6)}  (n=${total}; predicted as ${row.join('/')})`,
  );
});
console.log(`  ECE at shipped temperature ${DEFAULT_TEMPERATURE}: ${topicEce.toFixed(3)}`);
console.log(
  `  ECE at temperature refitted on the review sentences: ${eceAt(rows, fittedTemperature).toFixed(3)}`,
);
const folds = [0, 1].map((k) => {
  const fit = fitTemperature(rows.filter((_, i) => i % 2 === k));
  return {
    fit,
    ece: eceAt(
      rows.filter((_, i) => i % 2 !== k),
      fit,
    ),
  };
});
console.log(
  `  for comparison, in-domain 2-fold CV: temperatures ${folds.map((f) => f.fit.toFixed(4)).join(', ')}, held-out ECE ${folds.map((f) => f.ece.toFixed(3)).join(', ')}`,
);
check('AG News accuracy', topicAccuracy >= THRESHOLDS.topicAccuracy);
check('AG News ECE', topicEce <= THRESHOLDS.topicEce);

// --- Examples as extra prototypes ---------------------------------------------------------------------------
const EXAMPLES_PER_CLASS = 3;
const held = names.map((_, c) => news.filter((n) => n.label === c).slice(0, EXAMPLES_PER_CLASS));
const heldSet = new Set<NewsItem>(held.flat());
const rest = news.filter((n) => !heldSet.has(n));
const withExamples = AG_CATEGORIES.map((c, i) => ({ ...c, examples: held[i]!.map(newsText) }));
const accuracyWith = (categories: Category[]) =>
  rest.filter((n) => models.classify(newsText(n), categories).category === names[n.label]).length /
  rest.length;
console.log(
  `\nWith ${EXAMPLES_PER_CLASS} examples per category (held out; ${rest.length} items): ${pct(accuracyWith(withExamples))} vs ${pct(accuracyWith(AG_CATEGORIES))} without`,
);

if (failures.length) {
  console.error(`\nFAILED: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\nAll thresholds met.');
