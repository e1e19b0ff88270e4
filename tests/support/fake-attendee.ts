// A fake Attendee API on loopback that enforces the contract in ../../../shared/reference/attendee-api.md, so the
// real client is exercised over HTTP: Token auth, no trailing slashes, strict create/patch bodies, future join_at,
// string metadata, deduplication keys unique among live bots, DELETE only while scheduled, and 429/5xx/delays on demand.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from './ports.ts';

interface FakeBot {
  id: string;
  meeting_url: string;
  bot_name: string;
  state: string;
  join_at: string | null;
  deduplication_key: string | null;
  metadata: Record<string, string> | null;
  created_at: string;
  request: Record<string, unknown>;
}

interface Injection {
  method?: string;
  /** Matched against the path after `/api/v1` (e.g. `/bots`). */
  path?: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests it answers (default 1). */
  times?: number;
  /** Hold the response this long before answering (for client timeouts). */
  delayMs?: number;
  /** Only requests whose parsed body passes this. */
  when?: (body: unknown) => boolean;
}

interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

const TERMINAL = ['fatal_error', 'ended', 'data_deleted'];
const CREATE_FIELDS = new Set([
  'meeting_url',
  'bot_name',
  'join_at',
  'deduplication_key',
  'metadata',
  'transcription_settings',
  'recording_settings',
  'automatic_leave_settings',
  'webhooks',
  'bot_image',
  'bot_chat_message',
  'callback_settings',
]);
const PATCH_FIELDS = new Set(['join_at', 'meeting_url', 'bot_name', 'recording_settings', 'metadata']);
const SCHEDULED_ONLY = ['join_at', 'meeting_url', 'bot_name', 'recording_settings'];
const DUPLICATE_MESSAGE =
  'Deduplication key already in use. A bot in a non-terminal state with this deduplication key already exists.';

function normalizeMeetingUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const zoom = url.pathname.match(/^\/(?:j|w|s|wc\/join|wc)\/(\d{9,11})/);
  if (/(^|\.)zoom\.(us|com)$/.test(host) && zoom) {
    const pwd = url.searchParams.get('pwd');
    return `https://${host}/j/${zoom[1]}${pwd ? `?pwd=${encodeURIComponent(pwd)}` : ''}`;
  }
  const meet = url.pathname.match(/^\/([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/);
  if (host === 'meet.google.com' && meet) return `https://meet.google.com/${meet[1]}`;
  if (
    ['teams.microsoft.com', 'teams.live.com'].includes(host) &&
    /^\/(l\/meetup-join|meet)\//.test(url.pathname)
  ) {
    return url.toString();
  }
  return undefined;
}

function validateMetadata(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'Metadata must be an object';
  const entries = Object.entries(value);
  if (entries.length === 0) return 'Metadata must have at least one key';
  if (entries.some(([, item]) => typeof item !== 'string')) return 'Metadata values must be strings';
  if (JSON.stringify(value).length > 1000) return 'Metadata must be at most 1000 characters';
  return undefined;
}

function validateJoinAt(value: unknown, now: number): string | undefined {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    return 'join_at must be an ISO 8601 datetime';
  const at = Date.parse(value);
  if (at < now) return 'join_at cannot be in the past';
  if (at - now >= 3 * 365 * 24 * 3600 * 1000) return 'join_at must be less than 3 years in the future';
  return undefined;
}

function validateBotName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return 'This field is required.';
  if (value.length > 255) return 'Ensure this field has no more than 255 characters.';
  if ([...value].some((char) => char.codePointAt(0)! > 0xffff)) return 'Bot name cannot contain emojis';
  return undefined;
}

/** Signs a webhook body as Attendee does (Python's sorted, compact json.dumps), written apart from the app's own. */
export function attendeeSignature(secretBase64: string, body: unknown): string {
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value && typeof value === 'object') {
      const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
    }
    return JSON.stringify(value);
  };
  return createHmac('sha256', Buffer.from(secretBase64, 'base64'))
    .update(canonical(body), 'utf8')
    .digest('base64');
}

