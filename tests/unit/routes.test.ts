import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { FUNCTIONS } from '../../shared/functions.ts';
import { createServices } from '../../shared/runtime.ts';

// Apps are built without touching the database: the pool connects on first use only.
const services = createServices({
  DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
  JWT_SECRET: LOCAL_JWT_SECRET,
});
afterAll(() => services.db.close());

interface Route {
  method: string;
  path: string;
}

/**
 * Hono runs the first registered handler whose pattern matches, so a route with a parameter (`/bots/:id`) mounted
 * before a fixed one (`/bots/settings`) takes its requests. Returns each such pair; middleware (`ALL`) is skipped.
 */
function shadowedRoutes(routes: Route[]): string[] {
  const handlers = routes.filter((route) => route.method !== 'ALL');
  const found: string[] = [];
  handlers.forEach((earlier, i) => {
    const pattern = new RegExp(`^${earlier.path.replace(/:[^/]+/g, '[^/]+')}$`);
    for (const later of handlers.slice(i + 1)) {
      if (later.method !== earlier.method || later.path === earlier.path) continue;
      // A concrete request for the later route: its own parameters filled with a value no fixed path uses.
      if (pattern.test(later.path.replace(/:[^/]+/g, '\u0000'))) {
        found.push(`${earlier.method} ${earlier.path} shadows ${later.path}`);
      }
    }
  });
  return found;
}

describe('function routes', () => {
  it.each(Object.keys(FUNCTIONS))('%s: no route takes the requests of one mounted after it', (name) => {
    const app = FUNCTIONS[name as keyof typeof FUNCTIONS](services);
    const routes = app.routes.map(({ method, path }) => ({ method, path }));
    expect(routes.filter((route) => route.method !== 'ALL').length).toBeGreaterThan(2);
    expect(shadowedRoutes(routes)).toEqual([]);
  });

  it('finds a parameter route mounted before a fixed one or one of the same shape, and only those', () => {
    expect(
      shadowedRoutes([
        { method: 'ALL', path: '/bots/*' },
        { method: 'GET', path: '/bots/:id' },
        { method: 'GET', path: '/bots/settings' },
        { method: 'PUT', path: '/bots/settings' },
        { method: 'GET', path: '/bots/:id/logs' },
        { method: 'GET', path: '/bots/:otherId' },
      ]),
    ).toEqual(['GET /bots/:id shadows /bots/settings', 'GET /bots/:id shadows /bots/:otherId']);
    expect(
      shadowedRoutes([
        { method: 'GET', path: '/bots/settings' },
        { method: 'GET', path: '/bots/:id' },
      ]),
    ).toEqual([]);
  });
});
