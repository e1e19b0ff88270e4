import type { WorkflowAi } from '../ai-port.ts';
import type { StepOf } from '../definition.ts';
import type { StepContext, StepResult } from '../step-executor.ts';

/** The text AI steps read: the document's title and content. */
export function documentText(context: StepContext): string {
  const { title, content } = context.document;
  return title ? `${title}\n\n${content}` : content;
}

/** Classification step: inline categories, or the user's classification workflow. */
export function classificationStep(ai: WorkflowAi) {
  return async function classify(context: StepContext<StepOf<'classification'>>): Promise<StepResult> {
    const call = { userId: context.execution.userId, text: documentText(context), signal: context.signal };
    const { categories, classificationWorkflowId } = context.step.config;
    const output = categories
      ? await ai.classify({ ...call, categories })
      : await ai.classifyWithWorkflow({ ...call, workflowId: classificationWorkflowId! });
    return { status: 'completed', output };
  };
}

/** Analysis step: the parts of the analysis the step asks for. */
export function analysisStep(ai: WorkflowAi) {
  return async function analyze(context: StepContext<StepOf<'analysis'>>): Promise<StepResult> {
    const output = await ai.analyze({
      userId: context.execution.userId,
      text: documentText(context),
      include: context.step.config.include,
      signal: context.signal,
    });
    return { status: 'completed', output };
  };
}
