/**
 * Each router's part of the Rollout (`strategy.canary.trafficRouting`). A router whose objects canarykit
 * creates (a route, a VirtualService) adds them in its own module too.
 */
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import type { ResolvedRouting } from '../../model/model';
import { ByKind, byKind } from '../../model/kinds';
import { nginxTrafficRouting } from './nginx';

const ROUTERS: ByKind<ResolvedRouting, [], RolloutSpecStrategyCanaryTrafficRouting | undefined> = {
  none: () => undefined,
  nginx: nginxTrafficRouting,
};

export function trafficRouting(routing: ResolvedRouting): RolloutSpecStrategyCanaryTrafficRouting | undefined {
  return byKind(ROUTERS, routing);
}
