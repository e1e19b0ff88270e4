import type { Entity, EntityType, Transcript } from '../types.ts';

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** The sentences of a text with their offsets (`text === input.slice(start, end)`), by Intl's segmenter. */
export function splitSentences(input: string): Sentence[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences: Sentence[] = [];
  for (const { segment, index } of segmenter.segment(input)) {
    const leading = segment.length - segment.trimStart().length;
    const text = segment.trim();
    if (text) sentences.push({ text, start: index + leading, end: index + leading + text.length });
  }
  return sentences;
}

/**
 * Every mention of the named entities in the input, with offsets found here rather than trusted from the model:
 * a name the text does not contain is dropped, and overlapping mentions keep the longer one.
 */
export function locateEntities(input: string, named: { text: string; type: EntityType }[]): Entity[] {
  const found: Entity[] = [];
  const seen = new Set<string>();
  for (const { text, type } of [...named].sort((a, b) => b.text.length - a.text.length)) {
    const needle = text.trim();
    if (!needle || seen.has(needle)) continue;
    seen.add(needle);
    for (let at = input.indexOf(needle); at >= 0; at = input.indexOf(needle, at + needle.length)) {
      const end = at + needle.length;
      if (found.some((entity) => at < entity.end && end > entity.start)) continue;
      found.push({ text: needle, type, start: at, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The mentions a model named, each at the next occurrence of its text in its segment that no earlier mention
 * took, with document offsets found here; a mention its segment does not contain is dropped.
 */
export function locateMentions<T extends { segment: number; text: string }>(
  transcript: Transcript,
  mentions: readonly T[],
): (T & { start: number; end: number })[] {
  const taken: { start: number; end: number }[] = [];
  const found: (T & { start: number; end: number })[] = [];
  for (const mention of mentions) {
    const utterance = transcript.utterances[mention.segment];
    const needle = mention.text.trim();
    if (!utterance || !needle) continue;
    const said = transcript.text.slice(utterance.start, utterance.end);
    for (let at = said.indexOf(needle); at >= 0; at = said.indexOf(needle, at + 1)) {
      const start = utterance.start + at;
      const end = start + needle.length;
      if (taken.some((t) => start < t.end && end > t.start)) continue;
      taken.push({ start, end });
      found.push({ ...mention, text: needle, start, end });
      break;
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
