import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../services.ts';
import { createApprovalService } from './approval-service.ts';
import { createExecutionService } from './execution-service.ts';
import { registerApprovalRoutes } from './routes/approval-routes.ts';
import { registerExecuteRoute, registerExecutionRoutes } from './routes/execution-routes.ts';
import { registerWorkflowRoutes } from './routes/workflow-routes.ts';
import { createWorkflowsDeps } from './wiring.ts';
import { createWorkflowService } from './workflow-service.ts';

/** The `workflows` function: definitions, durable executions, pause/resume/cancel and approvals. */
export function createWorkflowsApp(services: AppServices) {
  const app = createFunctionApp('workflows', services);
  const deps = createWorkflowsDeps(services);
  // Fixed paths first: `/{workflowId}` must not shadow `/executions` and `/approvals`.
  const executions = createExecutionService(deps);
  registerExecutionRoutes(app, executions);
  registerApprovalRoutes(app, createApprovalService(deps));
  registerExecuteRoute(app, executions);
  registerWorkflowRoutes(app, createWorkflowService(deps.db, deps.webhookAllowedHosts));
  return app;
}
