/** The deployment strategy of a spec (`canary` or `blueGreen`), resolved by its own module. */
import type * as t from '../../document/types';
import type { ResolvedStrategyParts, StrategyInput } from './input';
import { resolveBlueGreen } from './blue-green';
import { resolveCanary } from './canary';

export function resolveStrategy(spec: t.CanaryAppSpec, input: StrategyInput): ResolvedStrategyParts {
  // The schema requires exactly one; a spec with neither only reaches here from the rules, which report it.
  return spec.blueGreen ? resolveBlueGreen(spec.blueGreen, input) : resolveCanary(spec.canary ?? {}, input);
}
