/**
 * Rules across fields: references between steps, templates, args, Services and routing, plus the
 * controller's own rollout validation. Each rule is a pure function of the spec; all problems are
 * reported together.
 */
import type * as t from '../document/types';
import { error, show, SpecIssue, warning } from '../document/errors';
import { imageRef, NAME_LABEL } from '../model/resolve';
import { specSteps, templateRefName } from '../document/normalize';
import { durationSeconds } from '../document/patterns';
import { analysisRules } from './analysis';
import { controllerRules } from './controller-rules';

export function validateSpec(meta: t.AppMetadata, spec: t.CanaryAppSpec, base = 'spec'): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const p = (path: string) => `${base}.${path}`;

  // Image: a canary compares two identifiable versions, so an implicit or floating tag is refused.
  const ref = imageRef(spec.image);
  if (typeof spec.image === 'string') {
    if (!/^[^@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/.test(ref.replace(/^[^/]+:[0-9]+\//, 'x/')) || /:latest$/.test(ref)) {
      issues.push(error(p('image'), `${show(ref)} must name a tag other than latest or a sha256 digest`));
    }
  } else if (spec.image.tag === undefined && spec.image.digest === undefined) {
    issues.push(error(p('image'), 'must set tag or digest'));
  } else if (spec.image.tag === 'latest' && spec.image.digest === undefined) {
    issues.push(error(p('image.tag'), '"latest" is not allowed: pin a version or a digest'));
  }

  for (const key of Object.keys(spec.podLabels ?? {})) {
    if (key === NAME_LABEL) issues.push(error(p(`podLabels["${key}"]`), 'is the selector label canarykit sets; it cannot be overridden'));
  }
  issues.push(...duplicates((spec.env ?? []).map((e) => e.name), (i) => p(`env[${i}].name`)));

  issues.push(...validateServices(meta, spec, p));
  issues.push(...validateCanary(spec, p));
  issues.push(...validateTemplates(spec, p));
  issues.push(...analysisRules(spec, base));
  issues.push(...controllerRules(meta, spec, base));
  return issues;
}

function validateServices(meta: t.AppMetadata, spec: t.CanaryAppSpec, p: (s: string) => string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const names: [string, string][] = [
    ['services.stable.name', spec.services?.stable?.name ?? `${meta.name}-stable`],
    ['services.canary.name', spec.services?.canary?.name ?? `${meta.name}-canary`],
  ];
  if (spec.services?.root !== false) names.push(['services.root.name', spec.services?.root?.name ?? meta.name]);
  const seen = new Map<string, string>();
  for (const [path, name] of names) {
    const other = seen.get(name);
    if (other) issues.push(error(p(path), `${show(name)} is already the name of ${other}; the stable, canary and root Services must differ`));
    seen.set(name, p(path));
  }

  const nginx = spec.trafficRouting?.nginx;
  if (nginx && !spec.ingress) issues.push(error(p('trafficRouting.nginx'), 'needs spec.ingress: the NGINX router splits traffic of the stable Ingress'));
  if (spec.ingress?.annotations) {
    for (const key of Object.keys(spec.ingress.annotations)) {
      if (/\/canary(-|$)/.test(key)) {
        issues.push(error(p(`ingress.annotations["${key}"]`), 'canary annotations belong on the controller-managed canary Ingress: use trafficRouting.nginx.additionalIngressAnnotations'));
      }
    }
  }
  if (spec.ingress?.tlsSecretName === undefined && spec.ingress?.annotations?.['cert-manager.io/cluster-issuer']) {
    issues.push(warning(p('ingress.tlsSecretName'), 'cert-manager annotation set but no TLS Secret name'));
  }

  const sm = spec.serviceMonitor;
  const smOn = sm?.enabled ?? spec.ports?.metrics !== undefined;
  if (smOn && spec.ports?.metrics === undefined) issues.push(error(p('serviceMonitor'), 'is enabled but spec.ports.metrics is not set'));
  if (smOn && spec.services?.root === false) {
    issues.push(error(p('serviceMonitor'), 'scrapes the root Service, which services.root: false removes; the stable and canary Services each select only part of the pods'));
  }
  if (sm?.scrapeTimeout && sm.interval && durationSeconds(sm.scrapeTimeout) > durationSeconds(sm.interval)) {
    issues.push(error(p('serviceMonitor.scrapeTimeout'), `${show(sm.scrapeTimeout)} is longer than the interval ${show(sm.interval)}`));
  }
  return issues;
}

function validateCanary(spec: t.CanaryAppSpec, p: (s: string) => string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const canary = spec.canary;
  if ((canary.steps === undefined) === (canary.weights === undefined)) {
    issues.push(error(p('canary'), 'must set exactly one of steps and weights'));
    return issues;
  }
  if (canary.pause !== undefined && canary.steps) issues.push(error(p('canary.pause'), 'applies only to canary.weights; with steps, write pause steps'));

  const steps = specSteps(canary);
  const stepPath = (i: number) => (canary.steps ? p(`canary.steps[${i}]`) : p(`canary.weights[${Math.floor(i / 2)}]`));
  const routed = spec.trafficRouting?.nginx !== undefined;
  steps.forEach((s, i) => {
    const actions = (['setWeight', 'pause', 'analysis', 'setCanaryScale'] as const).filter((k) => s[k] !== undefined);
    if (actions.length !== 1) {
      issues.push(error(stepPath(i), actions.length === 0
        ? 'must set one of setWeight, pause, analysis, setCanaryScale'
        : `sets ${actions.join(' and ')}; a step does exactly one thing`));
    }
    if (s.setCanaryScale && !routed) issues.push(error(`${stepPath(i)}.setCanaryScale`, 'requires trafficRouting: without a router the canary scale is the weight'));
    if (s.analysis) issues.push(...validateAnalysisRef(spec, s.analysis, `${stepPath(i)}.analysis`));
  });
  issues.push(...duplicates(steps.map((s) => s.name).filter((n): n is string => n !== undefined), () => p('canary.steps'), 'step name'));
  if (canary.weights) {
    canary.weights.forEach((w, i) => {
      if (i > 0 && w <= canary.weights![i - 1]) issues.push(error(p(`canary.weights[${i}]`), `${w} must be greater than the previous weight ${canary.weights![i - 1]}`));
    });
  }

  const bg = canary.analysis;
  if (bg) {
    issues.push(...validateAnalysisRef(spec, bg, p('canary.analysis')));
    if (bg.startingStep !== undefined && !steps.some((s) => s.name === bg.startingStep)) {
      const known = steps.map((s) => s.name).filter(Boolean).join(', ') || 'none';
      issues.push(error(p('canary.analysis.startingStep'), `${show(bg.startingStep)} is not the name of a step (named steps: ${known})`));
    }
  }
  if (canary.dynamicStableScale && !routed) issues.push(error(p('canary.dynamicStableScale'), 'requires trafficRouting'));
  if (canary.scaleDownDelaySeconds !== undefined && !routed) issues.push(error(p('canary.scaleDownDelaySeconds'), 'requires trafficRouting'));
  if (canary.maxSurge !== undefined && canary.maxUnavailable !== undefined && isZero(canary.maxSurge) && isZero(canary.maxUnavailable)) {
    issues.push(error(p('canary.maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  }
  return issues;
}

function validateAnalysisRef(spec: t.CanaryAppSpec, a: t.StepAnalysisSpec, path: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const templates = new Map((spec.analysisTemplates ?? []).map((tpl) => [tpl.name, tpl]));
  const supplied = new Set((a.args ?? []).map((x) => x.name));
  issues.push(...duplicates((a.args ?? []).map((x) => x.name), (i) => `${path}.args[${i}].name`));
  const declared = new Set<string>();
  let allKnown = true;
  a.templates.forEach((ref, i) => {
    const { name, cluster } = templateRefName(ref);
    const tpl = templates.get(name);
    if (!tpl) {
      if (cluster) {
        allKnown = false;
        return;
      }
      const known = [...templates.keys()].join(', ') || 'none';
      issues.push(error(`${path}.templates[${i}]`, `${show(name)} is not defined in spec.analysisTemplates (defined: ${known}); use { name, cluster: true } for an existing ClusterAnalysisTemplate`));
      return;
    }
    for (const arg of tpl.args ?? []) {
      declared.add(arg.name);
      if (arg.value === undefined && arg.valueFrom === undefined && !supplied.has(arg.name)) {
        issues.push(error(`${path}.args`, `template ${show(name)} needs arg ${show(arg.name)}, which has no default and is not supplied`));
      }
    }
  });
  if (allKnown) {
    (a.args ?? []).forEach((arg, i) => {
      if (!declared.has(arg.name)) issues.push(error(`${path}.args[${i}].name`, `${show(arg.name)} is not declared by any referenced template; the controller would drop it`));
    });
  }
  return issues;
}

function validateTemplates(spec: t.CanaryAppSpec, p: (s: string) => string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const templates = spec.analysisTemplates ?? [];
  issues.push(...duplicates(templates.map((tpl) => tpl.name), (i) => p(`analysisTemplates[${i}].name`), 'template name'));
  templates.forEach((tpl, ti) => {
    const tp = p(`analysisTemplates[${ti}]`);
    issues.push(...duplicates((tpl.args ?? []).map((a) => a.name), (i) => `${tp}.args[${i}].name`));
    issues.push(...duplicates(tpl.metrics.map((m) => m.name), (i) => `${tp}.metrics[${i}].name`, 'metric name'));
    tpl.metrics.forEach((m, mi) => {
      const mp = `${tp}.metrics[${mi}]`;
      if (m.count !== undefined && m.count > 1 && m.interval === undefined) issues.push(error(`${mp}.interval`, `is required when count is ${m.count}`));
      if (m.failureLimit !== undefined && m.count !== undefined && m.failureLimit >= m.count) {
        issues.push(error(`${mp}.failureLimit`, `${m.failureLimit} is not below count ${m.count}: the metric could never fail`));
      }
      if (m.provider.prometheus && !m.provider.prometheus.address && !spec.prometheus) {
        issues.push(error(`${mp}.provider.prometheus.address`, 'is required (or set spec.prometheus.address)'));
      }
    });
    for (const arg of tpl.args ?? []) {
      if (arg.value !== undefined && /token|password|secret|apikey|api-key/i.test(arg.name)) {
        issues.push(error(`${tp}.args`, `arg ${show(arg.name)} looks like a credential: supply it with valueFrom.secretKeyRef, never inline`));
      }
    }
  });
  return issues;
}

function duplicates(values: readonly string[], path: (i: number) => string, what = 'name'): SpecIssue[] {
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) issues.push(error(path(i), `duplicate ${what} ${show(v)}`));
    seen.add(v);
  });
  return issues;
}

function isZero(v: string | number): boolean {
  return Number.parseInt(String(v), 10) === 0;
}
