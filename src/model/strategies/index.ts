/** The deployment strategy of a spec, resolved by its own module. */
import type * as t from '../../document/types';
import type { ResolvedAnalysis, ResolvedStrategy } from '../model';
import { resolveCanary } from './canary';

export function resolveStrategy(spec: t.CanaryAppSpec, analysis: (a: t.StepAnalysisSpec) => ResolvedAnalysis): ResolvedStrategy {
  return resolveCanary(spec.canary, analysis);
}
