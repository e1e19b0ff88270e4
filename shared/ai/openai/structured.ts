import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { AiError, AiInvalidOutputError, type Usage } from '../errors.ts';
import { type RetryDeps, type RetryPolicy, toAiError, withRetries } from './retry.ts';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export interface StructuredCall<T> {
  /** The schema's name as the model sees it (`response_format.json_schema.name`). */
  name: string;
  schema: z.ZodType<T>;
  system: string;
  user: string;
}

export interface StructuredSettings {
  model: string;
  maxTokens: number;
  /** Compatible servers (Ollama, vLLM, llama.cpp) know `max_tokens`; OpenAI wants `max_completion_tokens`. */
  compatibleServer: boolean;
  retry: RetryPolicy;
  secrets: readonly string[];
}

export interface StructuredResult<T> {
  data: T;
  usage: Usage;
  model: string;
}

// Reasoning models accept only the default temperature.
const FIXED_TEMPERATURE = /^(o\d|gpt-5)/;

function add(total: Usage, usage: OpenAI.CompletionUsage | undefined): Usage {
  return {
    tokensIn: total.tokensIn + (usage?.prompt_tokens ?? 0),
    tokensOut: total.tokensOut + (usage?.completion_tokens ?? 0),
    cachedTokensIn: (total.cachedTokensIn ?? 0) + (usage?.prompt_tokens_details?.cached_tokens ?? 0),
  };
}

type Verdict<T> = { ok: true; data: T } | { ok: false; problem: string; content: string };

function check<T>(schema: z.ZodType<T>, completion: OpenAI.Chat.Completions.ChatCompletion): Verdict<T> {
  const choice = completion.choices?.[0];
  const content = choice?.message?.content ?? '';
  if (choice?.message?.refusal) return { ok: false, problem: 'the model refused', content };
  if (choice?.finish_reason === 'length') return { ok: false, problem: 'the answer was cut off', content };
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, problem: 'the answer is not JSON', content };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return { ok: false, problem: `the answer breaks the schema (${issues.join('; ')})`, content };
}

/**
 * One structured-output call: strict JSON schema from zod, transient failures retried (see `withRetries`),
 * and the answer parsed and validated. An answer that is not valid JSON for the schema is asked for once
 * more, with the problem named; a second bad answer is an `AiInvalidOutputError`. Usage adds up every attempt.
 */
export async function completeStructured<T>(
  client: OpenAI,
  settings: StructuredSettings,
  call: StructuredCall<T>,
  deps: RetryDeps = {},
): Promise<StructuredResult<T>> {
  const messages: ChatMessage[] = [
    { role: 'system', content: call.system },
    { role: 'user', content: call.user },
  ];
  const format = zodResponseFormat(call.schema, call.name);
  let usage: Usage = { tokensIn: 0, tokensOut: 0, cachedTokensIn: 0 };
  let model = settings.model;
  let problem = '';
  for (let round = 0; round < 2; round++) {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await withRetries(
        () =>
          client.chat.completions.create(
            {
              model: settings.model,
              messages,
              response_format: format,
              ...(settings.compatibleServer
                ? { max_tokens: settings.maxTokens }
                : { max_completion_tokens: settings.maxTokens }),
              ...(FIXED_TEMPERATURE.test(settings.model) ? {} : { temperature: 0 }),
            },
            { signal: deps.signal },
          ),
        settings.retry,
        { ...deps, secrets: settings.secrets },
      );
    } catch (error) {
      const failure = error instanceof AiError ? error : toAiError(error, settings.secrets);
      // A body that is not JSON at all comes from a broken proxy or server: a bad answer, asked again once.
      if (failure.reason === 'malformed_response') {
        problem = 'the response body is not JSON';
        continue;
      }
      failure.usage = usage;
      throw failure;
    }
    usage = add(usage, completion.usage);
    model = completion.model || model;
    const verdict = check(call.schema, completion);
    if (verdict.ok) return { data: verdict.data, usage, model: settings.model };
    problem = verdict.problem;
    messages.push(
      { role: 'assistant', content: verdict.content.slice(0, 4_000) },
      {
        role: 'user',
        content: `That answer cannot be used: ${problem}. Answer again with JSON that matches the schema exactly.`,
      },
    );
  }
  throw new AiInvalidOutputError(`${problem} (model ${model})`, usage);
}
