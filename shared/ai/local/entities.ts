// Entity extraction: regular expressions for fixed forms (email, URL, money, percent, phone, date), the
// gazetteer (./gazetteer.ts) for organizations, products and places, rules for company suffixes ("Globex
// Corp") and transcript speakers ("Dana: ..."), and the compromise tagger's lexicon and rules for people,
// organizations and places. Offsets index the input string.
import nlp from 'compromise/two';
import type { Entity, EntityType } from '../types.ts';
import { gazetteerMatches } from './gazetteer.ts';
import { ENTITY_PATTERNS } from './patterns.ts';

/** Overlaps of equal length go to the lower priority: patterns, then the gazetteer, rules, compromise. */
const GAZETTEER_PRIORITY = ENTITY_PATTERNS.length;
const RULE_PRIORITY = GAZETTEER_PRIORITY + 1;
const TAGGER_PRIORITY = RULE_PRIORITY + 1;

const NAME = "\\p{Lu}[\\p{L}\\p{N}&'’-]*";
/** One to three capitalised words and a company-form word: "Globex Corp", "Wayfield Logistics Ltd". */
const COMPANY_FORM = new RegExp(
  `(?<![\\p{L}\\p{N}])(?!The\\s)(?:${NAME}\\s){1,3}(?:Inc|Corp|Corporation|Co|Ltd|LLC|GmbH|plc|PLC|AG|SA|NV|BV|Holdings|Group|Systems|Technologies|Labs|Partners|Traders|Logistics|Motors|Industries|Bank|Capital|Ventures|Solutions|Software)\\b`,
  'gu',
);
/** A transcript speaker: one to three capitalised words and a colon at the start of a line. */
const SPEAKER = new RegExp(`^[ \\t]*(${NAME}(?: ${NAME}){0,2}):`, 'gmu');

/** Titles compromise takes into a person's name ("President Emmanuel Macron"): the name is what follows. */
const TITLE =
  /^(?:(?:Prime |Foreign |Finance )?Minister|President|Vice President|Chancellor|Senator|Governor|Mayor|Judge|Chairman|Chairwoman|Chair|CEO|CFO|CTO|COO|Director|King|Queen|Prince|Princess|Pope)\s+/;

const TAGGED: [tag: string, type: EntityType][] = [
  ['Person', 'person'],
  ['Organization', 'organization'],
  ['Place', 'place'],
];
const ABBREVIATED_SUFFIX = /^(?:inc|corp|co|ltd|jr|sr|st|bros|plc)$/i;
const HONORIFIC = /^(?:mr|mrs|ms|dr|prof|sen|gov|gen|rep|st|sgt|capt|lt|col|rev)$/i;

interface Candidate extends Entity {
  priority: number;
}

function patternEntities(text: string): Candidate[] {
  return ENTITY_PATTERNS.flatMap(({ type, pattern }, priority) =>
    [...text.matchAll(pattern)].map((m) => ({
      text: m[0],
      type,
      start: m.index,
      end: m.index + m[0].length,
      priority,
    })),
  );
}

function gazetteerEntities(text: string): Candidate[] {
  return gazetteerMatches(text).map((m) => ({
    text: text.slice(m.start, m.end),
    type: m.type,
    start: m.start,
    end: m.end,
    priority: GAZETTEER_PRIORITY,
  }));
}

function ruleEntities(text: string): Candidate[] {
  const companies = [...text.matchAll(COMPANY_FORM)].map((m) => ({
    text: m[0],
    type: 'organization' as const,
    start: m.index,
    end: m.index + m[0].length,
    priority: RULE_PRIORITY,
  }));
  const speakers = [...text.matchAll(SPEAKER)].map((m) => {
    const start = m.index + m[0].indexOf(m[1]!);
    return {
      text: m[1]!,
      type: 'person' as const,
      start,
      end: start + m[1]!.length,
      priority: RULE_PRIORITY,
    };
  });
  return [...companies, ...speakers];
}

interface Term {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
}

/** People, organizations and places from compromise, grouped over adjacent terms of the same type. */
function taggedEntities(text: string): Candidate[] {
  const found: Candidate[] = [];
  const document = (nlp(text) as unknown as { document: Term[][] }).document;
  let cursor = 0;
  let previous = '';
  // Held in an object so that TypeScript does not narrow it across the calls to close().
  const open: { current: Candidate | null } = { current: null };
  const close = () => {
    if (open.current) found.push(open.current);
    open.current = null;
  };
  for (const sentence of document) {
    for (const term of sentence) {
      // compromise keeps pre/post whitespace and punctuation, so the text is their concatenation; search
      // forward anyway in case it normalised something.
      let start = cursor + term.pre.length;
      if (text.slice(start, start + term.text.length) !== term.text) start = text.indexOf(term.text, cursor);
      if (start < 0 || !term.text) continue;
      const end = start + term.text.length;
      cursor = end;
      const type = TAGGED.find(([tag]) => term.tags.has(tag))?.[1];
      const current = open.current;
      const gap = current ? text.slice(current.end, start) : '';
      const joined = /^\s+$/.test(gap) || (HONORIFIC.test(previous) && /^\.\s+$/.test(gap));
      previous = term.text;
      if (type && current?.type === type && joined) current.end = end;
      else {
        close();
        if (type) open.current = { text: '', type, start, end, priority: TAGGER_PRIORITY };
      }
      if (open.current && ABBREVIATED_SUFFIX.test(term.text) && text[end] === '.') open.current.end = end + 1;
      if (!/^\s*$/.test(term.post.replace(/^\./, ''))) close();
    }
    close();
  }
  return found.map((e) => {
    let start = e.start;
    let mention = text.slice(e.start, e.end).replace(/['’]s$/, '');
    const title = e.type === 'person' ? TITLE.exec(mention) : null;
    if (title && title[0].length < mention.length) {
      start += title[0].length;
      mention = mention.slice(title[0].length);
    }
    return { ...e, text: mention, start, end: start + mention.length };
  });
}

/** Entities with exact offsets, earliest first; overlaps go to the longer (then regex-typed) mention. */
export function extractEntities(text: string): Entity[] {
  const candidates = [
    ...patternEntities(text),
    ...gazetteerEntities(text),
    ...ruleEntities(text),
    ...taggedEntities(text),
  ]
    .filter((e) => e.end > e.start && /[\p{L}\p{N}]/u.test(e.text))
    .sort((a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority);
  const gazetteer = candidates.filter((c) => c.priority === GAZETTEER_PRIORITY);
  const kept: Candidate[] = [];
  for (const c of candidates) {
    // compromise's "Austin office" or "Osaka team" is not an organization around a place the gazetteer knows
    // (a longer tagged name of the gazetteer's own type, "Acme Corp.", is kept);
    // a first name the tagger knows ("Dana") beats a company of the same name.
    const known = gazetteer.find((g) => c.start < g.end && c.end > g.start && g.type !== c.type);
    if (c.priority === TAGGER_PRIORITY && known && c.type !== 'person') continue;
    // A transcript speaker ("Julia: ...") is a person whatever else the name could be.
    const person = (t: Candidate) =>
      (t.priority === TAGGER_PRIORITY || t.priority === RULE_PRIORITY) &&
      t.type === 'person' &&
      t.start === c.start &&
      t.end === c.end;
    if (c.priority === GAZETTEER_PRIORITY && candidates.some(person)) continue;
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept
    .sort((a, b) => a.start - b.start)
    .map(({ text, type, start, end }) => ({ text, type, start, end }));
}
