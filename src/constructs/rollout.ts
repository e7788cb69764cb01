import { Construct } from 'constructs';
import type { ResolvedAnalysis, ResolvedApp, ResolvedStep } from '../model/model';
import {
  Rollout, RolloutProps, toJson_RolloutProps, RolloutSpecStrategyCanary, RolloutSpecStrategyCanaryMaxSurge, RolloutSpecStrategyCanaryMaxUnavailable,
  RolloutSpecStrategyCanarySteps, RolloutSpecStrategyCanaryStepsPauseDuration, RolloutSpecStrategyCanaryAnalysisArgs,
} from '../../imports/argoproj.io';
import { compact, objectMeta } from './metadata';
import { podSpec } from './pod';
import { plainObject } from './render';

export interface CanaryRolloutProps {
  /** The resolved app. */
  readonly app: ResolvedApp;
}

/** The Rollout: the app's pods and the canary strategy that moves traffic between its Services. */
export class CanaryRollout extends Construct {
  public readonly rollout: Rollout;

  constructor(scope: Construct, id: string, props: CanaryRolloutProps) {
    super(scope, id);
    const { app } = props;
    const rolloutProps: RolloutProps = {
      metadata: objectMeta(app, app.name, { annotations: app.rolloutAnnotations }),
      spec: {
        replicas: app.replicas,
        revisionHistoryLimit: app.revisionHistoryLimit,
        selector: { matchLabels: { ...app.selectorLabels } },
        strategy: { canary: canaryStrategy(app) },
      },
    };
    const template = podTemplate(app);
    this.rollout = plainObject(Rollout, toJson_RolloutProps, this, 'rollout', rolloutProps, (manifest) => { manifest.spec.template = template; });
  }
}

function canaryStrategy(app: ResolvedApp): RolloutSpecStrategyCanary {
  const c = app.canary;
  const intOrPercent = <T>(v: string | number | undefined, cls: { fromNumber(n: number): T; fromString(s: string): T }) =>
    v === undefined ? undefined : typeof v === 'number' ? cls.fromNumber(v) : cls.fromString(v);
  return {
    stableService: app.services.stable.name,
    canaryService: app.services.canary.name,
    canaryMetadata: { labels: { ...c.canaryMetadata.labels }, annotations: c.canaryMetadata.annotations && { ...c.canaryMetadata.annotations } },
    stableMetadata: { labels: { ...c.stableMetadata.labels }, annotations: c.stableMetadata.annotations && { ...c.stableMetadata.annotations } },
    trafficRouting: app.nginx && app.ingress ? {
      nginx: {
        stableIngress: app.ingress.name,
        annotationPrefix: app.nginx.annotationPrefix,
        additionalIngressAnnotations: app.nginx.additionalIngressAnnotations && { ...app.nginx.additionalIngressAnnotations },
        canaryIngressAnnotations: app.nginx.canaryIngressAnnotations && { ...app.nginx.canaryIngressAnnotations },
      },
    } : undefined,
    maxSurge: intOrPercent(c.maxSurge, RolloutSpecStrategyCanaryMaxSurge),
    maxUnavailable: intOrPercent(c.maxUnavailable, RolloutSpecStrategyCanaryMaxUnavailable),
    dynamicStableScale: c.dynamicStableScale,
    abortScaleDownDelaySeconds: c.abortScaleDownDelaySeconds,
    scaleDownDelaySeconds: c.scaleDownDelaySeconds,
    steps: c.steps.map(step),
    analysis: c.analysis && { ...analysis(c.analysis), startingStep: c.analysis.startingStep },
  };
}

function step(s: ResolvedStep): RolloutSpecStrategyCanarySteps {
  if (s.setWeight !== undefined) return { setWeight: s.setWeight };
  if (s.pause) {
    const d = s.pause.duration;
    return { pause: d === undefined ? {} : { duration: typeof d === 'number' ? RolloutSpecStrategyCanaryStepsPauseDuration.fromNumber(d) : RolloutSpecStrategyCanaryStepsPauseDuration.fromString(d) } };
  }
  if (s.analysis) return { analysis: analysis(s.analysis) };
  return { setCanaryScale: { ...s.setCanaryScale } };
}

function analysis(a: ResolvedAnalysis) {
  return {
    templates: a.templates.map((tpl) => compact({ templateName: tpl.templateName, clusterScope: tpl.clusterScope })),
    args: a.args.length > 0 ? a.args.map((arg): RolloutSpecStrategyCanaryAnalysisArgs => compact({
      name: arg.name,
      value: arg.value,
      valueFrom: arg.valueFrom && compact({ podTemplateHashValue: arg.valueFrom.podTemplateHashValue, fieldRef: arg.valueFrom.fieldRef }),
    })) : undefined,
  };
}

function podTemplate(app: ResolvedApp): Record<string, unknown> {
  const c = app.container;
  const ports = [{ name: 'http', containerPort: app.ports.http }];
  if (app.ports.metrics !== undefined && app.ports.metrics !== app.ports.http) ports.push({ name: 'metrics', containerPort: app.ports.metrics });
  return {
    metadata: compact({
      labels: { ...app.pod.labels },
      annotations: Object.keys(app.pod.annotations).length > 0 ? { ...app.pod.annotations } : undefined,
    }),
    spec: podSpec({
      serviceAccountName: app.pod.serviceAccountName,
      automountServiceAccountToken: app.pod.automountServiceAccountToken,
      security: c.security,
      containers: [{ name: app.name, ports, ...c }],
    }),
  };
}
