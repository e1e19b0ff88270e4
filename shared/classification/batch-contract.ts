import { z } from 'zod';
import { defineJob } from '../jobs/contract.ts';

/** The queue of batch work: a job without a range starts the batch and splits it into chunk jobs. */
const BATCH_QUEUE = 'ai.process_classification_batch';

/** `{batchId, userId}` starts a batch; with `from` and `to` (item indexes, inclusive) it is one chunk. */
const BatchJobSchema = z
  .object({
    batchId: z.string().uuid(),
    userId: z.string().uuid(),
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((job) => (job.from === undefined) === (job.to === undefined), 'give both from and to, or neither');
export type BatchJob = z.infer<typeof BatchJobSchema>;

/** The payload contract of `ai.process_classification_batch`. */
export const batchJob = defineJob(BATCH_QUEUE, BatchJobSchema);
