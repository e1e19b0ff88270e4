import type { ZodError } from 'zod';
import { formatIssues } from '../../http/error-handler.ts';
import { badRequest } from '../../http/errors.ts';

/** Rejects invalid input with a message that names every problem (`documents.3.text: the text is empty`). */
export function namingHook(what: string) {
  return (result: { success: boolean; error?: unknown; target: string }): undefined => {
    if (result.success) return undefined;
    const issues = formatIssues(result.error as ZodError);
    const summary = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    throw badRequest(
      `Invalid ${result.target === 'json' ? what : result.target}: ${summary.join('; ')}`,
      issues,
    );
  };
}
