// The offline provider: the local models (./local, no key, no network) behind the provider interface, with
// zero tokens and zero cost, and the deterministic bot configuration template.
import { botConfigurationFor } from './bot-configuration.ts';
import { NO_USAGE } from './errors.ts';
import type { AiProvider, ProviderResult } from './provider.ts';
import type { TextModels } from './types.ts';

/** The name logged for local models that do not name themselves. */
const LOCAL_MODEL = 'local-lexicon-v1';

/** Wraps the local models (`createLocalModels()`) as the `local` provider. */
export function createLocalProvider(models: TextModels & { name?: string }): AiProvider {
  const model = models.name ?? LOCAL_MODEL;
  const answer = async <T>(work: () => T | Promise<T>): Promise<ProviderResult<T>> => ({
    data: await work(),
    usage: NO_USAGE,
    model,
    provider: 'local',
  });
  return {
    name: 'local',
    model,
    remote: false,
    classify: ({ text, categories }) => answer(() => models.classify(text, categories)),
    sentiment: ({ text }) => answer(() => models.sentiment(text)),
    targetedSentiment: (transcript) => answer(() => models.targetedSentiment(transcript)),
    entities: ({ text }) => answer(async () => ({ entities: await models.entities(text) })),
    analyze: ({ text }) => answer(() => models.analyze(text)),
    botConfiguration: ({ meeting, meetingId }) =>
      answer(() => botConfigurationFor(meeting, { meetingId, source: `local:${model}` })),
  };
}
