import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createGateway } from '../../local/gateway.ts';
import { LOCAL_JWT_SECRET, signToken } from '../../local/keys.ts';
import { createLocalPlatform } from '../../local/platform.ts';
import { closeServices, createServices } from '../../shared/runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestStack {
  url: string;
  database: TestDatabase;
  services: AppServices;
  anonKey: string;
  serviceKey: string;
  /** A supabase-js client whose requests carry `token` (the anon key when omitted). */
  client(token?: string): SupabaseClient;
  userToken(userId: string): Promise<string>;
  stop(): Promise<void>;
}

/** The local stack in-process on a free port, over a fresh database cloned from the migrated template. */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  // The server listens first so the services know the URL of the Auth stand-in's JWKS, which verifies tokens.
  let handle: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 503 });
  const server = serve({ fetch: (request) => handle(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const services = createServices({
    DATABASE_URL: database.url,
    SUPABASE_URL: url,
    JWT_SECRET: LOCAL_JWT_SECRET,
    LOG_LEVEL: 'error',
    // Tests poll freely; the ones about the per-user rate limit set their own.
    USER_RATE_LIMIT_PER_MINUTE: '1000000',
    // Test webhook receivers listen on loopback, which production refuses as a private address.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...env,
  });
  handle = createGateway(services, await createLocalPlatform({ services, apiUrl: url }));
  const anonKey = await signToken({ role: 'anon' });
  const serviceKey = await signToken({ role: 'service_role' });
  return {
    url,
    database,
    services,
    anonKey,
    serviceKey,
    client(token) {
      const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
      if (token) client.functions.setAuth(token);
      return client;
    },
    userToken: (userId) => signToken({ role: 'authenticated', sub: userId }),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeServices(services);
      await database.drop();
    },
  };
}
