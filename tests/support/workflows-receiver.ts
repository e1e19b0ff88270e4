// A webhook receiver on loopback, as a customer would run one: it verifies the X-Signature scheme, remembers
// delivery ids (processing each once), and on demand holds requests open or answers with failures.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verifyWebhook } from '../../shared/workflows/webhook-signature.ts';
import { listenOnFreePort } from './ports.ts';

interface Delivery {
  id: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

export interface Receiver {
  url: string;
  /** Every request that arrived, in order (including ones held open or answered with an error). */
  deliveries: Delivery[];
  /** Delivery ids processed (a repeated id is acknowledged, not processed again). */
  processed: Set<string>;
  /** Holds every request open until `release()` (the test decides when the step in flight may finish). */
  hold(): void;
  release(): void;
  /** Answers the next `times` requests with `status`. */
  failNext(status: number, times?: number): void;
  /** Resolves when `count` requests have arrived. */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver that checks signatures with `secret`. */
export async function startReceiver(secret: string): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const processed = new Set<string>();
  const held: (() => void)[] = [];
  let holding = false;
  let failures: { status: number; times: number } | undefined;
  const open = new Set<ServerResponse>();

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const id = String(req.headers['x-webhook-id'] ?? '');
    const signatureValid = await verifyWebhook({
      secret,
      body: raw,
      timestamp: req.headers['x-signature-timestamp'] as string | undefined,
      signature: req.headers['x-signature'] as string | undefined,
    });
    deliveries.push({ id, body: JSON.parse(raw), signatureValid });
    if (holding) {
      open.add(res);
      await new Promise<void>((resolve) => held.push(resolve));
      open.delete(res);
    }
    if (res.destroyed) return;
    if (failures && failures.times > 0) {
      failures.times--;
      res.writeHead(failures.status).end();
      return;
    }
    if (!signatureValid) {
      res.writeHead(401).end();
      return;
    }
    processed.add(id);
    res.writeHead(204).end();
  });
  const port = await listenOnFreePort(server);

  return {
    url: `http://127.0.0.1:${port}/hooks/workflow`,
    deliveries,
    processed,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const resolve of held.splice(0)) resolve();
    },
    failNext: (status, times = 1) => {
      failures = { status, times };
    },
    async waitForDeliveries(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${deliveries.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      for (const resolve of held.splice(0)) resolve();
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
