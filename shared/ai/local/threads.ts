// The offline models on worker threads, for Node: classification, sentiment and entities of a long text are
// tens to hundreds of milliseconds of synchronous CPU (about a second for a 20,000-character meeting), which
// inline would hold the event loop and every other request of the process with it. Here the event loop only
// posts the text and awaits the answer. Edge isolates have no workers: there the models stay inline
// (shared/runtime.ts chooses by platform).
import type { Worker } from 'node:worker_threads';
import type { TextModels } from '../types.ts';
import { LOCAL_MODEL_NAME } from './index.ts';

type Operation = 'classify' | 'sentiment' | 'targetedSentiment' | 'entities' | 'analyze';

interface Thread {
  worker: Worker;
  busy: number;
}

interface Call {
  thread: Thread;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** Thrown where a thread died under a call (the call may be retried; the thread is replaced). */
class LocalModelThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalModelThreadError';
  }
}

/**
 * The offline models behind `threads` worker threads (started on first use, each loading the models once).
 * Calls go to the least busy thread. Idle threads do not keep the process alive; `stopping` ends them.
 */
export function createThreadedLocalModels(
  threads: number,
  stopping?: AbortSignal,
): TextModels & { name: string } {
  let pool: Promise<(operation: Operation, args: unknown[]) => Promise<unknown>> | undefined;
  const run = async <T>(operation: Operation, args: unknown[]): Promise<T> => {
    pool ??= startPool(threads, stopping);
    return (await (
      await pool
    )(operation, args)) as T;
  };
  return {
    name: LOCAL_MODEL_NAME,
    classify: (text, categories) => run('classify', [text, categories]),
    sentiment: (text) => run('sentiment', [text]),
    targetedSentiment: (transcript) => run('targetedSentiment', [transcript]),
    entities: (text) => run('entities', [text]),
    analyze: (text) => run('analyze', [text]),
  };
}

async function startPool(size: number, stopping?: AbortSignal) {
  const { Worker } = await import('node:worker_threads');
  const calls = new Map<number, Call>();
  let nextId = 0;

  const start = (): Thread => {
    const thread: Thread = { worker: new Worker(new URL('./thread.ts', import.meta.url)), busy: 0 };
    thread.worker.unref();
    thread.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const call = calls.get(message.id);
      if (!call) return;
      calls.delete(message.id);
      if (--thread.busy === 0) thread.worker.unref();
      if (message.error === undefined) call.resolve(message.result);
      else call.reject(new Error(message.error));
    });
    const died = (reason: string) => {
      for (const [id, call] of calls) {
        if (call.thread !== thread) continue;
        calls.delete(id);
        call.reject(new LocalModelThreadError(`local model thread stopped: ${reason}`));
      }
      const index = threads.indexOf(thread);
      if (index >= 0 && !stopping?.aborted) threads[index] = start();
    };
    thread.worker.on('error', (error) => died(String(error)));
    thread.worker.on('exit', (code) => died(`exit ${code}`));
    return thread;
  };
  const threads = Array.from({ length: size }, start);
  stopping?.addEventListener('abort', () => {
    for (const thread of threads) void thread.worker.terminate();
  });

  return (operation: Operation, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const thread = threads.reduce((least, t) => (t.busy < least.busy ? t : least));
      const id = nextId++;
      calls.set(id, { thread, resolve, reject });
      if (thread.busy++ === 0) thread.worker.ref();
      thread.worker.postMessage({ id, operation, args });
    });
}
