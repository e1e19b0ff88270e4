// Regular expressions for the entity types with a fixed surface form.
import type { EntityType } from '../types.ts';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const WEEKDAY = '(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day';
const SCALE = '(?:\\s?(?:thousand|million|billion|trillion|bn|mn|[kKmMbB])\\b)?';
const AMOUNT = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?';

/** Patterns in priority order: an earlier pattern wins an overlap with a later one of equal length. */
export const ENTITY_PATTERNS: { type: EntityType; pattern: RegExp }[] = [
  { type: 'email', pattern: /\b[\w.%+-]+@[A-Za-z\d.-]+\.[A-Za-z]{2,}\b/g },
  { type: 'url', pattern: /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+[^\s<>"'()[\]{}.,;:!?]/g },
  {
    type: 'money',
    pattern: new RegExp(
      `(?:(?:US|C|A|NZ|HK)?[$€£¥]|\\b(?:USD|EUR|GBP|JPY|CHF|CAD|AUD)\\s?)(?:${AMOUNT})${SCALE}|\\b(?:${AMOUNT})${SCALE}\\s?(?:dollars?|euros?|pounds? sterling|pounds|yen|cents?|USD|EUR|GBP)\\b`,
      'gi',
    ),
  },
  { type: 'percent', pattern: new RegExp(`(?:${AMOUNT})\\s?(?:%|per ?cent\\b)`, 'gi') },
  {
    type: 'phone',
    pattern:
      /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\w-])|\+\d{7,14}\b/g,
  },
  {
    type: 'date',
    pattern: new RegExp(
      [
        '\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2})?(?:Z|[+-]\\d{2}:?\\d{2})?)?\\b',
        '\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b',
        `\\b${MONTH}\\s\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s\\d{4})?\\b`,
        `\\b\\d{1,2}(?:st|nd|rd|th)?\\s(?:of\\s)?${MONTH}(?:,?\\s\\d{4})?\\b`,
        `\\b${MONTH}\\s\\d{4}\\b`,
        `\\b(?:(?:next|last|this)\\s)?${WEEKDAY}\\b`,
        '\\b(?:today|tomorrow|yesterday|tonight)\\b',
        '\\b(?:next|last|this)\\s(?:week|month|quarter|year)\\b',
        '\\b[Qq][1-4]\\s\\d{4}\\b',
        '\\b(?:19|20)\\d{2}\\b',
      ].join('|'),
      'g',
    ),
  },
];
