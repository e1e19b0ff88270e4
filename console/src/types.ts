// The shapes the console reads, as the functions' OpenAPI documents describe them (only the fields it uses).
interface TraceEntry {
  stage: number;
  type: string;
  status: string;
  provider: string | null;
  model: string | null;
  category?: string;
  confidence?: number;
  threshold?: number;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  cached?: boolean;
  reason?: string;
}

export interface ClassificationResult {
  id: string;
  itemIndex: number | null;
  itemKey: string | null;
  documentId: string | null;
  status: 'pending' | 'completed' | 'failed';
  category: string | null;
  confidence: number | null;
  alternatives: { category: string; confidence: number }[];
  sentiment: {
    label: string;
    score: number;
    sentences: { text: string; start: number; end: number; label: string; score: number }[];
  } | null;
  entities: { text: string; type: string; start: number; end: number }[];
  trace: TraceEntry[];
  error: string | null;
  attempts: number;
  costUsd: number;
}

interface BatchCounts {
  total: number;
  done: number;
  failed: number;
  pending: number;
}

export interface Batch {
  id: string;
  status: string;
  counts: BatchCounts;
  createdAt: string;
  completedAt: string | null;
  summary?: {
    categories: Record<string, number>;
    unclassified: number;
    meanConfidence: number | null;
    totalCostUsd: number;
  };
  results?: { items: ClassificationResult[]; limit: number; offset: number };
}

interface Category {
  name: string;
  description?: string;
  keywords?: string[];
  examples?: string[];
}

export interface ClassificationWorkflow {
  id: string;
  name: string;
  description: string | null;
  categories: Category[];
  stages: Record<string, unknown>[];
  isActive: boolean;
  version: number;
  updatedAt: string;
}

export interface DocumentRow {
  id: string;
  title: string | null;
  content: string;
  created_at: string;
}

export interface WorkflowStep {
  id: string;
  name?: string;
  type: 'classification' | 'analysis' | 'routing' | 'approval' | 'notification';
  config: Record<string, unknown>;
  condition?: unknown;
  retry?: Record<string, unknown>;
  timeoutSeconds?: number;
}

export interface Workflow {
  id: string;
  name: string;
  description: string | null;
  steps: WorkflowStep[];
  version: number;
  isActive: boolean;
  updatedAt: string;
}

interface StepRun {
  stepId: string;
  stepType: string;
  status: string;
  output?: unknown;
  error: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface Execution {
  id: string;
  workflowId: string;
  workflowVersion: number;
  documentId: string;
  status: string;
  definition: { name: string; steps: WorkflowStep[] };
  currentStepId: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  steps?: StepRun[];
}

export interface Approval {
  id: string;
  executionId: string;
  stepId: string;
  status: string;
  instructions: string | null;
  workflowName: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export const FINISHED = ['completed', 'failed', 'cancelled', 'rejected', 'expired'];

export interface Page<T> {
  items: T[];
  total: number;
}
