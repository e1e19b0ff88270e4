// PII detection and redaction (Comprehend's DetectPiiEntities and its two redaction modes), offline: emails,
// phone numbers, payment cards (Luhn), IBANs (ibantools: country length and mod-97 check), national identifiers in
// common formats with their checks (US SSN, UK National Insurance number, Spanish DNI/NIE), IP addresses
// (ipaddr.js) and person names (the entity extractor's people). Offsets index the input string.
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { extractEntities } from './entities.ts';

export const PiiTypeSchema = z.enum([
  'email',
  'phone',
  'card',
  'iban',
  'national_id',
  'ip_address',
  'person',
]);
export type PiiType = z.infer<typeof PiiTypeSchema>;
export const PII_TYPES = PiiTypeSchema.options;

export const PiiEntitySchema = z.object({
  type: PiiTypeSchema,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type PiiEntity = z.infer<typeof PiiEntitySchema>;

export type RedactionMode = 'mask' | 'replace';

export interface Redaction {
  text: string;
  entities: PiiEntity[];
  /** Mentions found per type (every type present, 0 when none): what may be logged, never the values. */
  counts: Record<PiiType, number>;
}

const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)*\.[A-Za-z]{2,}\b/g;
// Digits in groups split by spaces, dots, dashes or a parenthesised area code; 7 to 15 digits in all.
const PHONE =
  /(?<![\w+.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,8}){1,4}(?![\w-]|\.\d)|(?<![\w+])\+\d{7,15}\b/g;
/** Words shortly before an ungrouped number that say it is a phone number ("call the office at 030 1234567"). */
const PHONE_CUE =
  /\b(?:phone|tel|telephone|mobile|cell|call|ring|text|whatsapp|fax|number|reach|dial|contact)\b(?:\W+\w+){0,3}\W*$/i;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z\d]){11,30}\b/g;
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
const NINO = /\b(?![DFIQUV])[A-Z](?![DFIOQUV])[A-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const DNI = /\b(?:\d{8}|[XYZ]\d{7})-?[A-Z]\b/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g;
const IPV6 = /(?<![\w:])(?:[\dA-Fa-f]{0,4}:){2,7}[\dA-Fa-f]{0,4}(?![\w:])/g;

const digits = (s: string) => s.replace(/\D/g, '');

function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card numbers are 13-19 digits with a Luhn check and an issuer prefix (Visa, Mastercard, Amex, ...). */
function isCard(raw: string): boolean {
  const n = digits(raw);
  if (n.length < 13 || n.length > 19 || !/^[2-6]/.test(n)) return false;
  // Groups, when present, are the usual 4s (Amex 4-6-5): not a phone number or an id that passes Luhn by chance.
  if (/[ -]/.test(raw) && !/^\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?$|^\d{4}[ -]\d{6}[ -]\d{5}$/.test(raw)) {
    return false;
  }
  return luhnValid(n);
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
function isDni(raw: string): boolean {
  const s = raw.replace('-', '');
  const number = Number(s.slice(0, -1).replace(/^X/, '0').replace(/^Y/, '1').replace(/^Z/, '2'));
  return DNI_LETTERS[number % 23] === s.at(-1);
}

function isPhone(raw: string, text: string, start: number): boolean {
  const n = digits(raw);
  if (n.length < 7 || n.length > 15) return false;
  // Dates, times and version numbers read like digit groups: 2024-05-01, 12.03.2024, 1.2.3.
  if (/^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(raw)) return false;
  const grouped = raw.startsWith('+') || raw.includes('(') || (raw.match(/[\s.-]/g) ?? []).length >= 2;
  return grouped || PHONE_CUE.test(text.slice(Math.max(0, start - 40), start));
}

interface Candidate extends PiiEntity {
  priority: number;
}

function matches(
  text: string,
  pattern: RegExp,
  type: PiiType,
  priority: number,
  valid: (raw: string, start: number) => boolean,
): Candidate[] {
  return [...text.matchAll(pattern)]
    .filter((m) => valid(m[0], m.index))
    .map((m) => ({ type, start: m.index, end: m.index + m[0].length, priority }));
}

/** PII mentions, earliest first, not overlapping (the longer, then the more specific type wins). */
export function detectPii(text: string, types: readonly PiiType[] = PII_TYPES): PiiEntity[] {
  const wanted = new Set(types);
  const candidates: Candidate[] = [
    ...matches(text, IBAN, 'iban', 0, (raw) => isValidIBAN(electronicFormatIBAN(raw) ?? '')),
    ...matches(text, CARD, 'card', 1, isCard),
    ...matches(text, SSN, 'national_id', 2, () => true),
    ...matches(text, NINO, 'national_id', 2, () => true),
    ...matches(text, DNI, 'national_id', 2, isDni),
    ...matches(text, EMAIL, 'email', 3, () => true),
    ...matches(text, IPV4, 'ip_address', 4, (raw) => ipaddr.IPv4.isValidFourPartDecimal(raw)),
    ...matches(
      text,
      IPV6,
      'ip_address',
      4,
      (raw) => raw.includes('::') || raw.split(':').length === 8,
    ).filter((c) => ipaddr.IPv6.isValid(text.slice(c.start, c.end))),
    ...matches(text, PHONE, 'phone', 5, (raw, start) => isPhone(raw, text, start)),
  ];
  if (wanted.has('person')) {
    for (const e of extractEntities(text)) {
      if (e.type === 'person') candidates.push({ type: 'person', start: e.start, end: e.end, priority: 6 });
    }
  }
  // A valid IBAN, card or id wins over the phone number or person its digits or letters also look like.
  candidates.sort((a, b) => a.priority - b.priority || b.end - b.start - (a.end - a.start));
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept
    .filter((c) => wanted.has(c.type))
    .sort((a, b) => a.start - b.start)
    .map(({ type, start, end }) => ({ type, start, end }));
}

const placeholder = (type: PiiType) => `[${type.toUpperCase()}]`;

/** Counts per type, every type present. */
export function countByType(entities: readonly PiiEntity[]): Record<PiiType, number> {
  const counts = Object.fromEntries(PII_TYPES.map((t) => [t, 0])) as Record<PiiType, number>;
  for (const e of entities) counts[e.type]++;
  return counts;
}

/**
 * The text with its PII replaced: `mask` puts the mask character in place of every character of a mention
 * (the redacted text is as long as the input), `replace` puts the type in brackets
 * (`[EMAIL]`), Comprehend's REPLACE_WITH_PII_ENTITY_TYPE.
 */
export function redactPii(
  text: string,
  options: { mode?: RedactionMode; maskCharacter?: string; types?: readonly PiiType[] } = {},
): Redaction {
  const mode = options.mode ?? 'replace';
  const mask = options.maskCharacter ?? '*';
  const entities = detectPii(text, options.types);
  let out = '';
  let cursor = 0;
  for (const e of entities) {
    out += text.slice(cursor, e.start);
    out += mode === 'mask' ? mask.repeat(e.end - e.start) : placeholder(e.type);
    cursor = e.end;
  }
  out += text.slice(cursor);
  return { text: out, entities, counts: countByType(entities) };
}
