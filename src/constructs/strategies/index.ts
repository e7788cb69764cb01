/** Each strategy's `spec.strategy` of the Rollout. */
import type { RolloutSpecStrategy } from '../../../imports/argoproj.io';
import type { ResolvedApp, ResolvedStrategy } from '../../model/model';
import { ByKind, byKind } from '../../model/kinds';
import { blueGreenStrategy } from './blue-green';
import { canaryStrategy } from './canary';

const STRATEGIES: ByKind<ResolvedStrategy, [ResolvedApp], RolloutSpecStrategy> = {
  canary: canaryStrategy,
  blueGreen: blueGreenStrategy,
};

export function rolloutStrategy(app: ResolvedApp): RolloutSpecStrategy {
  return byKind(STRATEGIES, app.strategy, app);
}
