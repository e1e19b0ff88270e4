import { describe, expect, it } from 'vitest';
import { createLocalModels } from '../../shared/ai/local/index.ts';
import { locateMentions } from '../../shared/ai/openai/text.ts';
import { maskSpeakers } from '../../shared/ai/redaction.ts';
import {
  MAX_SEGMENTS,
  MAX_SPEAKERS,
  transcriptOfSegments,
  transcriptOfText,
} from '../../shared/ai/transcript.ts';
import { TargetedSentimentSchema } from '../../shared/ai/types.ts';
import { AppError } from '../../shared/http/errors.ts';

const models = createLocalModels();

const said = (text: string, t: ReturnType<typeof transcriptOfText>) =>
  t?.utterances.map((u) => [u.speaker, text.slice(u.start, u.end)]);

describe('transcripts', () => {
  it('reads `Name: text` lines, a continued line and a label alone on its line', () => {
    const text = 'Dana Reyes: Hello all.\nThis continues.\nLee:\n  Thanks Dana.\nDana Reyes: Bye.';
    expect(said(text, transcriptOfText(text))).toEqual([
      ['Dana Reyes', 'Hello all.\nThis continues.'],
      ['Lee', 'Thanks Dana.'],
      ['Dana Reyes', 'Bye.'],
    ]);
  });

  it('is not fooled by notes with a heading or one speaker, unless asked', () => {
    expect(transcriptOfText('Subject: renewal\nNote: call Dana\nThe price went up.')).toBeUndefined();
    expect(transcriptOfText('Dana: one\nDana: two')).toBeUndefined();
    expect(transcriptOfText('Plain prose about Acme.', true)?.utterances).toEqual([
      { speaker: null, start: 0, end: 23 },
    ]);
  });

  it('joins segments with a line break, each utterance at its offset', () => {
    const t = transcriptOfSegments([
      { speaker: ' Dana ', text: 'Hi.' },
      { speaker: 'Lee', text: 'Hello there.' },
    ]);
    expect(t.text).toBe('Hi.\nHello there.');
    expect(t.utterances).toEqual([
      { speaker: 'Dana', start: 0, end: 3 },
      { speaker: 'Lee', start: 4, end: 16 },
    ]);
  });

  it('refuses too many speakers or segments with a 400', () => {
    const many = Array.from({ length: MAX_SPEAKERS + 1 }, (_, i) => ({ speaker: `P${i}`, text: 'ok' }));
    const long = Array.from({ length: MAX_SEGMENTS + 1 }, (_, i) => ({ speaker: `P${i % 2}`, text: 'ok' }));
    for (const segments of [many, long]) {
      try {
        transcriptOfSegments(segments);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).status).toBe(400);
      }
    }
  });
});

describe('local targeted sentiment', () => {
  const text =
    'Dana: The Paris office is doing great, but Madrid is struggling badly.\n' +
    'Lee: I agree, Madrid missed the target again.\n' +
    'Dana: Microsoft and Google were great partners this year.';
  const result = models.targetedSentiment(transcriptOfText(text)!);

  it('rates each speaker by the document rule, with their utterance count', () => {
    expect(TargetedSentimentSchema.parse(result)).toEqual(result);
    expect(result.speakers.map((s) => [s.speaker, s.utterances])).toEqual([
      ['Dana', 2],
      ['Lee', 1],
    ]);
    const lee = result.speakers[1]!;
    expect(lee.label).toBe('negative');
    expect(lee.scores.positive + lee.scores.negative + lee.scores.neutral + lee.scores.mixed).toBeCloseTo(
      1,
      9,
    );
  });

  it('reads each mention from its clause and groups the mentions of one entity', () => {
    const byName = Object.fromEntries(result.targets.map((t) => [t.text, t]));
    expect(byName.Paris?.label).toBe('positive');
    expect(byName.Madrid?.label).toBe('negative');
    expect(byName.Madrid?.mentions.map((m) => [m.speaker, m.segment])).toEqual([
      ['Dana', 0],
      ['Lee', 1],
    ]);
    // "Microsoft and Google were great": the bare name before "and" takes the opinion that follows.
    expect(byName.Microsoft?.label).toBe('positive');
    expect(byName.Google?.label).toBe('positive');
    for (const target of result.targets) {
      for (const m of target.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    }
  });

  it('never takes a speaker label for a mention', () => {
    expect(result.targets.map((t) => t.text)).not.toContain('Dana');
    expect(result.targets.map((t) => t.text)).not.toContain('Lee');
  });

  it('splits a sentence with two opinions at the conjunction between them', () => {
    const t = transcriptOfText(
      'Ana: For us Stripe works perfectly and Salesforce keeps failing.\nBo: Noted.',
    )!;
    const labels = Object.fromEntries(models.targetedSentiment(t).targets.map((x) => [x.text, x.label]));
    expect(labels).toEqual({ Stripe: 'positive', Salesforce: 'negative' });
  });
});

describe('mentions named by a model', () => {
  it('are located in their segment, repeated names at their next occurrence, made-up ones dropped', () => {
    const t = transcriptOfSegments([
      { speaker: 'A', text: 'Acme and Acme again.' },
      { speaker: 'B', text: 'Globex.' },
    ]);
    const found = locateMentions(t, [
      { segment: 0, text: 'Acme' },
      { segment: 0, text: 'Acme' },
      { segment: 1, text: 'Acme' },
      { segment: 1, text: ' Globex ' },
    ]);
    expect(found.map((m) => [m.text, m.start, m.segment])).toEqual([
      ['Acme', 0, 0],
      ['Acme', 9, 0],
      ['Globex', 21, 1],
    ]);
  });
});

describe('speaker names before an external provider', () => {
  it('are masked as whole words, character for character', () => {
    const { text, count } = maskSpeakers('Thanks Dana Reyes, and Danae too. Reyes said so.', [
      'Dana Reyes',
      'Q',
    ]);
    expect(text).toBe('Thanks **** *****, and Danae too. ***** said so.');
    expect(count).toBe(3);
  });
});
