import { FUNCTIONS, type FunctionName } from '../shared/functions.ts';
import type { AppServices } from '../shared/services.ts';

type Fetch = (request: Request) => Response | Promise<Response>;

/** The local stand-ins for Supabase's Auth (GoTrue) and REST (PostgREST) services, when the stack serves them. */
export interface PlatformApps {
  auth?: Fetch;
  rest?: Fetch;
}

/**
 * Serves every function under `/functions/v1/<name>/...` as Supabase's gateway does (the function receives
 * the path starting at its own name), and the platform stand-ins at `/auth/v1` and `/rest/v1`.
 */
export function createGateway(services: AppServices, platform: PlatformApps = {}): Fetch {
  const apps = new Map<string, Fetch>();
  for (const [name, create] of Object.entries(FUNCTIONS)) {
    const app = create(services);
    apps.set(name, (request) => app.fetch(request));
  }
  return async function gateway(request) {
    const url = new URL(request.url);
    if (platform.auth && /^\/auth\/v1(\/|$)/.test(url.pathname)) return platform.auth(request);
    if (platform.rest && /^\/rest\/v1(\/|$)/.test(url.pathname)) return platform.rest(request);
    const match = url.pathname.match(/^\/functions\/v1\/([^/]+)(\/.*)?$/);
    const app = match ? apps.get(match[1] as FunctionName) : undefined;
    if (!match || !app) {
      return Response.json({ error: { code: 'not_found', message: 'No such function' } }, { status: 404 });
    }
    url.pathname = `/${match[1]}${match[2] ?? ''}`;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    return app(
      new Request(url, {
        method: request.method,
        headers: request.headers,
        body: hasBody ? request.body : undefined,
        signal: request.signal,
        // Node's fetch needs this to forward a streamed body.
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit),
    );
  };
}
