// A child process of the provider pace test: reserves starts with `reserve_ai_call` from its own connections, as
// one more function instance or worker would, and prints the starts it got (epoch ms) as one JSON line.
// Usage: node rate-limit-worker.ts <database url> <json options>
import pg from 'pg';

interface Options {
  provider: string;
  calls: number;
  connections: number;
  tokens: number;
  maxRequests: number;
  maxTokens: number;
  maxWaitMs: number;
}

const [url, raw] = process.argv.slice(2);
const options = JSON.parse(raw!) as Options;
const pool = new pg.Pool({ connectionString: url, max: options.connections });
const starts: number[] = [];
let refused = 0;
let next = 0;

async function lane() {
  const client = await pool.connect();
  try {
    await client.query('set role service_role');
    while (next < options.calls) {
      next++;
      const { rows } = await client.query<{ reserved: boolean; start_ms: number }>(
        `select reserved, extract(epoch from start_at) * 1000 as start_ms
         from ai_private.reserve_ai_call($1, $2, $3, $4, $5)`,
        [options.provider, options.tokens, options.maxRequests, options.maxTokens, options.maxWaitMs],
      );
      if (rows[0]!.reserved) starts.push(Number(rows[0]!.start_ms));
      else refused++;
    }
  } finally {
    client.release();
  }
}

await Promise.all(Array.from({ length: options.connections }, lane));
await pool.end();
process.stdout.write(`${JSON.stringify({ starts, refused })}\n`);
