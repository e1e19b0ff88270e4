// A child process of the rate limiter test: hammers `consume_ai_rate_limit` from its own connections, as one
// more function instance or worker would, and prints what it was granted as one JSON line.
// Usage: node rate-limit-worker.ts <database url> <json options>
import pg from 'pg';

interface Options {
  provider: string;
  calls: number;
  connections: number;
  tokens: number;
  maxRequests: number;
  maxTokens: number;
  windowSeconds: number;
}

const [url, raw] = process.argv.slice(2);
const options = JSON.parse(raw!) as Options;
const pool = new pg.Pool({ connectionString: url, max: options.connections });
const granted: Record<string, number> = {};
const attempts: Record<string, number> = {};
let next = 0;

async function lane() {
  const client = await pool.connect();
  try {
    await client.query('set role service_role');
    while (next < options.calls) {
      next++;
      const { rows } = await client.query<{ allowed: boolean; window_start: Date }>(
        'select allowed, window_start from ai_private.consume_ai_rate_limit($1, 1, $2, $3, $4, $5)',
        [options.provider, options.tokens, options.maxRequests, options.maxTokens, options.windowSeconds],
      );
      const window = rows[0]!.window_start.toISOString();
      attempts[window] = (attempts[window] ?? 0) + 1;
      if (rows[0]!.allowed) granted[window] = (granted[window] ?? 0) + 1;
    }
  } finally {
    client.release();
  }
}

await Promise.all(Array.from({ length: options.connections }, lane));
await pool.end();
process.stdout.write(`${JSON.stringify({ granted, attempts })}\n`);
