// The offline "local" provider's models: no key, no network, the same answers in Node and Deno.

import type {
  AnalysisResult,
  Category,
  ClassifyResult,
  Entity,
  SentimentResult,
  TargetedSentiment,
  TextModels,
  Transcript,
} from '../types.ts';
import { analyseDocument } from './analysis.ts';
import { createClassifier } from './classifier.ts';
import { extractEntities } from './entities.ts';
import { localModelData } from './model-data.ts';
import { analyseSentiment } from './sentiment.ts';
import { targetedSentiment } from './targeted.ts';

/**
 * Confidence temperature for `softmax(score × categoryCount / T)`. Fitted (minimum log-loss) on a different
 * public data set: the `sentiment` package's labelled review sentences posed as a two-category zero-shot task
 * (`node scripts/eval.ts` refits and prints it), not on the AG News sample it is evaluated on.
 */
export const DEFAULT_TEMPERATURE = 0.18;

export const LOCAL_MODEL_NAME = 'local-glove100-60k';

export interface LocalModelsOptions {
  temperature?: number;
}

export interface LocalModels extends TextModels {
  name: string;
  classify(text: string, categories: Category[]): ClassifyResult;
  sentiment(text: string): SentimentResult;
  targetedSentiment(transcript: Transcript): TargetedSentiment;
  entities(text: string): Entity[];
  analyze(text: string): AnalysisResult;
  /** Raw category scores (for calibration and evaluation). */
  scores(text: string, categories: Category[]): number[];
}

/** Creates the offline models; the embedded model data is decoded on first call and shared. */
export function createLocalModels(options: LocalModelsOptions = {}): LocalModels {
  const temperature = options.temperature ?? DEFAULT_TEMPERATURE;
  let classifier: ReturnType<typeof createClassifier> | undefined;
  const getClassifier = () => {
    classifier ??= createClassifier(localModelData(), temperature);
    return classifier;
  };
  return {
    name: LOCAL_MODEL_NAME,
    classify: (text, categories) => getClassifier().classify(text, categories),
    scores: (text, categories) => getClassifier().scores(text, categories),
    sentiment: (text) => analyseSentiment(localModelData(), text),
    targetedSentiment: (transcript) => targetedSentiment(localModelData(), transcript),
    entities: (text) => extractEntities(text),
    analyze: (text) => analyseDocument(localModelData(), text),
  };
}
