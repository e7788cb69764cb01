/** The canary strategy: steps (weight sugar compiled), background analysis, pod metadata per track. */
import type * as t from '../../document/types';
import { specSteps } from '../../document/normalize';
import type { ResolvedStep } from '../model';
import { routedIngress } from '../routers';
import type { ResolvedStrategyParts, StrategyInput } from './input';
import { trackMetadata } from './track';

export function resolveCanary(canary: t.CanarySpec, { analysis, service, root, routing, managedRoutes }: StrategyInput): ResolvedStrategyParts {
  const named = specSteps(canary);
  const background = canary.analysis;
  const stable = service('stable');
  const canaryService = service('canary');
  // A router that reads the Ingress (NGINX) needs it to point at the stable Service; otherwise the
  // Ingress serves every pod through root, and the canary's share of traffic is its share of replicas.
  const live = routedIngress(routing) !== undefined || !root ? stable.name : root.name;
  const strategy = {
    kind: 'canary' as const,
    stableService: stable.name,
    canaryService: canaryService.name,
    steps: named.map((s): ResolvedStep => {
      if (s.setWeight !== undefined) return { setWeight: s.setWeight };
      if (s.pause) return { pause: s.pause.duration === undefined ? {} : { duration: normalizeDuration(s.pause.duration) } };
      if (s.analysis) return { analysis: analysis(s.analysis) };
      if (s.setHeaderRoute) return { setHeaderRoute: s.setHeaderRoute };
      if (s.setMirrorRoute) return { setMirrorRoute: s.setMirrorRoute };
      return { setCanaryScale: s.setCanaryScale };
    }),
    analysis: background && {
      ...analysis(background),
      startingStep: background.startingStep === undefined ? undefined : named.findIndex((s) => s.name === background.startingStep),
    },
    canaryMetadata: trackMetadata('canary', canary.canaryMetadata),
    stableMetadata: trackMetadata('stable', canary.stableMetadata),
    maxSurge: canary.maxSurge,
    maxUnavailable: canary.maxUnavailable,
    dynamicStableScale: canary.dynamicStableScale,
    abortScaleDownDelaySeconds: canary.abortScaleDownDelaySeconds,
    scaleDownDelaySeconds: canary.scaleDownDelaySeconds,
    antiAffinity: canary.antiAffinity,
    managedRoutes: (managedRoutes ?? []).map((r) => r.name),
  };
  return { strategy, services: [stable, canaryService], backend: { live } };
}

/** Pause durations: integers stay seconds; strings of digits become integers so the output has one form. */
function normalizeDuration(d: string | number): string | number {
  return typeof d === 'string' && /^[0-9]+$/.test(d) ? Number(d) : d;
}
