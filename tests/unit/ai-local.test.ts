import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, softmax } from '../../shared/ai/local/calibration.ts';
import { createLocalModels } from '../../shared/ai/local/index.ts';
import { sentences, tokenize } from '../../shared/ai/local/tokenize.ts';
import {
  AnalysisResultSchema,
  type Category,
  ClassifyResultSchema,
  EntitySchema,
  SentimentResultSchema,
} from '../../shared/ai/types.ts';

const models = createLocalModels();

const TOPICS: Category[] = [
  { name: 'Sports', description: 'games, teams, players, matches and championships' },
  { name: 'Business', description: 'companies, markets, stocks, earnings and the economy' },
  { name: 'Technology', description: 'computers, software, the internet and gadgets' },
];

describe('local classify', () => {
  it('picks the category a clear text is about', () => {
    const result = models.classify(
      'The striker scored twice as United beat City 3-1 in the league match.',
      TOPICS,
    );
    expect(result.category).toBe('Sports');
    expect(ClassifyResultSchema.parse(result)).toEqual(result);
  });

  it('ranks the alternatives best first, without the winner, and confidences sum to at most 1', () => {
    const result = models.classify('Shares of the chip maker fell after weak quarterly earnings.', TOPICS);
    expect(result.alternatives.map((a) => a.category)).not.toContain(result.category);
    const confidences = [result.confidence, ...result.alternatives.map((a) => a.confidence)];
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(confidences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(result.reasoning).toMatch(/Closest to "Business"/);
  });

  it('lets keywords change a borderline decision', () => {
    const animals: Category[] = [
      { name: 'Wildlife', description: 'animals and nature' },
      { name: 'Automotive', description: 'the motor industry' },
    ];
    const text = 'The jaguar was spotted near the river at dawn.';
    const withKeywords = animals.map((c) =>
      c.name === 'Automotive' ? { ...c, keywords: ['jaguar', 'xj'] } : c,
    );
    const before = models.classify(text, animals);
    const after = models.classify(text, withKeywords);
    expect(before.category).toBe('Wildlife');
    const automotive = (r: typeof before) =>
      r.category === 'Automotive'
        ? r.confidence
        : r.alternatives.find((a) => a.category === 'Automotive')!.confidence;
    expect(automotive(after)).toBeGreaterThan(automotive(before));
  });

  it('lets examples change a borderline decision', () => {
    const categories: Category[] = [
      { name: 'Complaint', description: 'a customer reports a problem' },
      { name: 'Request', description: 'a customer asks for something' },
    ];
    const text = 'My invoice for March shows the wrong amount, could you resend it?';
    const withExamples = categories.map((c) =>
      c.name === 'Request'
        ? { ...c, examples: ['Could you send me a copy of my invoice?', 'Please resend the March invoice.'] }
        : { ...c, examples: ['The product broke after two days and support never answered.'] },
    );
    const share = (r: ReturnType<typeof models.classify>) =>
      r.category === 'Request'
        ? r.confidence
        : r.alternatives.find((a) => a.category === 'Request')!.confidence;
    expect(share(models.classify(text, withExamples))).toBeGreaterThan(
      share(models.classify(text, categories)),
    );
  });

  it('returns uniform confidences when no word is known', () => {
    const result = models.classify('zzqx vvkw', TOPICS);
    expect(result.confidence).toBeCloseTo(1 / 3, 6);
  });

  it('rejects an empty category list', () => {
    expect(() => models.classify('anything', [])).toThrow(/at least one category/);
  });
});

describe('local sentiment', () => {
  it('reads praise as positive and complaints as negative', () => {
    expect(models.sentiment('I love this phone, the screen is excellent.').label).toBe('positive');
    expect(models.sentiment('Terrible service, the battery died after a day.').label).toBe('negative');
  });

  it('flips a negated positive word to negative', () => {
    const plain = models.sentiment('The update is good.');
    const negated = models.sentiment('The update is not good.');
    expect(plain.score).toBeGreaterThan(0);
    expect(negated.score).toBeLessThan(0);
  });

  it('weighs the clause after "but" more than the one before', () => {
    expect(models.sentiment('The design is nice but the performance is awful.').score).toBeLessThan(0);
    expect(models.sentiment('The performance is awful but the design is nice.').score).toBeGreaterThan(0);
  });

  it('calls a text with strong opposite sentences mixed', () => {
    const result = models.sentiment('The food was wonderful. The service was terrible.');
    expect(result.label).toBe('mixed');
  });

  it('lets a long review that concedes a point pick its side, with four scores summing to 1', () => {
    const review = [
      'We switched our whole team to this tool in March and it has been excellent.',
      'Setup took an afternoon and the support staff were friendly and quick.',
      'The mobile app is a bit slow and crashed once.',
      'Search is fast, the reports are clear, and the price is fair.',
      'I would happily recommend it to any small company.',
    ].join(' ');
    const result = SentimentResultSchema.parse(models.sentiment(review));
    expect(result.label).toBe('positive');
    expect(result.sentences.some((s) => s.label === 'negative')).toBe(true);
    const { positive, negative, neutral, mixed } = result.scores;
    expect(positive + negative + neutral + mixed).toBeCloseTo(1, 9);
    expect(positive).toBeGreaterThan(Math.max(negative, neutral, mixed));
    const complaint = models.sentiment(
      'The delivery was late again. The invoice was wrong and nobody answered our emails. One agent was polite. We are cancelling the contract, this has been a terrible experience.',
    );
    expect(complaint.label).toBe('negative');
  });

  it('calls a statement of facts neutral', () => {
    const result = models.sentiment('The meeting is on Tuesday at 10. Maria will send the agenda.');
    expect(result.label).toBe('neutral');
    expect(result.scores.neutral).toBeGreaterThan(0.5);
  });

  it('scores each sentence with offsets into the text', () => {
    const text = 'Great team.  The deadline slipped badly!\nWe meet at noon.';
    const result = SentimentResultSchema.parse(models.sentiment(text));
    expect(result.sentences).toHaveLength(3);
    for (const s of result.sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(result.sentences.map((s) => s.label)).toEqual(['positive', 'negative', 'neutral']);
  });

  it('keeps scores within -1..1', () => {
    const result = models.sentiment('Awful awful awful terrible horrible disaster!!!');
    expect(result.score).toBeGreaterThanOrEqual(-1);
    expect(result.score).toBeLessThan(-0.9);
  });
});

describe('local entities', () => {
  const text =
    'Dr. Jane Smith of Acme Corp. met officials in New York on March 3, 2025. Contact jane@acme.com or ' +
    '+1 (555) 123-4567, see https://acme.com/q1. Revenue rose 12% to $4.5 million.';

  it('finds every entity type with offsets that match the text', () => {
    const entities = models.entities(text);
    for (const e of entities) {
      expect(EntitySchema.parse(e)).toEqual(e);
      expect(text.slice(e.start, e.end)).toBe(e.text);
    }
    const found = Object.fromEntries(entities.map((e) => [e.type, e.text]));
    expect(found).toMatchObject({
      person: 'Dr. Jane Smith',
      organization: 'Acme Corp.',
      place: 'New York',
      date: 'March 3, 2025',
      email: 'jane@acme.com',
      url: 'https://acme.com/q1',
      percent: '12%',
      money: '$4.5 million',
    });
    expect(found.phone).toContain('(555) 123-4567');
  });

  it('finds the company and the place of a news sentence (the gazetteer), with the person and country', () => {
    const text =
      'Apple shares fell 5% after the quarterly earnings call in Cupertino on Tuesday, CEO Tim Cook said demand in China was weak.';
    const found = models.entities(text).map((e) => `${e.type}:${e.text}`);
    expect(found).toEqual(
      expect.arrayContaining(['organization:Apple', 'place:Cupertino', 'person:Tim Cook', 'place:China']),
    );
  });

  it('types products, company forms and transcript speakers, and leaves common words alone', () => {
    const found = (text: string) => models.entities(text).map((e) => `${e.type}:${e.text}`);
    expect(found('We keep the notes in Google Drive and the tickets in Jira Cloud.')).toEqual(
      expect.arrayContaining(['product:Google Drive', 'product:Jira Cloud']),
    );
    expect(found('Priya joined from Wayfield Logistics Ltd last week.')).toContain(
      'organization:Wayfield Logistics Ltd',
    );
    expect(found('Julia: the build is green.\nMarco: thanks!')).toEqual(['person:Julia', 'person:Marco']);
    expect(found('Apple pie is on the menu. We had an apple and a target.')).toEqual([]);
    expect(found('She now works at Apple in London.')).toEqual(['organization:Apple', 'place:London']);
  });

  it('returns entities in order and never overlapping', () => {
    const entities = models.entities(text);
    for (let i = 1; i < entities.length; i++)
      expect(entities[i]!.start).toBeGreaterThanOrEqual(entities[i - 1]!.end);
  });

  it('keeps offsets exact around non-ASCII text', () => {
    const s = 'Café owner José Ruiz paid €20 on 2024-05-01 — see www.example.org.';
    for (const e of models.entities(s)) expect(s.slice(e.start, e.end)).toBe(e.text);
    expect(models.entities(s).find((e) => e.type === 'url')?.text).toBe('www.example.org');
  });
});

describe('local analyze', () => {
  const text = [
    'The launch review covered the new billing system.',
    'The team finished the migration of customer accounts last week.',
    'Anna will send the revised rollout plan by Friday.',
    'Review the load test results before the go-live.',
    'There is a risk that the payment provider delays the certificate renewal.',
    'Everyone agreed the dashboard looks good.',
  ].join(' ');

  it('quotes a summary, action items and risks from the text', () => {
    const result = AnalysisResultSchema.parse(models.analyze(text));
    expect(text).toContain(result.summary.split('. ')[0]!.replace(/\.$/, ''));
    expect(result.actionItems).toEqual([
      'Anna will send the revised rollout plan by Friday.',
      'Review the load test results before the go-live.',
    ]);
    expect(result.risks).toEqual([
      'There is a risk that the payment provider delays the certificate renewal.',
    ]);
    expect(result.keyPoints.length).toBeGreaterThan(0);
  });

  it('handles empty text', () => {
    expect(models.analyze('')).toEqual({ summary: '', keyPoints: [], actionItems: [], risks: [] });
  });
});

describe('local building blocks', () => {
  it('tokenizes with offsets and keeps dotted abbreviations whole', () => {
    const text = 'The U.S. economy grew, didn’t it?';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.word)).toEqual(['the', 'u.s.', 'economy', 'grew', "didn't", 'it', '?']);
    for (const t of tokens) expect(text.slice(t.start, t.end).toLowerCase().replace('’', "'")).toBe(t.word);
  });

  it('does not split sentences after abbreviations', () => {
    expect(sentences('Mr. Smith met Dr. Jones. They agreed.').map((s) => s.text)).toEqual([
      'Mr. Smith met Dr. Jones.',
      'They agreed.',
    ]);
  });

  it('measures a perfectly calibrated predictor with zero error', () => {
    const predictions = [
      ...Array.from({ length: 8 }, (_, i) => ({ confidence: 0.75, correct: i < 6 })),
      ...Array.from({ length: 4 }, () => ({ confidence: 0.95, correct: true })),
    ];
    expect(expectedCalibrationError(predictions.slice(0, 8))).toBeCloseTo(0, 9);
    expect(expectedCalibrationError([{ confidence: 0.9, correct: false }])).toBeCloseTo(0.9, 9);
    expect(softmax([1, 1]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
