// Evaluation data for the local models: the AG News sample in ../shared/data and the labelled review sentences
// that the npm `sentiment` package ships in its tarball (test/fixtures: UCI "Sentiment Labelled Sentences",
// Amazon and IMDB, 1,000 each).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Category } from '../shared/ai/types.ts';

export interface NewsItem {
  label: number;
  title: string;
  description: string;
}

/** The four AG News classes, described in one line each (written by hand, not mined from the data). */
export const AG_CATEGORIES: Category[] = [
  {
    name: 'World',
    description:
      'World news: international affairs, politics, governments, presidents, elections, war, military, terrorism, diplomacy and disasters around the world',
  },
  {
    name: 'Sports',
    description:
      'Sports: games, matches, teams, players, coaches, leagues, tournaments, championships, the Olympics and scores',
  },
  {
    name: 'Business',
    description:
      'Business: companies, markets, stocks, the economy, trade, earnings, prices, finance, banks, mergers and industry',
  },
  {
    name: 'Sci/Tech',
    description:
      'Science and technology: computers, software, the internet, telecoms, space, research, scientists, health, gadgets and tech companies',
  },
];

const dataDir = new URL('../../shared/data/', import.meta.url);

function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  const pattern = /"((?:[^"]|"")*)"(?:,|$)/g;
  for (const m of line.matchAll(pattern)) fields.push(m[1]!.replaceAll('""', '"'));
  return fields;
}

/** The 581-row AG News sample. A backslash marks a line break in the source ("other\name" is "other name"). */
export function loadAgNews(): NewsItem[] {
  const text = readFileSync(new URL('ag_news_train_sample.csv', dataDir), 'utf8');
  const joinLines = (s: string) => s.replace(/\\+/g, ' ');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [label, title, description] = parseCsvLine(line);
      return { label: Number(label) - 1, title: joinLines(title!), description: joinLines(description!) };
    });
}

/** A news item as one text: the headline on its own line, then the description. */
export function newsText(item: NewsItem): string {
  return `${item.title}\n${item.description}`;
}

export interface LabelledSentence {
  text: string;
  positive: boolean;
  source: string;
}

/** Labelled sentences from the `sentiment` package's published test fixtures. */
export function loadSentimentFixtures(): LabelledSentence[] {
  const require = createRequire(import.meta.url);
  return ['amazon', 'imdb'].flatMap((source) => {
    const rows = JSON.parse(readFileSync(require.resolve(`sentiment/test/fixtures/${source}.json`), 'utf8'));
    return (rows as { text: string; class: number }[]).map((r) => ({
      text: r.text.trim(),
      positive: r.class === 1,
      source,
    }));
  });
}

export interface LabelledDocument {
  text: string;
  positive: boolean;
  source: string;
  /** Sentences of the document's own polarity / of the other polarity. */
  majority: number;
  minority: number;
}

/** mulberry32: a small seeded PRNG, so that the generated documents are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Review-length documents built from the labelled sentences of the `sentiment` package's fixtures (Amazon, IMDB
 * and Yelp, 3,000 sentences): each document takes 6 to 16 sentences of one source, 60-90% of them of the
 * document's polarity and the rest of the other (real reviews concede points), shuffled into paragraphs of 2 to
 * 5 sentences. Sentences are split between `dev` (even index in their fixture) and `test` (odd index), so no
 * sentence of a test document was seen while tuning on dev documents. `balanced` documents have equal numbers
 * of positive and negative sentences: Comprehend's MIXED.
 */
export function loadLongDocuments(split: 'dev' | 'test', kind: 'clear' | 'balanced' = 'clear', count = 400) {
  const require = createRequire(import.meta.url);
  const pools = ['amazon', 'imdb', 'yelp'].map((source) => {
    const rows = JSON.parse(
      readFileSync(require.resolve(`sentiment/test/fixtures/${source}.json`), 'utf8'),
    ) as {
      text: string;
      class: number;
    }[];
    const mine = rows.filter((_, i) => i % 2 === (split === 'dev' ? 0 : 1));
    return {
      source,
      positive: mine.filter((r) => r.class === 1).map((r) => r.text.trim()),
      negative: mine.filter((r) => r.class === 0).map((r) => r.text.trim()),
    };
  });
  const random = seeded((split === 'dev' ? 19 : 1919) + (kind === 'balanced' ? 7 : 0));
  const pick = <T>(list: T[], n: number) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  };
  const documents: LabelledDocument[] = [];
  for (let d = 0; d < count; d++) {
    const pool = pools[d % pools.length]!;
    const positive = d % 2 === 0;
    const length = 6 + Math.floor(random() * 11);
    const majority =
      kind === 'balanced' ? length / 2 : Math.max(Math.ceil(length * (0.6 + 0.3 * random())), length / 2 + 1);
    const own = Math.round(majority);
    const other = length - own;
    const chosen = pick(
      [
        ...pick(positive ? pool.positive : pool.negative, own),
        ...pick(positive ? pool.negative : pool.positive, other),
      ],
      length,
    );
    const paragraphs: string[] = [];
    for (let i = 0; i < chosen.length; ) {
      const size = 2 + Math.floor(random() * 4);
      paragraphs.push(chosen.slice(i, i + size).join(' '));
      i += size;
    }
    documents.push({
      text: paragraphs.join('\n\n'),
      positive,
      source: pool.source,
      majority: own,
      minority: other,
    });
  }
  return documents;
}

