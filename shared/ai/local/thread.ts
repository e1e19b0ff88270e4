// One worker thread of shared/ai/local/threads.ts: the offline models, answering one call at a time.
import { parentPort } from 'node:worker_threads';
import { createLocalModels } from './index.ts';

const models = createLocalModels();

parentPort!.on('message', ({ id, operation, args }: { id: number; operation: string; args: unknown[] }) => {
  try {
    const method = models[
      operation as 'classify' | 'sentiment' | 'targetedSentiment' | 'entities' | 'analyze'
    ] as (...a: unknown[]) => unknown;
    parentPort!.postMessage({ id, result: method(...args) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
