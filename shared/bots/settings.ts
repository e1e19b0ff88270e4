import { z } from '@hono/zod-openapi';
import { isBmpOnly } from '../ai/bot-configuration.ts';

const RECORD_MODES = ['all', 'external_only', 'organizer_only'] as const;

/** A user's bot settings as the API shows them (the limits are the table's own checks). */
export const BotSettingsSchema = z
  .object({
    autoSchedule: z.boolean(),
    lookaheadHours: z.number().int().min(1).max(720),
    joinOffsetMinutes: z.number().int().min(0).max(60),
    botName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine(isBmpOnly, 'Bot names cannot contain emoji or other characters above U+FFFF'),
    recordMode: z.enum(RECORD_MODES),
    exclusionKeywords: z.array(z.string().trim().min(1).max(100)).max(100),
    minAttendees: z.number().int().min(0).max(1000),
    transcriptionLanguage: z
      .string()
      .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'A language tag such as en or pt-BR'),
  })
  .openapi('BotSettings');
export type BotSettings = z.infer<typeof BotSettingsSchema>;

/** `PUT /bots/settings`: any subset; fields left out keep their current value. */
export const BotSettingsUpdateSchema = BotSettingsSchema.partial().strict().openapi('BotSettingsUpdate');

/** The settings of a user who never saved any (the table's defaults: auto-scheduling off). */
export const DEFAULT_BOT_SETTINGS: BotSettings = {
  autoSchedule: false,
  lookaheadHours: 24,
  joinOffsetMinutes: 2,
  botName: 'Meeting Notetaker',
  recordMode: 'all',
  exclusionKeywords: [],
  minAttendees: 2,
  transcriptionLanguage: 'en',
};
