import pg from 'pg';

export interface LogRow {
  user_id: string | null;
  request_id: string | null;
  operation: string;
  provider: string;
  model: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: string;
  latency_ms: number;
  status: string;
  error_code: string | null;
  error_message: string | null;
}

/** Runs one query on a test database as its superuser. */
export async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A user's `ai_processing_logs` rows, oldest first. */
export function logsOf(url: string, userId: string): Promise<LogRow[]> {
  return query<LogRow>(url, 'select * from public.ai_processing_logs where user_id = $1 order by id', [
    userId,
  ]);
}
