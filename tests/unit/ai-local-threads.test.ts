import { describe, expect, it } from 'vitest';
import { createLocalModels } from '../../shared/ai/local/index.ts';
import { createThreadedLocalModels } from '../../shared/ai/local/threads.ts';
import { transcriptOfText } from '../../shared/ai/transcript.ts';

const categories = [
  { name: 'billing', keywords: ['invoice', 'refund', 'payment'] },
  { name: 'support', keywords: ['bug', 'error', 'crash'] },
];
const text =
  'Maria Gonzalez from Acme Corp in Chicago says the invoice for March was charged twice. Please refund it by Friday; we are unhappy.';
// A meeting-length text: seconds of CPU on a loaded machine, inline.
const meeting = `${text}\n`.repeat(150);

/** How often the event loop turned while `work` ran. */
async function turnsDuring(work: () => unknown) {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work();
  running = false;
  return turns;
}

// Loading the models (in each thread, and inline) takes seconds on a loaded machine.
describe('the offline models on worker threads', { timeout: 120_000 }, () => {
  const stopping = new AbortController();
  const threaded = createThreadedLocalModels(2, stopping.signal);
  const inline = createLocalModels();

  it('answer as the inline models do', async () => {
    expect(await threaded.classify(text, categories)).toEqual(inline.classify(text, categories));
    expect(await threaded.sentiment(text)).toEqual(inline.sentiment(text));
    expect(await threaded.entities(text)).toEqual(inline.entities(text));
    expect(await threaded.analyze(text)).toEqual(inline.analyze(text));
    const transcript = transcriptOfText(
      'Dana: The Paris office is doing great.\nLee: Madrid is struggling.',
    )!;
    expect(await threaded.targetedSentiment(transcript)).toEqual(inline.targetedSentiment(transcript));
  });

  it('leave the event loop turning while a meeting is analysed, where inline holds it', async () => {
    expect(await turnsDuring(() => inline.entities(meeting))).toBe(0);
    expect(await turnsDuring(() => threaded.entities(meeting))).toBeGreaterThan(0);
  });

  it('spread concurrent calls over the threads and answer each its own', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => `Call ${i}: ${text}`);
    const answers = await Promise.all(texts.map((t) => threaded.sentiment(t)));
    expect(answers).toEqual(texts.map((t) => inline.sentiment(t)));
    stopping.abort();
  });
});
