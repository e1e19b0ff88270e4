// The shapes every AI provider (OpenAI, local) answers with: zod schemas and the types inferred from them.
import { z } from 'zod';

export const CategorySchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  examples: z.array(z.string()).optional(),
});
export type Category = z.infer<typeof CategorySchema>;

const confidence = z.number().min(0).max(1);

export const RankedCategorySchema = z.object({ category: z.string(), confidence });

export const ClassifyResultSchema = z.object({
  category: z.string(),
  confidence,
  /** The other categories, best first, without the winner. */
  alternatives: z.array(RankedCategorySchema),
  reasoning: z.string(),
});
export type ClassifyResult = z.infer<typeof ClassifyResultSchema>;

export const SentenceSentimentSchema = z.object({
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  label: z.enum(['positive', 'negative', 'neutral']),
  score: z.number().min(-1).max(1),
});
export type SentenceSentiment = z.infer<typeof SentenceSentimentSchema>;

/** Comprehend's SentimentScore: how much each label fits, summing to 1. */
export const SentimentScoresSchema = z.object({
  positive: confidence,
  negative: confidence,
  neutral: confidence,
  mixed: confidence,
});
export type SentimentScores = z.infer<typeof SentimentScoresSchema>;

export const SentimentResultSchema = z.object({
  /** The dominant polarity; `mixed` only when both sides are strong and comparable. */
  label: z.enum(['positive', 'negative', 'neutral', 'mixed']),
  score: z.number().min(-1).max(1),
  scores: SentimentScoresSchema,
  sentences: z.array(SentenceSentimentSchema),
});
export type SentimentResult = z.infer<typeof SentimentResultSchema>;

export const EntityTypeSchema = z.enum([
  'person',
  'organization',
  'place',
  'product',
  'date',
  'money',
  'email',
  'url',
  'phone',
  'percent',
]);
export type EntityType = z.infer<typeof EntityTypeSchema>;

/** A mention in the input: `text === input.slice(start, end)`. */
export const EntitySchema = z.object({
  text: z.string(),
  type: EntityTypeSchema,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type Entity = z.infer<typeof EntitySchema>;

export const AnalysisResultSchema = z.object({
  summary: z.string(),
  keyPoints: z.array(z.string()),
  actionItems: z.array(z.string()),
  risks: z.array(z.string()),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

/** A value now or later: the local models answer synchronously, network providers do not. */
export type MaybePromise<T> = T | Promise<T>;

/** The language operations a provider offers. */
export interface TextModels {
  classify(text: string, categories: Category[]): MaybePromise<ClassifyResult>;
  sentiment(text: string): MaybePromise<SentimentResult>;
  entities(text: string): MaybePromise<Entity[]>;
  analyze(text: string): MaybePromise<AnalysisResult>;
}
