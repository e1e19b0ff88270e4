// Redaction before an external provider (the user's `redact_pii_before_provider` setting): PII in what a call
// would send is masked character for character, so offsets the provider's answer refers to stay those of the
// caller's text; the log line says how many of each type were masked, never what.
import type { Logger } from '../http/logger.ts';
import { countByType, type PiiEntity, type PiiType, redactPii } from './local/pii.ts';

/** Masks the PII of the given texts; `counts` adds up over all of them. */
export function maskTexts<T extends readonly string[]>(
  texts: T,
): { texts: { [K in keyof T]: string }; counts: Record<PiiType, number>; total: number } {
  const entities: PiiEntity[] = [];
  const masked = texts.map((text) => {
    const redaction = redactPii(text, { mode: 'mask', maskCharacter: '*' });
    entities.push(...redaction.entities);
    return redaction.text;
  });
  return {
    texts: masked as unknown as { [K in keyof T]: string },
    counts: countByType(entities),
    total: entities.length,
  };
}

/**
 * Masks, character for character, every word (two letters or more) of the given speaker names wherever it stands
 * as a word in the text: names a transcript's labels give away, whether or not the PII detector knows them.
 */
export function maskSpeakers(text: string, names: readonly string[]): { text: string; count: number } {
  const words = [...new Set(names.flatMap((name) => name.split(/\s+/)))].filter((w) =>
    /\p{L}.*\p{L}/u.test(w),
  );
  if (words.length === 0) return { text, count: 0 };
  const escaped = words
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  let count = 0;
  const masked = text.replace(
    new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'gu'),
    (word) => {
      count++;
      return '*'.repeat(word.length);
    },
  );
  return { text: masked, count };
}

export function logRedaction(
  logger: Logger,
  fields: { operation: string; provider: string; requestId?: string; counts: Record<PiiType, number> },
) {
  logger.info('pii masked before provider', fields);
}
