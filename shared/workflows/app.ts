import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../services.ts';
import { createApprovalService } from './approval-service.ts';
import { createExecutionService } from './execution-service.ts';
import { approvalRoutes } from './routes/approval-routes.ts';
import { executionRoutes, registerExecuteRoute } from './routes/execution-routes.ts';
import { workflowRoutes } from './routes/workflow-routes.ts';
import { createWorkflowsDeps } from './wiring.ts';
import { createWorkflowService } from './workflow-service.ts';

/** The `workflows` function: definitions, durable executions, pause/resume/cancel and approvals. */
export function createWorkflowsApp(services: AppServices) {
  const deps = createWorkflowsDeps(services);
  const executions = createExecutionService(deps);
  const definitions = workflowRoutes(createWorkflowService(deps.db, deps.webhookAllowedHosts));
  registerExecuteRoute(definitions, executions);
  // Hono matches in mounting order; tests/unit/routes.test.ts fails if a route shadows a later one.
  return createFunctionApp('workflows', services)
    .route('/executions', executionRoutes(executions))
    .route('/approvals', approvalRoutes(createApprovalService(deps)))
    .route('/', definitions);
}
