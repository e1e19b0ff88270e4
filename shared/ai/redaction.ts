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

export function logRedaction(
  logger: Logger,
  fields: { operation: string; provider: string; requestId?: string; counts: Record<PiiType, number> },
) {
  logger.info('pii masked before provider', fields);
}
