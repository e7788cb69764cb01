/**
 * The written spec's shorthand spelled out, for every layer that reads a spec as written (rules, resolve,
 * the Helm parameter table): the weight schedule as steps, a template reference as name and scope.
 */
import type * as t from './types';
import { DEFAULTS } from './defaults';

/**
 * The canary's steps, with the weight-schedule sugar compiled; names kept beside for `startingStep`.
 * None without a canary strategy.
 */
export function specSteps(canary: t.CanarySpec | undefined): readonly t.CanaryStep[] {
  if (!canary) return [];
  if (canary.steps) return canary.steps;
  const pause = canary.pause ?? DEFAULTS.weightPause;
  return (canary.weights ?? []).flatMap((w): t.CanaryStep[] => [
    { name: `weight-${w}`, setWeight: w },
    { pause: pause === 'manual' ? {} : { duration: pause } },
  ]);
}

export function templateRefName(ref: t.TemplateRef): { name: string; cluster: boolean; library?: string } {
  return typeof ref === 'string' ? { name: ref, cluster: false } : { name: ref.name, cluster: ref.cluster ?? false, library: ref.library };
}
