import type { AppServices } from '../http/context.ts';
import { createBudgetGuard } from '../ops/budget.ts';
import { type AiService, createAiService } from './ai-service.ts';
import { createLocalModels } from './local/index.ts';
import { createPgAiStore } from './store.ts';

const services_ = new WeakMap<AppServices, AiService>();

/** The process's AI service for a set of app services (built on first use, then shared by every caller). */
export function aiServiceFor(services: Pick<AppServices, 'config' | 'db' | 'logger'> & object): AiService {
  let ai = services_.get(services as AppServices);
  if (!ai) {
    ai = createAiService({
      config: services.config.ai,
      store: createPgAiStore(services.db),
      logger: services.logger.child({ component: 'ai' }),
      localModels: createLocalModels(),
      assertWithinBudget: createBudgetGuard(services.db, services.config.ops.dailyCostBudgetUsd),
    });
    services_.set(services as AppServices, ai);
  }
  return ai;
}
