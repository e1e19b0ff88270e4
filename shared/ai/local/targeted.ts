// Per-speaker and targeted sentiment, offline. A speaker's sentiment is the document rule (sentiment.ts
// `aggregate`) over the sentences of everything they said; a mention's is that of the clause it is in: its
// sentence cut at contrasts ("X was great but Y was slow", "although X ..., Y ...") and semicolons, scored with the
// sentence rules (negation, intensifiers, "too").
import { groupTargets, speakersOf } from '../transcript.ts';
import type { EntityType, TargetedSentiment, TargetMention, Transcript } from '../types.ts';
import { extractEntities } from './entities.ts';
import type { LocalModelData } from './model-data.ts';
import { aggregate, scoreSentence } from './sentiment.ts';
import { type Span, sentences } from './tokenize.ts';

/** The entity types a sentiment can be about (Comprehend's people, places, organisations, brands, items). */
const TARGET_TYPES: ReadonlySet<EntityType> = new Set(['person', 'organization', 'place', 'product']);

const CONTRAST_CUT = /;|\s(?=(?:but|yet|whereas|although|though|while|however(?!,))\s)/giu;
const LEADING_CONCESSION = /^(?:even\s+)?(?:although|though|while|whereas)\b[^,]*,/iu;

/** The clause of `sentence` that holds offset `at` (relative to the sentence). */
function clauseAt(sentence: string, at: number): { start: number; end: number } {
  const cuts = [0, sentence.length];
  for (const match of sentence.matchAll(CONTRAST_CUT)) cuts.push(match.index + match[0].length);
  const lead = LEADING_CONCESSION.exec(sentence);
  if (lead) cuts.push(lead[0].length);
  cuts.sort((a, b) => a - b);
  let start = 0;
  for (const cut of cuts) {
    if (cut > at) return { start, end: cut };
    start = cut;
  }
  return { start, end: sentence.length };
}

const CONJUNCTION = /,?\s+(?:and|or)\s+|[,:]\s+/gu;

/**
 * The piece of a clause a mention's sentiment is read from: the clause cut at conjunctions and commas, pieces
 * without an opinion joined to the next (the last to the one before). "The Jira export keeps failing and support
 * never answers" holds two opinions; "Acme and Globex were great" and "In London, sales fell" hold one.
 */
function pieceAt(data: LocalModelData, text: string, clause: { start: number; end: number }, at: number) {
  const cuts = [clause.start];
  for (const match of text.slice(clause.start, clause.end).matchAll(CONJUNCTION)) {
    cuts.push(clause.start + match.index);
  }
  cuts.push(clause.end);
  const pieces: { start: number; end: number }[] = [];
  let start = cuts[0]!;
  for (let k = 1; k < cuts.length; k++) {
    const end = cuts[k]!;
    if (scoreSentence(data, text.slice(start, end)).label === 'neutral' && k < cuts.length - 1) continue;
    pieces.push({ start, end });
    start = end;
  }
  const last = pieces.at(-1);
  const tail =
    pieces.length > 1 && last && scoreSentence(data, text.slice(last.start, last.end)).label === 'neutral';
  if (tail) pieces.splice(-2, 2, { start: pieces.at(-2)!.start, end: last.end });
  return pieces.find((p) => at >= p.start && at < p.end) ?? clause;
}

export function targetedSentiment(data: LocalModelData, transcript: Transcript): TargetedSentiment {
  const { text, utterances } = transcript;
  const spans = utterances.map((u) =>
    sentences(text.slice(u.start, u.end)).map(
      (s): Span => ({ text: s.text, start: u.start + s.start, end: u.start + s.end }),
    ),
  );
  const spoken = new Map<string, ReturnType<typeof scoreSentence>[]>();
  utterances.forEach((u, index) => {
    if (u.speaker === null) return;
    const scored = spans[index]!.map((s) => scoreSentence(data, s.text));
    spoken.set(u.speaker, [...(spoken.get(u.speaker) ?? []), ...scored]);
  });
  const speakers = [...speakersOf(transcript)].map(([speaker, count]) => ({
    speaker,
    utterances: count,
    ...aggregate(spoken.get(speaker) ?? []),
  }));

  const found = extractEntities(text).flatMap((entity) => {
    if (!TARGET_TYPES.has(entity.type)) return [];
    // Speaker labels lie outside every utterance: they are who speaks, not what is spoken of.
    const segment = utterances.findIndex((u) => entity.start >= u.start && entity.end <= u.end);
    const sentence = spans[segment]?.find((s) => entity.start >= s.start && entity.start < s.end);
    if (!sentence) return [];
    const clause = clauseAt(sentence.text, entity.start - sentence.start);
    return [{ entity, segment, from: sentence.start + clause.start, to: sentence.start + clause.end }];
  });
  const mentions = found.map(({ entity, segment, from, to }): TargetMention => {
    const piece = pieceAt(data, text, { start: from, end: to }, entity.start);
    const { label, scores } = aggregate([scoreSentence(data, text.slice(piece.start, piece.end))]);
    return { ...entity, segment, speaker: utterances[segment]!.speaker, label, scores };
  });
  return { speakers, targets: groupTargets(mentions) };
}
