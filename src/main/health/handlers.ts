/** The `health:*` channels (src/shared/contract/health.ts), served by the release health service (src/main/desk/health.ts). */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { HealthService } from '../desk/health.ts';

export function createHealthHandlers(health: HealthService): FeatureHandlers<'health'> {
  return {
    'health:kpis': (input) => health.kpis(input),
    'health:release': (input) => health.release(input),
    'health:verdict': (input) => health.verdict(input),
  };
}
