// Transcripts for per-speaker and targeted sentiment: who said what, read from `Name: text` lines or from segments
// with a speaker field (`{speaker, text}`, the shape of a transcript entry), as one document text and the
// utterances in it. Every offset of a targeted answer indexes that document text.
import { badRequest } from '../http/errors.ts';
import { labelOf } from './local/sentiment.ts';
import type { SentimentScores, Target, TargetMention, Transcript, Utterance } from './types.ts';

export const MAX_SPEAKERS = 50;
export const MAX_SEGMENTS = 2_000;

/** One segment of a transcript as a caller sends it. */
export interface TranscriptSegment {
  speaker: string;
  text: string;
}

const NAME_WORD = "[\\p{Lu}\\p{N}][\\p{L}\\p{N}&'’.-]*";
/** A speaker label: one to three words, the first capitalised, and a colon at the start of a line. */
const LABEL = new RegExp(
  `^[ \\t]*(\\p{Lu}[\\p{L}\\p{N}&'’.-]*(?: ${NAME_WORD}){0,2})[ \\t]*:(?!//)[ \\t]*`,
  'u',
);
/** Labels that head a line of notes rather than name who spoke. */
const HEADINGS = new Set(
  'note notes agenda subject summary date time re fwd to from cc bcc attendees location title example warning tip important update status action items action items next steps decision decisions'.split(
    ' ',
  ),
);

/**
 * The utterances of `Name: text` lines: a line without a label continues the utterance before it. Returns
 * undefined unless at least two speakers have labelled lines and labelled lines are at least half of the text's
 * lines (so notes with a "Subject:" line are not a transcript), or, with `force`, whatever was found.
 */
export function transcriptOfText(text: string, force = false): Transcript | undefined {
  const utterances: Utterance[] = [];
  let lines = 0;
  let labelled = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    if (!line.trim()) continue;
    lines++;
    const first = lineStart + line.length - line.trimStart().length;
    const last = lineStart + line.trimEnd().length;
    const label = LABEL.exec(line);
    if (label && !HEADINGS.has(label[1]!.toLowerCase())) {
      labelled++;
      utterances.push({ speaker: label[1]!, start: lineStart + label[0].length, end: last });
      continue;
    }
    const current = utterances.at(-1);
    if (!current) utterances.push({ speaker: null, start: first, end: last });
    else {
      // A label alone on its line ("Dana:") speaks the lines that follow it.
      if (current.start >= current.end) current.start = first;
      current.end = last;
    }
  }
  const spoken = utterances.filter((u) => u.end > u.start);
  const speakers = new Set(spoken.flatMap((u) => (u.speaker === null ? [] : [u.speaker])));
  if (!force && (speakers.size < 2 || labelled * 2 < lines)) return undefined;
  return checked({ text, utterances: spoken });
}

/** The segments as one document: their texts joined by a line break, in order. */
export function transcriptOfSegments(segments: readonly TranscriptSegment[]): Transcript {
  let text = '';
  const utterances: Utterance[] = [];
  segments.forEach((segment, index) => {
    if (index > 0) text += '\n';
    utterances.push({
      speaker: segment.speaker.trim(),
      start: text.length,
      end: text.length + segment.text.length,
    });
    text += segment.text;
  });
  return checked({ text, utterances });
}

function checked(transcript: Transcript): Transcript {
  if (transcript.utterances.length > MAX_SEGMENTS) {
    throw badRequest(`a transcript has at most ${MAX_SEGMENTS} segments`);
  }
  if (speakersOf(transcript).size > MAX_SPEAKERS) {
    throw badRequest(`a transcript has at most ${MAX_SPEAKERS} speakers`);
  }
  return transcript;
}

/** Each speaker's utterance count, in order of first appearance. */
export function speakersOf(transcript: Transcript): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { speaker } of transcript.utterances) {
    if (speaker !== null) counts.set(speaker, (counts.get(speaker) ?? 0) + 1);
  }
  return counts;
}

function meanScores(list: SentimentScores[]): SentimentScores {
  const sum = { positive: 0, negative: 0, neutral: 0, mixed: 0 };
  for (const scores of list) {
    sum.positive += scores.positive;
    sum.negative += scores.negative;
    sum.neutral += scores.neutral;
    sum.mixed += scores.mixed;
  }
  const n = Math.max(1, list.length);
  return {
    positive: sum.positive / n,
    negative: sum.negative / n,
    neutral: sum.neutral / n,
    mixed: sum.mixed / n,
  };
}

const groupKey = (mention: TargetMention) =>
  `${mention.type}\u0000${mention.text.replace(/['’]s$/u, '').toLowerCase()}`;

/**
 * Mentions grouped by entity (the same type and name, ignoring case and a possessive 's; no coreference:
 * pronouns are not mentions), first mentioned first; a group's scores are the mean of its mentions'.
 */
export function groupTargets(mentions: TargetMention[]): Target[] {
  const groups = new Map<string, TargetMention[]>();
  for (const mention of [...mentions].sort((a, b) => a.start - b.start)) {
    const key = groupKey(mention);
    groups.set(key, [...(groups.get(key) ?? []), mention]);
  }
  return [...groups.values()].map((group) => {
    const scores = meanScores(group.map((m) => m.scores));
    return { text: group[0]!.text, type: group[0]!.type, label: labelOf(scores), scores, mentions: group };
  });
}
