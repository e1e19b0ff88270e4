// A child process of the request lease test: one more function instance (its own services, pool and leases)
// sending one user's requests to its own app once the parent writes a line to its stdin, then printing how they
// were answered as one JSON line. Usage: node request-limit-worker.ts <database url> <json options>
import { createInterface } from 'node:readline';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { createAiApp } from '../../shared/ai/app.ts';
import { closeServices, createServices } from '../../shared/runtime.ts';

interface Options {
  token: string;
  limit: number;
  requests: number;
  concurrency: number;
}

const [url, raw] = process.argv.slice(2);
const options = JSON.parse(raw!) as Options;
const services = createServices({
  DATABASE_URL: url,
  JWT_SECRET: LOCAL_JWT_SECRET,
  LOG_LEVEL: 'error',
  USER_RATE_LIMIT_PER_MINUTE: String(options.limit),
});
const app = createAiApp(services);
const statuses: Record<number, number> = {};
let sent = 0;

async function lane() {
  while (sent < options.requests) {
    sent++;
    const response = await app.fetch(
      new Request('http://local/ai/me', { headers: { Authorization: `Bearer ${options.token}` } }),
    );
    await response.arrayBuffer();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }
}

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
await Promise.all(Array.from({ length: options.concurrency }, lane));
process.stdout.write(`${JSON.stringify({ statuses })}\n`);
await closeServices(services);