export interface FakeAttendee {
  /** `http://127.0.0.1:<port>/api/v1` */
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  bots: Map<string, FakeBot>;
  requests: RecordedRequest[];
  inject(injection: Injection): void;
  setState(id: string, state: string): void;
  /** A signed `bot.state_change` webhook for a bot, as Attendee would deliver it. */
  stateChangeWebhook(
    id: string,
    newState: string,
    options?: { idempotencyKey?: string; createdAt?: string },
  ): { body: Record<string, unknown>; signature: string };
  createRequests(): RecordedRequest[];
  reset(): void;
  stop(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeAttendee(
  options: { apiKey?: string; webhookSecret?: string; autoStage?: boolean } = {},
): Promise<FakeAttendee> {
  const apiKey = options.apiKey ?? `key_${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? randomBytes(32).toString('base64');
  const bots = new Map<string, FakeBot>();
  const requests: RecordedRequest[] = [];
  let injections: Injection[] = [];

  // About five minutes before join_at Attendee stages a scheduled bot; after that it can no longer be deleted.
  function refresh(bot: FakeBot) {
    if (options.autoStage === false || bot.state !== 'scheduled' || !bot.join_at) return;
    if (Date.parse(bot.join_at) - Date.now() <= 5 * 60_000) bot.state = 'staged';
  }

  function view(bot: FakeBot) {
    refresh(bot);
    const { request: _request, bot_name: _name, ...rest } = bot;
    return { ...rest, events: [], transcription_state: 'not_started', recording_state: 'not_started' };
  }

  function create(body: Record<string, unknown>): [number, unknown] {
    const unknown = Object.keys(body).filter((key) => !CREATE_FIELDS.has(key));
    if (unknown.length) return [400, { non_field_errors: [`Unexpected field(s): ${unknown.join(', ')}`] }];
    const errors: Record<string, string[]> = {};
    const meetingUrl = normalizeMeetingUrl(body.meeting_url);
    if (body.meeting_url === undefined) errors.meeting_url = ['This field is required.'];
    else if (!meetingUrl) errors.meeting_url = ['Invalid meeting URL'];
    const nameError = validateBotName(body.bot_name);
    if (nameError) errors.bot_name = [nameError];
    if (body.join_at !== undefined) {
      const error = validateJoinAt(body.join_at, Date.now());
      if (error) errors.join_at = [error];
    }
    if (body.metadata !== undefined) {
      const error = validateMetadata(body.metadata);
      if (error) errors.metadata = [error];
    }
    const key = body.deduplication_key;
    if (key !== undefined && (typeof key !== 'string' || key.length > 1024)) {
      errors.deduplication_key = ['Ensure this field has no more than 1024 characters.'];
    }
    for (const field of ['transcription_settings', 'recording_settings', 'automatic_leave_settings']) {
      const value = body[field];
      if (value !== undefined && (!value || typeof value !== 'object' || Array.isArray(value))) {
        errors[field] = ['Must be an object'];
      }
    }
    const leave = body.automatic_leave_settings as Record<string, unknown> | undefined;
    if (leave && Object.values(leave).some((value) => !Number.isInteger(value) || (value as number) <= 0)) {
      errors.automatic_leave_settings = ['Values must be positive integers'];
    }
    if (Object.keys(errors).length) return [400, errors];
    if (
      typeof key === 'string' &&
      [...bots.values()].some((bot) => bot.deduplication_key === key && !TERMINAL.includes(bot.state))
    ) {
      return [400, { error: DUPLICATE_MESSAGE }];
    }
    const id = `bot_${randomBytes(12)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, 'x')
      .slice(0, 16)}`;
    const bot: FakeBot = {
      id,
      meeting_url: meetingUrl!,
      bot_name: body.bot_name as string,
      state: body.join_at ? 'scheduled' : 'joining',
      join_at: (body.join_at as string | undefined) ?? null,
      deduplication_key: (key as string | undefined) ?? null,
      metadata: (body.metadata as Record<string, string> | undefined) ?? null,
      created_at: new Date().toISOString(),
      request: body,
    };
    bots.set(id, bot);
    return [201, view(bot)];
  }

  function patch(bot: FakeBot, body: Record<string, unknown>): [number, unknown] {
    refresh(bot);
    const unknown = Object.keys(body).filter((key) => !PATCH_FIELDS.has(key));
    if (unknown.length) return [400, { non_field_errors: [`Unexpected field(s): ${unknown.join(', ')}`] }];
    const restricted = Object.keys(body).filter((key) => SCHEDULED_ONLY.includes(key));
    if (restricted.length && bot.state !== 'scheduled') {
      return [
        400,
        { error: `Bot is in state ${bot.state}; ${restricted.join(', ')} can only change while scheduled` },
      ];
    }
    if (body.join_at !== undefined) {
      const error = validateJoinAt(body.join_at, Date.now());
      if (error) return [400, { join_at: [error] }];
    }
    if (body.meeting_url !== undefined && !normalizeMeetingUrl(body.meeting_url)) {
      return [400, { meeting_url: ['Invalid meeting URL'] }];
    }
    if (body.metadata !== undefined) {
      const error = validateMetadata(body.metadata);
      if (error) return [400, { metadata: [error] }];
    }
    if (body.join_at !== undefined) bot.join_at = body.join_at as string;
    if (body.meeting_url !== undefined) bot.meeting_url = normalizeMeetingUrl(body.meeting_url)!;
    if (body.bot_name !== undefined) bot.bot_name = body.bot_name as string;
    if (body.metadata !== undefined) bot.metadata = body.metadata as Record<string, string>;
    return [200, view(bot)];
  }

  function route(method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] {
    if (path === '/bots' && method === 'POST') {
      if (!body || typeof body !== 'object' || Array.isArray(body))
        return [400, { error: 'Expected an object' }];
      return create(body as Record<string, unknown>);
    }
    if (path === '/bots' && method === 'GET') {
      const states = query.get('states')?.split(',');
      const results = [...bots.values()]
        .map((bot) => view(bot))
        .filter(
          (bot) =>
            !query.has('deduplication_key') || bot.deduplication_key === query.get('deduplication_key'),
        )
        .filter((bot) => !query.has('meeting_url') || bot.meeting_url === query.get('meeting_url'))
        .filter((bot) => !states || states.includes(bot.state));
      return [200, { next: null, previous: null, results: results.slice(0, 25) }];
    }
    const match = path.match(/^\/bots\/([^/]+)$/);
    const bot = match ? bots.get(decodeURIComponent(match[1]!)) : undefined;
    if (match && !bot) return [404, { error: 'Bot not found' }];
    if (bot && method === 'GET') return [200, view(bot)];
    if (bot && method === 'PATCH') {
      if (!body || typeof body !== 'object') return [400, { error: 'Expected an object' }];
      return patch(bot, body as Record<string, unknown>);
    }
    if (bot && method === 'DELETE') {
      refresh(bot);
      if (bot.state !== 'scheduled')
        return [400, { error: `Bot is in state ${bot.state} and cannot be deleted` }];
      bots.delete(bot.id);
      return [200, undefined];
    }
    return [match ? 405 : 404, { detail: 'Not found.' }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const respond = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method, path, authorization: req.headers.authorization, body: parsed, status });
      res.writeHead(status, {
        ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    let parsed: unknown;
    if (raw) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        return respond(400, { error: 'JSON parse error' });
      }
    }
    if (!url.pathname.startsWith('/api/v1/') || url.pathname.endsWith('/'))
      return respond(404, { detail: 'Not found.' });
    if (req.headers.authorization !== `Token ${apiKey}`) {
      return respond(401, { detail: 'Invalid token.' });
    }
    const injection = injections.find(
      (item) =>
        (!item.method || item.method === method) &&
        (!item.path || item.path.test(path)) &&
        (!item.when || item.when(parsed)),
    );
    if (injection) {
      injection.times = (injection.times ?? 1) - 1;
      if (injection.times <= 0) injections = injections.filter((item) => item !== injection);
      if (injection.delayMs) await new Promise((resolve) => setTimeout(resolve, injection.delayMs));
      if (res.destroyed) return;
      return respond(injection.status, injection.body ?? { error: 'Injected failure' }, injection.headers);
    }
    const [status, payload] = route(method, path, url.searchParams, parsed);
    respond(status, payload);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(error) }));
    });
  });
  const port = await listenOnFreePort(server);

  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    apiKey,
    webhookSecret,
    bots,
    requests,
    inject: (injection) => {
      injections.push({ ...injection });
    },
    setState(id, state) {
      const bot = bots.get(id);
      if (!bot) throw new Error(`no bot ${id}`);
      bot.state = state;
    },
    stateChangeWebhook(id, newState, webhookOptions = {}) {
      const bot = bots.get(id);
      const oldState = bot?.state ?? 'scheduled';
      if (bot) bot.state = newState;
      const body = {
        idempotency_key: webhookOptions.idempotencyKey ?? randomBytes(16).toString('hex'),
        bot_id: id,
        bot_metadata: bot?.metadata ?? null,
        trigger: 'bot.state_change',
        data: {
          event_type: newState,
          event_sub_type: null,
          event_metadata: {},
          old_state: oldState,
          new_state: newState,
          created_at: webhookOptions.createdAt ?? new Date().toISOString(),
        },
      };
      return { body, signature: attendeeSignature(webhookSecret, body) };
    },
    createRequests: () => requests.filter((request) => request.method === 'POST' && request.path === '/bots'),
    reset() {
      bots.clear();
      requests.length = 0;
      injections = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
