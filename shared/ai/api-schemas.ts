// Request and response bodies of the `ai` function's routes, as they appear in its OpenAPI document.
import { z } from '@hono/zod-openapi';
import { AiBotConfigurationSchema, AiMeetingContextSchema } from './bot-configuration.ts';
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
export type TextRequest = z.infer<typeof TextRequestSchema>;

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
export type ClassifyRequest = z.infer<typeof ClassifyRequestSchema>;

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
export type BotConfigurationRequest = z.infer<typeof BotConfigurationRequestSchema>;

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
