// A fake OpenAI chat-completions server on loopback, so the real `openai` SDK is exercised over HTTP. Each test
// scripts its replies (content, status codes, headers, delays, broken JSON); unscripted requests get the default
// responder's answer. Every request is recorded with the time it arrived.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from './ports.ts';

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Hold the answer this long (for client timeouts). */
  delayMs?: number;
  /** The assistant message's content: an object is sent as JSON text, a string as it is. */
  content?: unknown;
  /** A raw body instead of a chat completion (error bodies, or broken JSON). */
  body?: unknown;
  rawBody?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  finishReason?: string;
  refusal?: string;
}

export interface RecordedOpenAiRequest {
  at: number;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  /** `response_format.json_schema.name` of the request, when it asked for structured output. */
  schemaName: string | undefined;
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>/v1`, for OPENAI_BASE_URL. */
  baseUrl: string;
  apiKey: string;
  requests: RecordedOpenAiRequest[];
  /** Queues replies, answered in order before the default responder. */
  script(...replies: FakeReply[]): void;
  /** Replaces the answer to unscripted requests. */
  setDefault(responder: (request: RecordedOpenAiRequest) => FakeReply): void;
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_USAGE: NonNullable<FakeReply['usage']> = { prompt_tokens: 120, completion_tokens: 30 };

function completion(reply: FakeReply, model: string) {
  const content =
    reply.content === undefined || typeof reply.content === 'string'
      ? (reply.content ?? null)
      : JSON.stringify(reply.content);
  const usage = reply.usage ?? DEFAULT_USAGE;
  return {
    id: `chatcmpl-fake${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: reply.refusal ?? null },
        finish_reason: reply.finishReason ?? 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
    },
  };
}

/** Starts the fake on a free loopback port; `respond` answers requests no test scripted. */
export async function startFakeOpenAi(
  respond: (request: RecordedOpenAiRequest) => FakeReply = () => ({ content: {} }),
): Promise<FakeOpenAi> {
  const apiKey = 'sk-test-fake-openai-key-0123456789';
  const requests: RecordedOpenAiRequest[] = [];
  let queue: FakeReply[] = [];
  let responder = respond;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const format = body.response_format as { json_schema?: { name?: string } } | undefined;
    const request: RecordedOpenAiRequest = {
      at: Date.now(),
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      authorization: req.headers.authorization,
      body,
      schemaName: format?.json_schema?.name,
    };
    requests.push(request);
    if (request.authorization !== `Bearer ${apiKey}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }));
      return;
    }
    if (request.path !== '/v1/chat/completions') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Unknown path' } }));
      return;
    }
    const reply = queue.shift() ?? responder(request);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    const text =
      reply.rawBody ??
      JSON.stringify(reply.body ?? (status === 200 ? completion(reply, String(body.model)) : { error: {} }));
    res.writeHead(status, { 'Content-Type': 'application/json', ...reply.headers });
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  const port = await listenOnFreePort(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    script: (...replies) => {
      queue.push(...replies);
    },
    setDefault: (next) => {
      responder = next;
    },
    reset() {
      requests.length = 0;
      queue = [];
      responder = respond;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
