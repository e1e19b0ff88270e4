import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../http/context.ts';
import { createApprovalService } from './approval-service.ts';
import type { WorkflowsDeps } from './deps.ts';
import { createExecutionService } from './execution-service.ts';
import { registerApprovalRoutes } from './routes/approval-routes.ts';
import { registerExecuteRoute, registerExecutionRoutes } from './routes/execution-routes.ts';
import { registerWorkflowRoutes } from './routes/workflow-routes.ts';
import { createWorkflowsDeps } from './wiring.ts';
import { createWorkflowService } from './workflow-service.ts';

/** The `workflows` function: definitions, durable executions, pause/resume/cancel and approvals. */
export function createWorkflowsApp(services: AppServices, overrides: Partial<WorkflowsDeps> = {}) {
  const app = createFunctionApp('workflows', services);
  const deps = createWorkflowsDeps(services, overrides);
  // Fixed paths first: `/{workflowId}` must not shadow `/executions` and `/approvals`.
  registerExecutionRoutes(app, createExecutionService(deps));
  registerApprovalRoutes(app, createApprovalService(deps));
  registerExecuteRoute(app, createExecutionService(deps));
  registerWorkflowRoutes(app, createWorkflowService(deps.db, deps.webhookAllowedHosts));
  return app;
}
