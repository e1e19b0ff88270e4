import process from 'node:process';

/**
 * What the code needs from the runtime it is deployed on, so the Edge path runs unchanged under Node and in
 * tests. On Supabase, `EdgeRuntime.waitUntil` keeps the invocation alive for work begun after the response;
 * under Node (the local gateway, tests, benchmarks) the same tasks are tracked in a set the owner can wait on.
 */
export interface Platform {
  readonly name: 'edge' | 'node';
  /** Runs `task` past the response; a failure is logged by the caller's catch, never thrown here. */
  waitUntil(task: Promise<unknown>): void;
  /** Resolves once every task given to waitUntil so far (and any they started) has settled. */
  settle(): Promise<void>;
  /** Aborted when the process stops: background work ends early (its jobs are retried). */
  readonly stopping: AbortSignal;
  /** Stops background work, then waits for it. */
  shutdown(): Promise<void>;
  /** CPU time this process has used, in ms (user + system; async I/O waits are not CPU). */
  cpuMs(): number;
  /** The JavaScript heap in use, in MB. */
  heapMb(): number;
}

type EdgeRuntimeGlobal = { waitUntil(task: Promise<unknown>): void };

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function heapMb(): number {
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/** The platform of this process: Supabase's Edge Runtime when present, else Node's tracked background tasks. */
export function createPlatform(): Platform {
  const edge = (globalThis as { EdgeRuntime?: EdgeRuntimeGlobal }).EdgeRuntime;
  const stopping = new AbortController();
  if (edge && typeof edge.waitUntil === 'function') {
    return {
      name: 'edge',
      waitUntil: (task) => edge.waitUntil(task.catch(() => {})),
      // The runtime keeps the worker alive for them; nothing here outlives the worker.
      settle: () => Promise.resolve(),
      stopping: stopping.signal,
      async shutdown() {
        stopping.abort(new Error('shutting down'));
      },
      cpuMs,
      heapMb,
    };
  }
  const tasks = new Set<Promise<unknown>>();
  const settle = async () => {
    while (tasks.size) await Promise.allSettled([...tasks]);
  };
  return {
    name: 'node',
    waitUntil(task) {
      const tracked = task.catch(() => {}).finally(() => tasks.delete(tracked));
      tasks.add(tracked);
    },
    settle,
    stopping: stopping.signal,
    async shutdown() {
      stopping.abort(new Error('shutting down'));
      await settle();
    },
    cpuMs,
    heapMb,
  };
}
