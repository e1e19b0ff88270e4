// What workflow steps need from the AI service. The runtime wires it to shared/ai's provider; tests and the
// benchmark may pass their own. Kept to the two operations steps use so either side can change independently.

export interface Category {
  name: string;
  description?: string;
  keywords?: string[];
}

export interface ClassificationOutput {
  /** Null only when a classification workflow's stages had no opinion (rules that never matched). */
  category: string | null;
  confidence: number;
  alternatives: { category: string; confidence: number }[];
  [field: string]: unknown;
}

export type AnalysisPart = 'summary' | 'key_points' | 'action_items' | 'risks';

export interface AnalysisOutput {
  summary?: string;
  keyPoints?: string[];
  actionItems?: unknown[];
  risks?: unknown[];
  [field: string]: unknown;
}

export interface AiCall {
  userId: string;
  text: string;
  signal?: AbortSignal;
}

/** The AI operations of classification and analysis steps. */
export interface WorkflowAi {
  /** Picks one of the given categories. */
  classify(request: AiCall & { categories: Category[] }): Promise<ClassificationOutput>;
  /** Runs the user's classification workflow (`classification_workflows`) on the text. */
  classifyWithWorkflow(request: AiCall & { workflowId: string }): Promise<ClassificationOutput>;
  /** Summary, key points, action items and risks of the text. */
  analyze(request: AiCall & { include: AnalysisPart[] }): Promise<AnalysisOutput>;
}
