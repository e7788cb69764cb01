/** The canary strategy: steps (weight sugar compiled), background analysis, pod metadata per track. */
import type * as t from '../../document/types';
import { specSteps } from '../../document/normalize';
import type { ResolvedAnalysis, ResolvedCanaryStrategy, ResolvedStep } from '../model';

/** Label canarykit puts on canary and stable pods, so dashboards and queries can tell them apart. */
export const TRACK_LABEL = 'canarykit.dev/track';

export function resolveCanary(canary: t.CanarySpec, analysis: (a: t.StepAnalysisSpec) => ResolvedAnalysis): ResolvedCanaryStrategy {
  const named = specSteps(canary);
  const background = canary.analysis;
  return {
    kind: 'canary',
    steps: named.map((s): ResolvedStep => {
      if (s.setWeight !== undefined) return { setWeight: s.setWeight };
      if (s.pause) return { pause: s.pause.duration === undefined ? {} : { duration: normalizeDuration(s.pause.duration) } };
      if (s.analysis) return { analysis: analysis(s.analysis) };
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
  };
}

function trackMetadata(track: 'canary' | 'stable', meta: t.PodMetadataSpec | undefined): t.PodMetadataSpec {
  return {
    labels: { [TRACK_LABEL]: track, ...(meta?.labels ?? {}) },
    ...(meta?.annotations ? { annotations: meta.annotations } : {}),
  };
}

/** Pause durations: integers stay seconds; strings of digits become integers so the output has one form. */
function normalizeDuration(d: string | number): string | number {
  return typeof d === 'string' && /^[0-9]+$/.test(d) ? Number(d) : d;
}
