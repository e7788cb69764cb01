/**
 * Labels and annotations canarykit or the controller own: setting them would take pods out of the
 * Rollout's selector, blur the canary/stable split, or make the controller refuse a Service. (The form
 * and length of every key is the schema's: see `labelKey` in document/schema.ts.)
 */
import { error, SpecIssue } from '../document/errors';
import { NAME_LABEL } from '../model/resolve';
import { POD_TEMPLATE_HASH_LABEL } from '../model/controller-owned';
import type { Rule, RuleContext } from './context';

const MANAGED_BY_ROLLOUTS = 'argo-rollouts.argoproj.io/managed-by-rollouts';

type Map = Readonly<Record<string, string>> | undefined;

/** Every label and annotation map of the spec, with its path. */
function maps({ meta, spec, path }: RuleContext): [string, Map][] {
  const out: [string, Map][] = [
    ['metadata.labels', meta.labels],
    ['metadata.annotations', meta.annotations],
    [path('podLabels'), spec.podLabels],
    [path('podAnnotations'), spec.podAnnotations],
    [path('canary.canaryMetadata.labels'), spec.canary?.canaryMetadata?.labels],
    [path('canary.canaryMetadata.annotations'), spec.canary?.canaryMetadata?.annotations],
    [path('canary.stableMetadata.labels'), spec.canary?.stableMetadata?.labels],
    [path('canary.stableMetadata.annotations'), spec.canary?.stableMetadata?.annotations],
    [path('blueGreen.previewMetadata.labels'), spec.blueGreen?.previewMetadata?.labels],
    [path('blueGreen.previewMetadata.annotations'), spec.blueGreen?.previewMetadata?.annotations],
    [path('blueGreen.activeMetadata.labels'), spec.blueGreen?.activeMetadata?.labels],
    [path('blueGreen.activeMetadata.annotations'), spec.blueGreen?.activeMetadata?.annotations],
    [path('ingress.annotations'), spec.ingress?.annotations],
    [path('trafficRouting.nginx.canaryIngressAnnotations'), spec.trafficRouting?.nginx?.canaryIngressAnnotations],
    [path('serviceMonitor.selectorLabels'), spec.serviceMonitor?.selectorLabels],
  ];
  for (const svc of ['stable', 'canary', 'active', 'preview', 'root'] as const) {
    const s = spec.services?.[svc];
    if (s) out.push([path(`services.${svc}.annotations`), s.annotations]);
  }
  return out;
}

function keyIssues(path: string, key: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (key === POD_TEMPLATE_HASH_LABEL && /labels$/i.test(path)) issues.push(error(`${path}["${key}"]`, 'is the label the controller sets to tell canary and stable pods apart'));
  if (key === NAME_LABEL && /(canary|stable|preview|active)Metadata\.labels$/.test(path)) issues.push(error(`${path}["${key}"]`, 'is the selector label canarykit sets; pods relabelled would leave the Rollout\'s selector'));
  if (key === MANAGED_BY_ROLLOUTS && /services\./.test(path)) issues.push(error(`${path}["${key}"]`, 'is set by the controller on the Services it manages; a different value makes it refuse the Service'));
  return issues;
}

export const metadataRules: readonly Rule[] = [
  {
    name: 'selector-label-reserved',
    *check({ spec, path }) {
      for (const key of Object.keys(spec.podLabels ?? {})) {
        if (key === NAME_LABEL) yield error(path(`podLabels["${key}"]`), 'is the selector label canarykit sets; it cannot be overridden');
      }
    },
  },
  {
    name: 'reserved-keys',
    check: (ctx) => maps(ctx).flatMap(([path, map]) => Object.keys(map ?? {}).flatMap((key) => keyIssues(path, key))),
  },
];
