import { type UserClaims, userClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import type { AppServices } from '../services.ts';
import { type AttendeeClient, createAttendeeClient } from './attendee/client.ts';
import { type BotConfigurator, createAiBotConfigurator } from './configuration.ts';

/** What the bot services need; built once per process from the app's services. */
export interface BotsDeps {
  db: Database;
  logger: Logger;
  /** Undefined without `ATTENDEE_API_KEY`: bots are then decided, logged and recorded as not sent. */
  attendee: AttendeeClient | undefined;
  configurator: BotConfigurator;
  now: () => Date;
  /** A `pending` claim older than this is taken to be abandoned by a sender that died. */
  staleClaimMs: number;
}

/** The user a piece of work acts for: a request's verified claims, or a job's user id (see `actorFor`). */
export interface Actor {
  claims: UserClaims;
  /** The HTTP request behind the work, for the AI service's logs. */
  requestId?: string;
}

/** The reason recorded on bots decided while no Attendee key is configured. */
export const NOT_SENT_NO_KEY = 'ATTENDEE_API_KEY is not set: the bot was decided but not sent to Attendee';

/**
 * The actor for background work done for one user (the `ai.*` bot jobs): the job runs with the service's rights
 * but reads and writes as that user, so Row Level Security keeps it to that user's meetings and bots.
 */
export function actorFor(userId: string): Actor {
  return { claims: userClaims(userId) };
}

/** The bot services' dependencies from configuration; `overrides` swap parts (tests, another configurator). */
export function createBotsDeps(
  services: Pick<AppServices, 'config' | 'db' | 'logger' | 'ai'>,
  overrides: Partial<BotsDeps> = {},
): BotsDeps {
  const { apiKey, baseUrl } = services.config.attendee;
  return {
    db: services.db,
    logger: services.logger,
    attendee: apiKey ? createAttendeeClient({ apiKey, baseUrl }) : undefined,
    // Reads `services.ai` on use: the AI service (and its offline models) is built on the first configuration.
    configurator: createAiBotConfigurator(services),
    now: () => new Date(),
    staleClaimMs: 10 * 60_000,
    ...overrides,
  };
}
