/** Each strategy's `spec.strategy` of the Rollout; the table makes the compiler ask for every strategy. */
import type { RolloutSpecStrategy } from '../../../imports/argoproj.io';
import type { ResolvedApp, ResolvedStrategy } from '../../model/model';
import { canaryStrategy } from './canary';

type Strategies = { readonly [K in ResolvedStrategy['kind']]: (app: ResolvedApp, s: Extract<ResolvedStrategy, { kind: K }>) => RolloutSpecStrategy };

const STRATEGIES: Strategies = {
  canary: canaryStrategy,
};

export function rolloutStrategy(app: ResolvedApp): RolloutSpecStrategy {
  return (STRATEGIES[app.strategy.kind] as (app: ResolvedApp, s: ResolvedStrategy) => RolloutSpecStrategy)(app, app.strategy);
}
