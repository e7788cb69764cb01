/** `strategy.canary` of the Rollout: Services, steps, background analysis and the router's part. */
import {
  RolloutSpecStrategy, RolloutSpecStrategyCanaryMaxSurge, RolloutSpecStrategyCanaryMaxUnavailable, RolloutSpecStrategyCanarySteps,
  RolloutSpecStrategyCanaryStepsPauseDuration, RolloutSpecStrategyCanaryAnalysisArgs, RolloutSpecStrategyCanaryTrafficRouting,
} from '../../../imports/argoproj.io';
import type * as t from '../../document/types';
import type { ResolvedAnalysis, ResolvedApp, ResolvedCanaryStrategy, ResolvedStep } from '../../model/model';
import { compact } from '../metadata';
import { trafficRouting } from '../routers';

export function canaryStrategy(c: ResolvedCanaryStrategy, app: ResolvedApp): RolloutSpecStrategy {
  const intOrPercent = <T>(v: string | number | undefined, cls: { fromNumber(n: number): T; fromString(s: string): T }) =>
    v === undefined ? undefined : typeof v === 'number' ? cls.fromNumber(v) : cls.fromString(v);
  return {
    canary: {
      stableService: c.stableService,
      canaryService: c.canaryService,
      canaryMetadata: podMetadata(c.canaryMetadata),
      stableMetadata: podMetadata(c.stableMetadata),
      trafficRouting: withManagedRoutes(trafficRouting(app.routing), c.managedRoutes),
      maxSurge: intOrPercent(c.maxSurge, RolloutSpecStrategyCanaryMaxSurge),
      maxUnavailable: intOrPercent(c.maxUnavailable, RolloutSpecStrategyCanaryMaxUnavailable),
      dynamicStableScale: c.dynamicStableScale,
      abortScaleDownDelaySeconds: c.abortScaleDownDelaySeconds,
      scaleDownDelaySeconds: c.scaleDownDelaySeconds,
      antiAffinity: antiAffinity(c.antiAffinity),
      steps: c.steps.map(step),
      analysis: c.analysis && { ...analysis(c.analysis), startingStep: c.analysis.startingStep },
    },
  };
}

function step(s: ResolvedStep): RolloutSpecStrategyCanarySteps {
  if (s.setWeight !== undefined) return { setWeight: s.setWeight };
  if (s.pause) {
    const d = s.pause.duration;
    return { pause: d === undefined ? {} : { duration: typeof d === 'number' ? RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(d) : RolloutSpecStrategyCanaryStepsPauseDuration.fromString(d) } };
  }
  if (s.analysis) return { analysis: analysis(s.analysis) };
  if (s.setHeaderRoute) {
    const h = s.setHeaderRoute;
    return { setHeaderRoute: { name: h.name, match: h.match?.map((m) => ({ headerName: m.headerName, headerValue: { ...m.headerValue } })) } };
  }
  if (s.setMirrorRoute) {
    const m = s.setMirrorRoute;
    return {
      setMirrorRoute: {
        name: m.name,
        percentage: m.percentage,
        match: m.match?.map((x) => compact({
          method: x.method && { ...x.method },
          path: x.path && { ...x.path },
          headers: x.headers && Object.fromEntries(Object.entries(x.headers).map(([k, v]) => [k, { ...v }])),
        })),
      },
    };
  }
  return { setCanaryScale: { ...s.setCanaryScale } };
}

/** The router's part plus the routes the steps manage (router-agnostic: `trafficRouting.managedRoutes`). */
function withManagedRoutes(routing: RolloutSpecStrategyCanaryTrafficRouting | undefined, managed: readonly string[]): RolloutSpecStrategyCanaryTrafficRouting | undefined {
  if (!routing || managed.length === 0) return routing;
  return { ...routing, managedRoutes: managed.map((name) => ({ name })) };
}

/** Pod metadata of one ReplicaSet's pods (canary/stable, preview/active) as the Rollout writes it. */
export function podMetadata(meta: t.PodMetadataSpec) {
  return { labels: { ...meta.labels }, annotations: meta.annotations && { ...meta.annotations } };
}

/** The strategy's antiAffinity as the controller reads it (it adds the pod anti-affinity to new pods itself). */
export function antiAffinity(a: t.AntiAffinitySpec | undefined) {
  if (!a) return undefined;
  return a.preferred
    ? { preferredDuringSchedulingIgnoredDuringExecution: { weight: a.preferred.weight } }
    : { requiredDuringSchedulingIgnoredDuringExecution: {} };
}

/** An analysis as the Rollout writes it: steps, background, and blue-green's promotion analyses. */
export function analysis(a: ResolvedAnalysis) {
  return {
    templates: a.templates.map((tpl) => compact({ templateName: tpl.templateName, clusterScope: tpl.clusterScope })),
    args: a.args.length > 0 ? a.args.map((arg): RolloutSpecStrategyCanaryAnalysisArgs => compact({
      name: arg.name,
      value: arg.value,
      valueFrom: arg.valueFrom && compact({ podTemplateHashValue: arg.valueFrom.podTemplateHashValue, fieldRef: arg.valueFrom.fieldRef }),
    })) : undefined,
  };
}