export interface AnnotatedText {
  split: 'dev' | 'test';
  text: string;
  /** Mentions in order of appearance: surface text and type. */
  entities: [string, string][];
}

/** Our own annotated entity set (scripts/data/entities-annotated.jsonl): meeting lines, emails and news. */
export function loadAnnotatedEntities(split: 'dev' | 'test'): AnnotatedText[] {
  return readFileSync(new URL('data/entities-annotated.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AnnotatedText)
    .filter((row) => row.split === split);
}

export interface AnnotatedTranscript {
  split: 'dev' | 'test';
  /** `Name: text` lines. */
  transcript: string;
  /** Each speaker's overall sentiment. */
  speakers: Record<string, string>;
  /** Entities spoken of, with the sentiment expressed towards them (over all their mentions). */
  targets: [string, string][];
}

/**
 * Our own annotated transcript snippets (scripts/data/targeted-annotated.jsonl), labelled by hand with each
 * speaker's sentiment and the sentiment towards each entity; written in full before the targeted rules were run on
 * them, the dev half then used to tune, the test half held out.
 */
export function loadAnnotatedTranscripts(split: 'dev' | 'test'): AnnotatedTranscript[] {
  return readFileSync(new URL('data/targeted-annotated.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AnnotatedTranscript)
    .filter((row) => row.split === split);
}

export interface PiiSample {
  text: string;
  /** The PII values in the text, each with its type. */
  pii: { type: string; value: string }[];
}

/**
 * A synthetic PII set: values in the formats people write them (phone numbers of 8 countries with and without
 * country code, cards of Visa/Mastercard/Amex with spaces, dashes or none, IBANs of 6 countries electronic and
 * grouped, IPv4 and IPv6, US SSNs, UK NI numbers, Spanish DNIs, names) in meeting and email sentences, plus decoys
 * with no PII (order numbers, dates, times, amounts, versions, a card number failing Luhn, an IBAN with a wrong
 * check) for false positives. Generated with a fixed seed; the formats come from the issuers' documentation,
 * written down before the detector was run on them.
 */
export function loadPiiSamples(perType = 60): PiiSample[] {
  const random = seeded(1919_19);
  const int = (n: number) => Math.floor(random() * n);
  const d = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const oneOf = <T>(list: T[]) => list[int(list.length)]!;
  const luhnComplete = (prefix: string, length: number) => {
    let body = prefix + d(length - prefix.length - 1);
    for (let c = 0; c < 10; c++) {
      const candidate = body + c;
      let sum = 0;
      for (let i = 0; i < candidate.length; i++) {
        let x = Number(candidate[candidate.length - 1 - i]);
        if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
        sum += x;
      }
      if (sum % 10 === 0) return candidate;
    }
    body = '';
    return body;
  };
  const mod97 = (s: string) => {
    let r = 0;
    for (const ch of s) {
      const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
      for (const digit of v) r = (r * 10 + Number(digit)) % 97;
    }
    return r;
  };
  const iban = (country: string, bban: string) => {
    const check = String(98 - mod97(`${bban}${country}00`)).padStart(2, '0');
    return `${country}${check}${bban}`;
  };
  const letters = (n: number) =>
    Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[int(26)]).join('');
  const generators: Record<string, () => string> = {
    email: () => {
      const user = oneOf(['dana.reyes', 'j_smith+crm', 'SAM.LEE', 'priya2024', 'm.oconnor', 'info']);
      const host = oneOf(['acme.com', 'mail.example.co.uk', 'GLOBEX.ORG', 'sub.initech.io', 'uni-bonn.de']);
      return `${user}@${host}`;
    },
    phone: () =>
      oneOf([
        () => `+1 (${d(3).replace(/^[01]/, '4')}) 555-${d(4)}`,
        () => `${d(3).replace(/^[01]/, '6')}-555-${d(4)}`,
        () => `(${d(3).replace(/^[01]/, '2')}) 555-${d(4)}`,
        () => `${d(3).replace(/^[01]/, '3')}.555.${d(4)}`,
        () => `+44 20 7946 ${d(4)}`,
        () => `020 7946 ${d(4)}`,
        () => `+44 7911 ${d(6)}`,
        () => `07911 ${d(6)}`,
        () => `+49 30 ${d(8)}`,
        () => `030 ${d(8)}`,
        () => `+33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
        () => `01 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
        () => `+61 2 ${d(4)} ${d(4)}`,
        () => `+91 98765 ${d(5)}`,
        () => `+86138${d(8)}`,
        () => `+34 612 ${d(3)} ${d(3)}`,
      ])(),
    card: () => {
      const [prefix, length] = oneOf([
        ['4', 16],
        ['51', 16],
        ['55', 16],
        ['2221', 16],
        ['34', 15],
        ['37', 15],
        ['6011', 16],
      ] as [string, number][]);
      const n = luhnComplete(prefix, length);
      const sep = oneOf([' ', '-', '']);
      return length === 15
        ? [n.slice(0, 4), n.slice(4, 10), n.slice(10)].join(sep)
        : n.match(/.{4}/g)!.join(sep);
    },
    iban: () => {
      const value = oneOf([
        () => iban('DE', d(18)),
        () => iban('GB', `${letters(4)}${d(14)}`),
        () => iban('NL', `${letters(4)}${d(10)}`),
        () =>
          iban(
            'BE',
            (() => {
              const base = d(10);
              const check = String(Number(base) % 97 || 97).padStart(2, '0');
              return base + check;
            })(),
          ),
        () => iban('CH', d(17)),
        () => iban('IE', `${letters(4)}${d(14)}`),
      ])();
      return random() < 0.5 ? value : value.match(/.{1,4}/g)!.join(' ');
    },
    ip_address: () =>
      oneOf([
        () => `${1 + int(223)}.${int(256)}.${int(256)}.${1 + int(254)}`,
        () => `2001:db8:${int(65536).toString(16)}::${int(65536).toString(16)}`,
        () => Array.from({ length: 8 }, () => int(65536).toString(16)).join(':'),
        () => `fe80::${int(65536).toString(16)}:${int(65536).toString(16)}`,
      ])(),
    national_id: () =>
      oneOf([
        () =>
          `${String(1 + int(665)).padStart(3, '0')}-${String(1 + int(98)).padStart(2, '0')}-${String(1 + int(9998)).padStart(4, '0')}`,
        () =>
          `${oneOf(['AB', 'CE', 'JK', 'PR', 'SW', 'TZ'])} ${d(2)} ${d(2)} ${d(2)} ${oneOf(['A', 'B', 'C', 'D'])}`,
        () => {
          const n = d(8);
          return `${n}${'TRWAGMYFPDXBNJZSQVHLCKE'[Number(n) % 23]}`;
        },
      ])(),
    person: () =>
      oneOf([
        'Dana Reyes',
        'Tom Becker',
        'Priya Shah',
        'Oliver Grant',
        'Maria Lopez',
        'Kenji Watanabe',
        'Sarah Collins',
        'Ahmed Karim',
      ]),
  };
  const templates: Record<string, string[]> = {
    email: [
      'Please send the contract to {} before Friday.',
      'Dana: my address is {} if you need it.',
      'CC {} on the follow-up.',
    ],
    phone: [
      'You can reach me on {} after three.',
      'Tom: call the office at {} tomorrow.',
      'Her mobile is {}, text first.',
      'The hotline ({}) is open until six.',
    ],
    card: [
      'The card on file is {} and it expires next year.',
      'Charge {} for the renewal.',
      'Sam: the number is {}, security code later.',
    ],
    iban: ['Wire the deposit to {} by Monday.', 'Our IBAN is {} at the main branch.', 'Refunds go to {}.'],
    ip_address: [
      'The server at {} stopped answering.',
      'Logins came from {} twice last night.',
      'Whitelist {} for the demo.',
    ],
    national_id: [
      'Her social security number is {} on the form.',
      'The national insurance number {} was rejected.',
      'ID {} was checked at the desk.',
    ],
    person: [
      'Ask {} to join the call.',
      'I spoke with {} about the budget.',
      '{} will send the agenda tomorrow.',
    ],
  };
  const samples: PiiSample[] = [];
  for (const [type, make] of Object.entries(generators)) {
    for (let i = 0; i < perType; i++) {
      const value = make();
      const text = oneOf(templates[type]!).replace('{}', value);
      // A transcript speaker ("Dana: ...") is a person's name too.
      const speaker = /^(\w+): /.exec(text)?.[1];
      const pii = [...(speaker ? [{ type: 'person', value: speaker }] : []), { type, value }];
      samples.push({ text, pii });
    }
  }
  const decoys = [
    () => `Order ${d(6)} shipped on 2025-03-${String(1 + int(28)).padStart(2, '0')} at 14:${d(2)}.`,
    () => `The invoice total was $${d(2)},${d(3)}.${d(2)} for ${1 + int(90)} seats.`,
    () => `We upgraded to version ${int(9)}.${int(20)}.${int(30)} on 12.03.2024.`,
    () => `Ticket 4111 1111 1111 1112 is not a card: the check digit is wrong.`,
    () => `The reference DE00 1234 5678 9012 3456 78 has a bad check.`,
    () => `Meeting moved to 10:30, room ${d(3)}, budget ${d(4)} EUR.`,
    () => `Q3 revenue grew ${d(2)}% to ${d(3)} million across ${d(2)} markets.`,
  ];
  for (let i = 0; i < perType; i++) samples.push({ text: oneOf(decoys)(), pii: [] });
  return samples;
}
