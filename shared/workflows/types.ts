import type { Step } from './definition.ts';

export const EXECUTION_STATUSES = [
  'queued',
  'running',
  'paused',
  'waiting_approval',
  'completed',
  'failed',
  'cancelled',
  'rejected',
  'expired',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'running', 'completed', 'skipped', 'failed', 'waiting'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The definition an execution runs: a snapshot of the workflow version it started with. */
interface WorkflowSnapshot {
  name: string;
  steps: Step[];
}

export interface Workflow {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  steps: Step[];
  version: number;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Execution {
  id: string;
  userId: string;
  workflowId: string;
  workflowVersion: number;
  documentId: string;
  status: ExecutionStatus;
  definition: WorkflowSnapshot;
  currentStepId: string | null;
  error: string | null;
  expiresAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StepRun {
  executionId: string;
  stepId: string;
  stepType: string;
  status: StepStatus;
  output: unknown;
  error: string | null;
  attempts: number;
  leaseUntil: string | null;
  nextAttemptAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface Approval {
  id: string;
  executionId: string;
  stepId: string;
  userId: string;
  approverId: string | null;
  /** Who asked for the approval (the execution's owner); shown to the approver. */
  requestedBy?: { userId: string; email: string | null };
  status: ApprovalStatus;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  expiresAt: string | null;
  instructions: string | null;
  workflowName: string | null;
  createdAt: string;
}

/** The document fields steps and conditions see (`document.*` in JsonLogic). */
export interface DocumentView {
  id: string;
  userId: string;
  title: string | null;
  content: string;
  metadata: Record<string, unknown>;
  [field: string]: unknown;
}
