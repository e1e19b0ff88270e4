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

const RankedCategorySchema = z.object({ category: z.string(), confidence });

export const ClassifyResultSchema = z.object({
  category: z.string(),
  confidence,
  /** The other categories, best first, without the winner. */
  alternatives: z.array(RankedCategorySchema),
  reasoning: z.string(),
});
export type ClassifyResult = z.infer<typeof ClassifyResultSchema>;

const SentenceSentimentSchema = z.object({
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  label: z.enum(['positive', 'negative', 'neutral']),
  score: z.number().min(-1).max(1),
});
export type SentenceSentiment = z.infer<typeof SentenceSentimentSchema>;

/** Comprehend's SentimentScore: how much each label fits, summing to 1. */
const SentimentScoresSchema = z.object({
  positive: confidence,
  negative: confidence,
  neutral: confidence,
  mixed: confidence,
});
export type SentimentScores = z.infer<typeof SentimentScoresSchema>;

const SentimentLabelSchema = z.enum(['positive', 'negative', 'neutral', 'mixed']);

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

/** One speaker of a transcript: the sentiment of everything they said (the document rule), and how often they spoke. */
const SpeakerSentimentSchema = z.object({
  speaker: z.string(),
  utterances: z.number().int().nonnegative(),
  label: SentimentLabelSchema,
  score: z.number().min(-1).max(1),
  scores: SentimentScoresSchema,
});

/**
 * One mention of an entity and the sentiment expressed towards it there (Comprehend's MentionSentiment):
 * `text === document.slice(start, end)`; `segment` is the utterance it is in, `speaker` who said it.
 */
const TargetMentionSchema = EntitySchema.extend({
  segment: z.number().int().nonnegative(),
  speaker: z.string().nullable(),
  label: SentimentLabelSchema,
  scores: SentimentScoresSchema,
});
export type TargetMention = z.infer<typeof TargetMentionSchema>;

/** An entity's mentions grouped (same type, same name ignoring case), with their mean sentiment. */
const TargetSchema = z.object({
  text: z.string(),
  type: EntityTypeSchema,
  label: SentimentLabelSchema,
  scores: SentimentScoresSchema,
  mentions: z.array(TargetMentionSchema),
});
export type Target = z.infer<typeof TargetSchema>;

/** Per-speaker and per-entity (targeted) sentiment of a transcript. */
export const TargetedSentimentSchema = z.object({
  speakers: z.array(SpeakerSentimentSchema),
  targets: z.array(TargetSchema),
});
export type TargetedSentiment = z.infer<typeof TargetedSentimentSchema>;

export const SentimentResultSchema = z.object({
  /** The dominant polarity; `mixed` only when both sides are strong and comparable. */
  label: SentimentLabelSchema,
  score: z.number().min(-1).max(1),
  scores: SentimentScoresSchema,
  sentences: z.array(SentenceSentimentSchema),
  /** Transcripts only (or when asked for): each speaker's sentiment. */
  speakers: z.array(SpeakerSentimentSchema).optional(),
  /** Transcripts only (or when asked for): each entity's mentions with the sentiment at each. */
  targets: z.array(TargetSchema).optional(),
});
export type SentimentResult = z.infer<typeof SentimentResultSchema>;

export const AnalysisResultSchema = z.object({
  summary: z.string(),
  keyPoints: z.array(z.string()),
  actionItems: z.array(z.string()),
  risks: z.array(z.string()),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

/** Who said `text.slice(start, end)` (null for text before the first speaker label). */
export interface Utterance {
  speaker: string | null;
  start: number;
  end: number;
}

/** A document and who said which part of it (shared/ai/transcript.ts reads them). */
export interface Transcript {
  text: string;
  utterances: Utterance[];
}

/** A value now or later: the local models answer synchronously, network providers do not. */
type MaybePromise<T> = T | Promise<T>;

/** The language operations a provider offers. */
export interface TextModels {
  classify(text: string, categories: Category[]): MaybePromise<ClassifyResult>;
  sentiment(text: string): MaybePromise<SentimentResult>;
  /** Per-speaker and per-mention sentiment of a transcript (offsets index `transcript.text`). */
  targetedSentiment(transcript: Transcript): MaybePromise<TargetedSentiment>;
  entities(text: string): MaybePromise<Entity[]>;
  analyze(text: string): MaybePromise<AnalysisResult>;
}
