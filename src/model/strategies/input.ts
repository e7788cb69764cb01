/** The contract between `resolve` and each strategy's resolver. */
import type * as t from '../../document/types';
import type { ResolvedAnalysis, ResolvedRouting, ResolvedService, ResolvedStrategy, ServiceRole } from '../model';

/** What a strategy resolver gets from `resolve`. */
export interface StrategyInput {
  readonly analysis: (a: t.StepAnalysisSpec) => ResolvedAnalysis;
  /** The Service of a role, with its written name and annotations or the defaults. */
  readonly service: (role: ServiceRole) => ResolvedService;
  readonly root?: ResolvedService;
  readonly routing: ResolvedRouting;
  /** `trafficRouting.managedRoutes`, router-agnostic: the routes the canary steps set and remove. */
  readonly managedRoutes?: t.TrafficRoutingSpec['managedRoutes'];
}

export interface ResolvedStrategyParts {
  readonly strategy: ResolvedStrategy;
  /** The strategy's two Services, in output order. */
  readonly services: readonly ResolvedService[];
  /** The Services the Ingress routes to: live traffic, and blue-green's preview host. */
  readonly backend: { readonly live: string; readonly preview?: string };
}
