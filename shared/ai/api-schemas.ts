// Request and response bodies of the `ai` function's routes, as they appear in its OpenAPI document.
import { z } from '@hono/zod-openapi';
import { AiBotConfigurationSchema, AiMeetingContextSchema } from './bot-configuration.ts';
import { MAX_SEGMENTS, MAX_SPEAKERS } from './transcript.ts';
import {
  AnalysisResultSchema,
  CategorySchema,
  ClassifyResultSchema,
  EntitySchema,
  SentimentResultSchema,
} from './types.ts';

const MAX_TEXT = 100_000;

const ProviderChoice = z
  .enum(['local', 'openai'])
  .optional()
  .openapi({ description: 'Which provider answers; the deployment default (AI_PROVIDER) when omitted' });

export const TextRequestSchema = z
  .object({
    text: z.string().trim().min(1).max(MAX_TEXT).openapi({ example: 'The renewal went well, thanks Dana!' }),
    provider: ProviderChoice,
  })
  .strict()
  .openapi('TextRequest');

const TranscriptSegmentSchema = z
  .object({
    speaker: z.string().trim().min(1).max(100).openapi({ example: 'Dana' }),
    text: z.string().max(MAX_TEXT).openapi({ example: 'Acme was great, but the Jira export keeps failing.' }),
  })
  .openapi('TranscriptSegment', {
    description: 'One utterance; other fields (timestamps, ids) are ignored',
  });

/** A transcript's segments: their texts, joined by a line break, are the document every offset indexes. */
export const TranscriptSegmentsSchema = z
  .array(TranscriptSegmentSchema)
  .min(1)
  .max(MAX_SEGMENTS, `a transcript has at most ${MAX_SEGMENTS} segments`)
  .superRefine((segments, ctx) => {
    const characters = segments.reduce((sum, s) => sum + s.text.length + 1, -1);
    if (characters > MAX_TEXT) {
      ctx.addIssue({ code: 'custom', message: `a transcript has at most ${MAX_TEXT} characters of text` });
    }
    if (segments.every((s) => !s.text.trim()))
      ctx.addIssue({ code: 'custom', message: 'the transcript is empty' });
    if (new Set(segments.map((s) => s.speaker)).size > MAX_SPEAKERS) {
      ctx.addIssue({ code: 'custom', message: `a transcript has at most ${MAX_SPEAKERS} speakers` });
    }
  })
  .openapi({
    description:
      'A transcript instead of text: one entry per utterance. Sentence and mention offsets index the segment texts joined by "\\n"; a mention names its segment',
  });

export const SentimentRequestSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .max(MAX_TEXT)
      .optional()
      .openapi({ example: 'Dana: Acme was great.\nLee: But the Jira export keeps failing.' }),
    segments: TranscriptSegmentsSchema.optional(),
    targets: z.boolean().optional().openapi({
      description:
        'Per-speaker and per-entity (targeted) sentiment: on by default for segments and for a text of `Name: text` lines (two speakers or more, at least half the lines labelled); true asks for it on any text, false turns it off',
    }),
    provider: ProviderChoice,
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.segments === undefined), {
    message: 'give exactly one of text and segments',
    path: ['text'],
  })
  .openapi('SentimentRequest');

export const ClassifyRequestSchema = z
  .object({
    text: z.string().trim().min(1).max(MAX_TEXT),
    categories: z
      .array(
        CategorySchema.extend({
          name: z.string().trim().min(1).max(100),
          description: z.string().max(1_000).optional(),
          keywords: z.array(z.string().min(1).max(100)).max(100).optional(),
          examples: z.array(z.string().min(1).max(2_000)).max(20).optional(),
        }).strict(),
      )
      .min(1)
      .max(50)
      .refine(
        (list) => new Set(list.map((c) => c.name)).size === list.length,
        'category names must be unique',
      ),
    provider: ProviderChoice,
  })
  .strict()
  .openapi('ClassifyRequest');

export const BotConfigurationRequestSchema = z
  .object({
    meetingId: z.string().uuid().optional().openapi({ description: 'A meeting of the caller' }),
    meeting: AiMeetingContextSchema.optional().openapi({ description: 'The meeting, given inline' }),
    provider: ProviderChoice,
  })
  .strict()
  .refine((body) => (body.meetingId === undefined) !== (body.meeting === undefined), {
    message: 'give exactly one of meetingId and meeting',
    path: ['meeting'],
  })
  .openapi('BotConfigurationRequest');

/** A served result with who answered and what it cost (0 when it came from the cache). */
function outcome<T extends z.ZodType>(name: string, result: T) {
  return z
    .object({
      result,
      provider: z.string(),
      model: z.string(),
      cached: z.boolean(),
      usage: z.object({ tokensIn: z.number().int(), tokensOut: z.number().int() }),
      costUsd: z.number(),
      latencyMs: z.number().int(),
    })
    .openapi(name);
}

export const ClassifyResponseSchema = outcome(
  'ClassifyResponse',
  ClassifyResultSchema.meta({ id: 'ClassifyResult' }),
);
export const SentimentResponseSchema = outcome(
  'SentimentResponse',
  SentimentResultSchema.meta({ id: 'SentimentResult' }),
);
export const EntitiesResponseSchema = outcome(
  'EntitiesResponse',
  z.object({ entities: z.array(EntitySchema.meta({ id: 'Entity' })) }),
);
export const AnalysisResponseSchema = outcome(
  'AnalysisResponse',
  AnalysisResultSchema.meta({ id: 'AnalysisResult' }),
);
export const BotConfigurationResponseSchema = outcome(
  'BotConfigurationResponse',
  AiBotConfigurationSchema.meta({ id: 'BotConfiguration' }),
);
