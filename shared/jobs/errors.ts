import { NonRetriableError } from '../http/retry.ts';

/** A job payload that does not match its queue's schema, at send or at handling: never retried. */
export class InvalidJobPayloadError extends NonRetriableError {
  readonly queue: string;
  readonly issues: Array<{ path: string; message: string }>;

  constructor(queue: string, issues: Array<{ path: string; message: string }>) {
    super(
      `Invalid payload for queue ${queue}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidJobPayloadError';
    this.queue = queue;
    this.issues = issues;
  }
}
