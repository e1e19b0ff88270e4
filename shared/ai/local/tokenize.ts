// Word and sentence segmentation with character offsets into the original text.

export interface Token {
  /** Lower-cased surface form. */
  word: string;
  start: number;
  end: number;
}

export interface Span {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*\.?|[!?]/gu;
// A trailing period belongs to the word only for dotted abbreviations such as "U.S." or "e.g.".
const DOTTED = /^(?:\p{L}\.)+$/u;

/** Lower-cased word tokens (and `!`/`?` marks) with their offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    let surface = match[0];
    if (surface.length > 1 && surface.endsWith('.') && !DOTTED.test(surface)) surface = surface.slice(0, -1);
    const start = match.index;
    tokens.push({ word: surface.toLowerCase().replaceAll('’', "'"), start, end: start + surface.length });
  }
  return tokens;
}

const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof sr jr st inc corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec vs etc no fig gen gov sen rep'.split(
    ' ',
  ),
);

function endsSentence(text: string, end: number): boolean {
  const before = /([\p{L}.]+)[.]$/u.exec(text.slice(Math.max(0, end - 12), end));
  if (before) {
    const word = before[1]!.toLowerCase();
    if (ABBREVIATIONS.has(word) || DOTTED.test(`${word}.`)) return false;
  }
  return true;
}

/** Sentences (and lines) with offsets; whitespace around each is excluded. */
export function sentences(text: string): Span[] {
  const spans: Span[] = [];
  const boundary = /[.!?]+["')\]]*(?=\s+|$)|\n+/g;
  let from = 0;
  const push = (end: number) => {
    const slice = text.slice(from, end);
    const lead = slice.length - slice.trimStart().length;
    const body = slice.trim();
    if (/[\p{L}\p{N}]/u.test(body))
      spans.push({ text: body, start: from + lead, end: from + lead + body.length });
    from = end;
  };
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].length;
    if (match[0].startsWith('\n')) push(match.index);
    else if (endsSentence(text, end)) push(end);
  }
  push(text.length);
  return spans;
}
