/**
 * Each router's part of the Rollout (`strategy.canary.trafficRouting`). A router whose objects canarykit
 * creates (a route, a VirtualService) adds them in its own module too; the table makes the compiler ask
 * for every router.
 */
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import type { ResolvedRouting } from '../../model/model';
import { nginxTrafficRouting } from './nginx';

type Routers = { readonly [K in ResolvedRouting['kind']]: (r: Extract<ResolvedRouting, { kind: K }>) => RolloutSpecStrategyCanaryTrafficRouting | undefined };

const ROUTERS: Routers = {
  none: () => undefined,
  nginx: nginxTrafficRouting,
};

export function trafficRouting(routing: ResolvedRouting): RolloutSpecStrategyCanaryTrafficRouting | undefined {
  return (ROUTERS[routing.kind] as (r: ResolvedRouting) => RolloutSpecStrategyCanaryTrafficRouting | undefined)(routing);
}
