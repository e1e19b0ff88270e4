import { NonRetriableError } from '../../http/retry.ts';
import { ConditionError, conditionHolds } from '../conditions.ts';
import type { StepOf } from '../definition.ts';
import { routeDocument } from '../effects-store.ts';
import type { StepContext, StepResult } from '../step-executor.ts';

/** Routing step: the first rule that holds (else the fallback) names the destination recorded on the document. */
export async function routingStep(context: StepContext<StepOf<'routing'>>): Promise<StepResult> {
  const { rules, fallback } = context.step.config;
  let ruleIndex: number | null = null;
  try {
    ruleIndex = rules.findIndex((rule) => conditionHolds(rule.when, context.data));
  } catch (error) {
    if (error instanceof ConditionError) throw new NonRetriableError(`routing rule: ${error.message}`);
    throw error;
  }
  const destination = ruleIndex >= 0 ? rules[ruleIndex]!.destination : fallback;
  if (!destination) throw new NonRetriableError('no routing rule matched and the step has no fallback');
  const matchedRule = ruleIndex >= 0 ? ruleIndex : null;
  const routedTo = `${destination.type}:${destination.id}`;
  const routing = {
    destination,
    rule: matchedRule,
    executionId: context.execution.id,
    workflowId: context.execution.workflowId,
    stepId: context.step.id,
  };
  // Writing the same destination again is harmless, so a repeated attempt needs no further guard.
  await context.service((tx) =>
    routeDocument(tx, context.execution.userId, context.execution.documentId, destination, routing),
  );
  return { status: 'completed', output: { destination, rule: matchedRule, routedTo } };
}
