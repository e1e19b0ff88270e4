// Entity extraction: regular expressions for fixed forms (email, URL, money, percent, phone, date) and the
// compromise tagger's lexicon and rules for people, organizations and places. Offsets index the input string.
import nlp from 'compromise/two';
import type { Entity, EntityType } from '../types.ts';
import { ENTITY_PATTERNS } from './patterns.ts';

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
        if (type) open.current = { text: '', type, start, end, priority: ENTITY_PATTERNS.length };
      }
      if (open.current && ABBREVIATED_SUFFIX.test(term.text) && text[end] === '.') open.current.end = end + 1;
      if (!/^\s*$/.test(term.post.replace(/^\./, ''))) close();
    }
    close();
  }
  return found.map((e) => {
    const trimmed = text.slice(e.start, e.end).replace(/['’]s$/, '');
    return { ...e, text: trimmed, end: e.start + trimmed.length };
  });
}

/** Entities with exact offsets, earliest first; overlaps go to the longer (then regex-typed) mention. */
export function extractEntities(text: string): Entity[] {
  const candidates = [...patternEntities(text), ...taggedEntities(text)]
    .filter((e) => e.end > e.start && /[\p{L}\p{N}]/u.test(e.text))
    .sort((a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority);
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept
    .sort((a, b) => a.start - b.start)
    .map(({ text, type, start, end }) => ({ text, type, start, end }));
}
