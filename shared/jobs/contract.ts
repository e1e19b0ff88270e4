import type { z } from 'zod';
import { InvalidJobPayloadError } from './errors.ts';

/** A queue and the zod schema of its payload: what senders validate before sending and handlers after fetching. */
export interface JobContract<T> {
  readonly queue: string;
  readonly schema: z.ZodType<T>;
}

/** Declares the payload contract of a queue. */
export function defineJob<S extends z.ZodType>(queue: string, schema: S): JobContract<z.infer<S>> {
  return { queue, schema: schema as z.ZodType<z.infer<S>> };
}

/** Validates `data` against the contract, throwing InvalidJobPayloadError (never retried) when it does not fit. */
export function parsePayload<T>(contract: JobContract<T>, data: unknown): T {
  const parsed = contract.schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new InvalidJobPayloadError(
    contract.queue,
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
