import type { Queryable } from '../../db/database.ts';
import { type BotSettings, DEFAULT_BOT_SETTINGS } from '../settings.ts';

interface SettingsRow {
  auto_schedule: boolean;
  lookahead_hours: number;
  join_offset_minutes: number;
  bot_name: string;
  record_mode: BotSettings['recordMode'];
  exclusion_keywords: string[];
  min_attendees: number;
  transcription_language: string;
}

const fromRow = (row: SettingsRow): BotSettings => ({
  autoSchedule: row.auto_schedule,
  lookaheadHours: row.lookahead_hours,
  joinOffsetMinutes: row.join_offset_minutes,
  botName: row.bot_name,
  recordMode: row.record_mode,
  exclusionKeywords: row.exclusion_keywords,
  minAttendees: row.min_attendees,
  transcriptionLanguage: row.transcription_language,
});

/** The caller's settings (RLS scopes the row), or the defaults when none were saved. */
export async function readBotSettings(tx: Queryable): Promise<BotSettings> {
  const { rows } = await tx.query<SettingsRow>(
    `select auto_schedule, lookahead_hours, join_offset_minutes, bot_name, record_mode, exclusion_keywords,
            min_attendees, transcription_language
       from public.user_bot_settings`,
  );
  return rows[0] ? fromRow(rows[0]) : { ...DEFAULT_BOT_SETTINGS };
}

/** Saves the caller's whole settings row (insert or update) and returns it. */
export async function writeBotSettings(tx: Queryable, settings: BotSettings): Promise<BotSettings> {
  const { rows } = await tx.query<SettingsRow>(
    `insert into public.user_bot_settings as s (user_id, auto_schedule, lookahead_hours, join_offset_minutes,
            bot_name, record_mode, exclusion_keywords, min_attendees, transcription_language)
     values ((select auth.uid()), $1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (user_id) do update set
       auto_schedule = excluded.auto_schedule,
       lookahead_hours = excluded.lookahead_hours,
       join_offset_minutes = excluded.join_offset_minutes,
       bot_name = excluded.bot_name,
       record_mode = excluded.record_mode,
       exclusion_keywords = excluded.exclusion_keywords,
       min_attendees = excluded.min_attendees,
       transcription_language = excluded.transcription_language
     returning auto_schedule, lookahead_hours, join_offset_minutes, bot_name, record_mode, exclusion_keywords,
               min_attendees, transcription_language`,
    [
      settings.autoSchedule,
      settings.lookaheadHours,
      settings.joinOffsetMinutes,
      settings.botName,
      settings.recordMode,
      settings.exclusionKeywords,
      settings.minAttendees,
      settings.transcriptionLanguage,
    ],
  );
  return fromRow(rows[0]!);
}
