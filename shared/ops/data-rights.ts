// Data rights: a user's export of everything they own, and its deletion, both written to the audit trail.
import type { UserClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import {
  cancelUnfinishedExecutions,
  deleteCachedResults,
  deleteCallsInFlight,
  deleteOwnedRows,
  deleteRequestCounts,
  deleteUserJobs,
  insertAudit,
  listOwnedTables,
  scheduledBotIds,
  selectCachedResults,
  selectCallsInFlight,
  selectDecisionsForOthers,
  selectOwnedRows,
} from './data-rights-store.ts';
import type { DataDeletion, DataExport } from './schemas.ts';

/** Cancels one scheduled bot at Attendee for its owner; resolves to why not when it could not. */
export type CancelScheduledBot = (
  claims: UserClaims,
  botId: string,
) => Promise<{ cancelled: true } | { reason: string }>;

export interface DataRightsDeps {
  db: Database;
  logger: Logger;
  /** The bots service's cancellation; without it bots are deleted here but stay scheduled at Attendee. */
  cancelBot?: CancelScheduledBot;
}

/**
 * Everything the caller owns: every row of every table in public with their user_id. Read as the user, so RLS
 * decides what they can see; a table users may not read (none today) is read for them by the service role,
 * as are the cached AI results served to them (private, shared by input hash).
 */
export async function exportUserData(
  deps: DataRightsDeps,
  user: UserClaims,
  requestId: string | null,
): Promise<DataExport> {
  const { db } = deps;
  const tablesList = await db.asService((tx) => listOwnedTables(tx), { readOnly: true });
  const tables: Record<string, Record<string, unknown>[]> = {};
  await db.asUser(
    user,
    async (tx) => {
      for (const table of tablesList.filter((t) => t.userReadable)) {
        tables[table.name] = await selectOwnedRows(tx, table.name, user.sub);
      }
    },
    { readOnly: true },
  );
  const unreadable = tablesList.filter((t) => !t.userReadable);
  if (unreadable.length) {
    // Rows the user owns but may not select directly: the service reads them, for the verified user id only.
    await db.asService(
      async (tx) => {
        for (const table of unreadable) tables[table.name] = await selectOwnedRows(tx, table.name, user.sub);
      },
      { readOnly: true },
    );
  }
  const { cachedResults, callsInFlight, decisionsForOthers } = await db.asService(
    async (tx) => ({
      cachedResults: await selectCachedResults(tx, user.sub),
      callsInFlight: await selectCallsInFlight(tx, user.sub),
      // The caller's decisions on approvals other users own: their act, held in the other user's rows.
      decisionsForOthers: await selectDecisionsForOthers(tx, user.sub),
    }),
    { readOnly: true },
  );
  const rowCounts = Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.length]));
  // The audit trail is the service's, written for the verified user.
  await db.asService((tx) =>
    insertAudit(tx, {
      userId: user.sub,
      action: 'export',
      requestId,
      rowCounts: {
        ...rowCounts,
        ai_result_cache: cachedResults.length,
        ai_calls_in_flight: callsInFlight.length,
        decisions_for_others: decisionsForOthers.length,
      },
    }),
  );
  return {
    userId: user.sub,
    exportedAt: new Date().toISOString(),
    tables,
    cachedResults,
    callsInFlight,
    decisionsForOthers,
  };
}

/**
 * Deletes every row the caller owns in every table in public. First cancels their scheduled bots at Attendee
 * (through the bots service) and ends their unfinished workflow executions, so no worker acts for them
 * afterwards; then deletes children before parents in one transaction. The account itself (auth.users) stays:
 * removing it is Supabase Auth's. Idempotent: a second call deletes nothing more.
 */
export async function deleteUserData(
  deps: DataRightsDeps,
  user: UserClaims,
  requestId: string | null,
): Promise<DataDeletion> {
  const { db, logger } = deps;
  const userId = user.sub;
  // Deletion reaches rows users may not change themselves (logs, approvals): the service role does it, for the
  // verified user id only.
  const botIds = await db.asService((tx) => scheduledBotIds(tx, userId), { readOnly: true });
  let botsCancelled = 0;
  const notCancelled: { botId: string; reason: string }[] = [];
  for (const botId of botIds) {
    if (!deps.cancelBot) {
      notCancelled.push({ botId, reason: 'the bots service is not available in this function' });
      continue;
    }
    try {
      const outcome = await deps.cancelBot(user, botId);
      if ('cancelled' in outcome) botsCancelled++;
      else notCancelled.push({ botId, reason: outcome.reason });
    } catch (error) {
      logger.warn('bot cancellation failed during data deletion', { botId, error: String(error) });
      notCancelled.push({ botId, reason: 'Attendee could not be reached' });
    }
  }
  const executionsCancelled = await db.asService((tx) => cancelUnfinishedExecutions(tx, userId));
  const deleted = await db.asService(async (tx) => {
    const counts: Record<string, number> = {};
    // Before the executions go: workflow jobs are found through them.
    const jobsDeleted = await deleteUserJobs(tx, userId);
    for (const table of await listOwnedTables(tx))
      counts[table.name] = await deleteOwnedRows(tx, table.name, userId);
    await deleteRequestCounts(tx, userId);
    const cachedResults = await deleteCachedResults(tx, userId);
    const callsInFlight = await deleteCallsInFlight(tx, userId);
    await insertAudit(tx, {
      userId,
      action: 'delete',
      requestId,
      rowCounts: counts,
      details: {
        executionsCancelled,
        botsCancelled,
        botsNotCancelled: notCancelled,
        cachedResults,
        callsInFlight,
        jobsDeleted,
      },
    });
    return { counts, cachedResults, callsInFlight, jobsDeleted };
  });
  return {
    userId,
    deletedAt: new Date().toISOString(),
    deleted: deleted.counts,
    executionsCancelled,
    jobsDeleted: deleted.jobsDeleted,
    cachedResultsDeleted: deleted.cachedResults,
    callsInFlightDeleted: deleted.callsInFlight,
    bots: { cancelled: botsCancelled, notCancelled },
  };
}
