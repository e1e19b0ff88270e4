// The shapes the classification service works with, independent of HTTP and of the database.
import type { Entity, SentimentResult as Sentiment } from '../ai/types.ts';

/** A category and how sure a stage is of it. */
export interface Ranked {
  category: string;
  confidence: number;
}

/** A classifier's answer: the best category and the others it considered. */
export interface Classification extends Ranked {
  alternatives: Ranked[];
}

/** Sentiment and entities are the AI service's own shapes, passed through as they are. */
export type { Entity, SentimentResult as Sentiment } from '../ai/types.ts';

/** What a provider call cost and how long it took; zeros for work done in process. */
export interface CallMeta {
  provider: string;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

/** One stage of a cascade as it ran (or why it did not). */
export interface TraceEntry {
  stage: number;
  type: string;
  status: 'accepted' | 'handed_over' | 'completed' | 'skipped' | 'failed';
  provider: string | null;
  model: string | null;
  category?: string;
  confidence?: number;
  threshold?: number;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  cached?: boolean;
  reason?: string;
}

/** The result of classifying one text with a workflow (or the default cascade). */
export interface EnhancedResult {
  /** Null only when no classifier stage had an opinion (a rules-only workflow whose keywords never matched). */
  category: string | null;
  confidence: number;
  alternatives: Ranked[];
  sentiment: Sentiment | null;
  entities: Entity[];
  trace: TraceEntry[];
  costUsd: number;
}
