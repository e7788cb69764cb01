/**
 * The Argo Rollouts controller's own checks (argo-rollouts v1.9.1: `pkg/apis/rollouts/validation`,
 * `utils/analysis`, the metric providers) and the Kubernetes API server's pod and Ingress checks, mirrored
 * at synth time so no problem waits for a rollout or an AnalysisRun to surface. Also rejects what the
 * controller silently accepts but cannot mean what was written (a value it ignores, a metric that can
 * never fail). docs/validation.md maps each rule to its controller source and its test.
 *
 * Every function is pure and returns all its issues; `validateSpec` calls `controllerRules`.
 */
import type * as t from '../document/types';
import { error, joinPath, show, SpecIssue, warning } from '../document/errors';
import { DEFAULTS, NAME_LABEL } from '../model/resolve';
import { specSteps, templateRefName } from '../document/normalize';
import { durationSeconds, parseQuantity, PLACEHOLDER } from '../document/patterns';
import { MAX_ABORT_APP_NAME } from '../analysis/events';

type Path = (s: string) => string;

export function controllerRules(meta: t.AppMetadata, spec: t.CanaryAppSpec, base = 'spec'): SpecIssue[] {
  const p: Path = (path) => `${base}.${path}`;
  return [
    ...integerRanges(spec, base),
    ...durationRanges(spec, p),
    ...strategyRules(spec, p),
    ...analysisRefRules(spec, p),
    ...metricRules(spec, p),
    ...podRules(spec, p),
    ...metadataRules(meta, spec, p),
    ...ingressRules(spec, p),
    ...eventRules(meta, spec, p),
  ];
}

/** Kubernetes and Argo Rollouts integer fields are int32 (`format: int32`), except these int64 ones. */
const INT64_FIELDS = new Set(['runAsUser', 'runAsGroup', 'fsGroup', 'activeDeadlineSeconds', 'timeout']);
const INT32_MAX = 2 ** 31 - 1;

function integerRanges(spec: t.CanaryAppSpec, base: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  // The path of the value being walked; spelled out only for an issue, as this visits every field.
  const at: PropertyKey[] = [];
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'number' && value > INT32_MAX && !INT64_FIELDS.has(key)) {
      issues.push(error(joinPath(base, at), `${value} is larger than ${INT32_MAX}, the largest int32 the API accepts`));
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => { at.push(i); walk(v, key); at.pop(); });
    } else if (value !== null && typeof value === 'object') {
      for (const k in value) { at.push(k); walk((value as Record<string, unknown>)[k], k); at.pop(); }
    }
  };
  walk(spec, '');
  return issues;
}

/** Go's `time.ParseDuration` fails past int64 nanoseconds; pause durations are converted to int32 seconds. */
const MAX_GO_DURATION_SECONDS = 9223372036;

function durationRanges(spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const check = (path: string, value: string | number | undefined, maxSeconds: number, what: string) => {
    if (value !== undefined && durationSeconds(value) > maxSeconds) {
      issues.push(error(path, `${show(value)} is longer than ${maxSeconds}s, the longest ${what}`));
    }
  };
  const pauseMax = 'pause the controller accepts (int32 seconds)';
  const goMax = 'Go duration';
  if (spec.canary.steps) spec.canary.steps.forEach((s, i) => check(p(`canary.steps[${i}].pause.duration`), s.pause?.duration, INT32_MAX, pauseMax));
  if (spec.canary.pause !== 'manual') check(p('canary.pause'), spec.canary.pause, INT32_MAX, pauseMax);
  (spec.analysisTemplates ?? []).forEach((tpl, ti) => tpl.metrics.forEach((m, mi) => {
    check(p(`analysisTemplates[${ti}].metrics[${mi}].interval`), m.interval, MAX_GO_DURATION_SECONDS, goMax);
    check(p(`analysisTemplates[${ti}].metrics[${mi}].initialDelay`), m.initialDelay, MAX_GO_DURATION_SECONDS, goMax);
  }));
  check(p('serviceMonitor.interval'), spec.serviceMonitor?.interval, MAX_GO_DURATION_SECONDS, goMax);
  check(p('serviceMonitor.scrapeTimeout'), spec.serviceMonitor?.scrapeTimeout, MAX_GO_DURATION_SECONDS, goMax);
  return issues;
}

function strategyRules(spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const c = spec.canary;
  const routed = spec.trafficRouting?.nginx !== undefined;
  if (c.dynamicStableScale && c.scaleDownDelaySeconds !== undefined) {
    issues.push(error(p('canary.scaleDownDelaySeconds'), 'cannot be used with dynamicStableScale (the controller rejects the Rollout)'));
  }
  if (c.abortScaleDownDelaySeconds !== undefined && !routed) {
    issues.push(error(p('canary.abortScaleDownDelaySeconds'), 'applies only with trafficRouting; a basic canary ignores it'));
  }
  if (c.dynamicStableScale && routed) {
    issues.push(warning(p('canary.dynamicStableScale'), 'with NGINX, requests can get 503 while the stable pods are scaled down at 100% canary weight'));
  }
  if (typeof c.maxUnavailable === 'string' && Number.parseInt(c.maxUnavailable, 10) > 100) {
    issues.push(error(p('canary.maxUnavailable'), `${show(c.maxUnavailable)} is more than 100%`));
  }
  return issues;
}

/** Checks of one analysis (a step's or the background one) against the templates it runs together. */
function analysisRefRules(spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const byName = new Map((spec.analysisTemplates ?? []).map((tpl) => [tpl.name, tpl]));
  const check = (a: t.StepAnalysisSpec, path: string, step: boolean) => {
    const templates = a.templates.map((ref) => byName.get(templateRefName(ref).name)).filter((x): x is t.AnalysisTemplateSpec => x !== undefined);
    // The controller flattens the templates of one analysis into one AnalysisRun (utils/analysis FlattenTemplates).
    const metricOwner = new Map<string, string>();
    const argValue = new Map<string, [string, string]>();
    for (const tpl of templates) {
      for (const m of tpl.metrics) {
        const other = metricOwner.get(m.name);
        if (other !== undefined && other !== tpl.name) {
          issues.push(error(`${path}.templates`, `templates ${show(other)} and ${show(tpl.name)} both define metric ${show(m.name)}; the controller refuses two metrics with the same name in one AnalysisRun`));
        }
        metricOwner.set(m.name, tpl.name);
        if (step && m.interval !== undefined && m.count === undefined) {
          issues.push(error(`${path}.templates`, `template ${show(tpl.name)} metric ${show(m.name)} has an interval but no count, so it runs indefinitely; a step analysis must end (set count)`));
        }
      }
      for (const arg of tpl.args ?? []) {
        if (arg.value === undefined) continue;
        const prev = argValue.get(arg.name);
        if (prev && prev[1] !== arg.value) {
          issues.push(error(`${path}.templates`, `templates ${show(prev[0])} and ${show(tpl.name)} give arg ${show(arg.name)} different values (${show(prev[1])}, ${show(arg.value)}); the controller refuses the AnalysisRun`));
        }
        argValue.set(arg.name, [tpl.name, arg.value]);
      }
    }
    (a.args ?? []).forEach((arg, i) => {
      const secret = templates.find((tpl) => (tpl.args ?? []).some((x) => x.name === arg.name && x.valueFrom?.secretKeyRef));
      if (secret) issues.push(error(`${path}.args[${i}]`, `template ${show(secret.name)} reads arg ${show(arg.name)} from a Secret; the controller ignores the value supplied here`));
      const fieldPath = arg.valueFrom?.fieldRef?.fieldPath;
      if (fieldPath !== undefined) issues.push(...rolloutFieldPath(fieldPath, `${path}.args[${i}].valueFrom.fieldRef.fieldPath`));
    });
  };
  specSteps(spec.canary).forEach((s, i) => {
    if (s.analysis) check(s.analysis, spec.canary.steps ? p(`canary.steps[${i}].analysis`) : p('canary.weights'), true);
  });
  if (spec.canary.analysis) check(spec.canary.analysis, p('canary.analysis'), false);
  return issues;
}

/** What `fieldpath.ExtractFieldPathAsString` resolves on an object (the downward API on metadata). */
const METADATA_FIELDS = /^metadata\.(name|namespace|uid|labels|annotations)$|^metadata\.(labels|annotations)\['[^']+'\]$/;
/** Pod fields the downward API exposes to environment variables, besides metadata. */
const POD_ENV_FIELDS = new Set(['spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
const RESOURCE_FIELDS = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/;

function rolloutFieldPath(fieldPath: string, path: string): SpecIssue[] {
  if (fieldPath.startsWith('metadata')) {
    return METADATA_FIELDS.test(fieldPath) ? [] : [error(path, `${show(fieldPath)} is not a metadata field the downward API supports (metadata.name, .namespace, .uid, .labels['key'], .annotations['key'])`)];
  }
  return /^(spec|status)(\.[A-Za-z0-9_]+|\[[0-9]+\])+$/.test(fieldPath) ? [] : [error(path, `${show(fieldPath)} is not a path into the Rollout such as spec.replicas or status.stableRS`)];
}

function metricRules(spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (spec.prometheus) issues.push(...httpUrl(spec.prometheus.address, p('prometheus.address')));
  (spec.analysisTemplates ?? []).forEach((tpl, ti) => {
    const tp = p(`analysisTemplates[${ti}]`);
    const declared = new Set((tpl.args ?? []).map((a) => a.name));
    const used = new Set<string>();
    tpl.metrics.forEach((m, mi) => {
      const mp = `${tp}.metrics[${mi}]`;
      const count = m.count ?? (m.interval === undefined ? 1 : undefined);
      if (m.inconclusiveLimit !== undefined && count !== undefined && m.inconclusiveLimit > count) {
        issues.push(error(`${mp}.inconclusiveLimit`, `${m.inconclusiveLimit} is more than count ${count}; the controller requires count >= inconclusiveLimit`));
      }
      if (m.count === undefined && m.interval === undefined && m.failureLimit !== undefined && m.failureLimit >= 1) {
        issues.push(error(`${mp}.failureLimit`, `${m.failureLimit} with a single measurement (no count, no interval): the metric could never fail`));
      }
      for (const [field, text] of strings(m, mp)) {
        if (text.replace(PLACEHOLDER, '').includes('{{')) {
          issues.push(error(field, 'has "{{" without a closing "}}"; the controller fails to parse the metric'));
        }
        for (const match of text.matchAll(PLACEHOLDER)) {
          const arg = /^args\.(.+)$/.exec(match[1].trim())?.[1];
          if (arg !== undefined) used.add(arg);
          if (arg !== undefined && declared.has(arg)) continue;
          issues.push(error(field, arg !== undefined && /^[A-Za-z0-9_.-]+$/.test(arg)
            ? `uses {{args.${arg}}} but template ${show(tpl.name)} declares no arg ${show(arg)}`
            : `${show(match[0])} is not {{args.<name>}} of a declared arg; the controller fails the AnalysisRun ("failed to resolve")`));
        }
      }
      const { prometheus, web, job, successRate, latency } = m.provider;
      if ((prometheus || web) && m.successCondition === undefined && m.failureCondition === undefined) {
        issues.push(error(mp, 'sets neither successCondition nor failureCondition; the controller would count every measurement as successful'));
      }
      for (const field of ['successCondition', 'failureCondition'] as const) {
        const cond = m[field];
        if (cond !== undefined) issues.push(...condition(cond, `${mp}.${field}`));
      }
      for (const [kind, conn] of [['prometheus', prometheus], ['successRate', successRate], ['latency', latency]] as const) {
        if (conn?.address !== undefined) issues.push(...httpUrl(conn.address, `${mp}.provider.${kind}.address`));
      }
      if (web) {
        issues.push(...httpUrl(web.url.replace(PLACEHOLDER, 'x'), `${mp}.provider.web.url`, web.url));
        for (const field of ['body', 'jsonBody'] as const) {
          if (web[field] !== undefined && (web.method ?? 'GET') === 'GET') {
            issues.push(error(`${mp}.provider.web.${field}`, `is set but the method is GET; the controller fails the measurement (${field} needs POST or PUT)`));
          }
        }
        if (web.body !== undefined && web.jsonBody !== undefined) {
          issues.push(error(`${mp}.provider.web`, 'sets both body and jsonBody; the controller fails every measurement that has both'));
        }
        const plainBody = web.body?.replace(PLACEHOLDER, 'x');
        if (web.body !== undefined && plainBody !== web.body && isJsonDocument(plainBody!)) {
          issues.push(warning(`${mp}.provider.web.body`, 'is JSON with {{args...}} in it; the controller substitutes arg values unescaped here, so a quote or backslash in one breaks the body. Write it as jsonBody, where they are escaped'));
        }
        if (web.jsonPath !== undefined && !balancedJsonPath(web.jsonPath)) {
          issues.push(error(`${mp}.provider.web.jsonPath`, `${show(web.jsonPath)} is not a JSONPath template such as {$.data.rate}`));
        }
      }
      for (const [kind, headers] of [['prometheus', prometheus?.headers], ['web', web?.headers], ['successRate', successRate?.headers], ['latency', latency?.headers]] as const) {
        (headers ?? []).forEach((h, i) => {
          // eslint-disable-next-line no-control-regex
          if (/[\x00-\x08\x0a-\x1f\x7f]/.test(h.value)) {
            issues.push(error(`${mp}.provider.${kind}.headers[${i}].value`, "contains a control character (newline?); Go's HTTP client refuses the header"));
          }
        });
      }
      if (job) {
        if (!/^[^\s]+$/.test(job.image)) issues.push(error(`${mp}.provider.job.image`, `${show(job.image)} is not an image reference (no whitespace)`));
        issues.push(...envRules(job.env ?? [], `${mp}.provider.job.env`));
      }
    });
    for (const name of declared) {
      if (!used.has(name)) issues.push(warning(`${tp}.args`, `arg ${show(name)} is declared but no metric uses {{args.${name}}}`));
    }
  });
  return issues;
}

/** True for a JSON object or array (what a JSON request body is). */
function isJsonDocument(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}

/** Every string of a metric that reaches the AnalysisTemplate, with its path (`tests` are never emitted). */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const k in value) if (k !== 'tests') strings((value as Record<string, unknown>)[k], joinPath(path, [k]), out);
  }
  return out;
}

/** expr conditions: quotes closed and brackets balanced, or the AnalysisRun errors on its first measurement. */
function condition(text: string, path: string): SpecIssue[] {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const body = text.replace(PLACEHOLDER, '0');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < body.length && body[j] !== ch) j += ch !== '`' && body[j] === '\\' ? 2 : 1;
      if (j >= body.length) return [error(path, `${show(text)} has an unclosed ${ch} quote`)];
      i = j;
    } else if ('([{'.includes(ch)) {
      stack.push(ch);
    } else if (ch in pairs && stack.pop() !== pairs[ch]) {
      return [error(path, `${show(text)} has an unbalanced "${ch}"`)];
    }
  }
  if (stack.length > 0) return [error(path, `${show(text)} has an unclosed "${stack[stack.length - 1]}"`)];
  return /\bresult\b/.test(body) ? [] : [warning(path, `${show(text)} does not look at result, so every measurement gets the same verdict`)];
}

function balancedJsonPath(text: string): boolean {
  let depth = 0;
  let opened = false;
  for (const ch of text) {
    if (ch === '{') { depth++; opened = true; }
    if (ch === '}' && --depth < 0) return false;
  }
  return opened && depth === 0;
}

function httpUrl(url: string, path: string, shown = url): SpecIssue[] {
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(url)) return [error(path, `${show(shown)} contains whitespace or a control character; percent-encode it`)];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [error(path, `${show(shown)} is not a URL`)];
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? [] : [error(path, `${show(shown)} is not an http:// or https:// URL`)];
}

/** The named container ports probes can refer to. */
function portNames(spec: t.CanaryAppSpec): string[] {
  return spec.ports?.metrics !== undefined && spec.ports.metrics !== (spec.ports.http ?? DEFAULTS.httpPort) ? ['http', 'metrics'] : ['http'];
}

function podRules(spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const requests: Record<string, string | undefined> = { ...DEFAULTS.requests, ...spec.resources?.requests };
  const limits: Record<string, string | undefined> = { ...DEFAULTS.limits, ...spec.resources?.limits };
  for (const [kind, list] of [['requests', requests], ['limits', limits]] as const) {
    for (const [res, value] of Object.entries(list)) {
      if (value === undefined) continue;
      const q = parseQuantity(value);
      if (q === undefined) issues.push(error(joinPath(p(`resources.${kind}`), [res]), `${show(value)} is not a Kubernetes quantity such as 100m or 128Mi`));
      else if (q < 0) issues.push(error(joinPath(p(`resources.${kind}`), [res]), `${show(value)} must be >= 0`));
    }
  }
  for (const res of Object.keys(requests)) {
    const r = requests[res] === undefined ? undefined : parseQuantity(requests[res]!);
    const l = limits[res] === undefined ? undefined : parseQuantity(limits[res]!);
    if (r !== undefined && l !== undefined && r > l) {
      const which = spec.resources?.limits?.[res as keyof t.ResourceList] === undefined ? ' (the default limit; set resources.limits)' : '';
      issues.push(error(joinPath(p('resources.requests'), [res]), `${show(requests[res])} is more than the limit ${show(limits[res])}${which}; the API server rejects the pod template`));
    }
  }

  const ports = portNames(spec);
  for (const kind of ['readiness', 'liveness', 'startup'] as const) {
    const probe = spec.probes?.[kind];
    if (!probe) continue;
    const pp = p(`probes.${kind}`);
    if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      issues.push(error(`${pp}.successThreshold`, `${probe.successThreshold} must be 1 for ${kind} probes`));
    }
    const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
    if (typeof port === 'string' && !ports.includes(port)) {
      issues.push(error(`${pp}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, `${show(port)} is not a container port name (named ports: ${ports.join(', ')})`));
    }
  }
  if (spec.security?.runAsUser === 0 && spec.security.runAsNonRoot !== false) {
    issues.push(error(p('security.runAsUser'), '0 is root, but runAsNonRoot is true; the kubelet refuses to start the container'));
  }
  issues.push(...envRules(spec.env ?? [], p('env')));
  return issues;
}

function envRules(env: readonly t.EnvVar[], path: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  env.forEach((e, i) => {
    const fieldPath = e.valueFrom?.fieldRef?.fieldPath;
    if (fieldPath !== undefined && !METADATA_FIELDS.test(fieldPath) && !POD_ENV_FIELDS.has(fieldPath)) {
      issues.push(error(`${path}[${i}].valueFrom.fieldRef.fieldPath`, `${show(fieldPath)} is not a pod field the downward API supports (metadata.name, metadata.labels['key'], status.podIP, ...)`));
    }
    const resource = e.valueFrom?.resourceFieldRef?.resource;
    if (resource !== undefined && !RESOURCE_FIELDS.test(resource)) {
      issues.push(error(`${path}[${i}].valueFrom.resourceFieldRef.resource`, `${show(resource)} is not one of limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, ...`));
    }
  });
  return issues;
}

/** Labels the controller owns on pods and ReplicaSets; setting them breaks the canary/stable split. */
const CONTROLLER_LABEL = 'rollouts-pod-template-hash';
const MANAGED_BY_ROLLOUTS = 'argo-rollouts.argoproj.io/managed-by-rollouts';

function metadataRules(meta: t.AppMetadata, spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const maps: [string, Readonly<Record<string, string>> | undefined][] = [
    ['metadata.labels', meta.labels],
    ['metadata.annotations', meta.annotations],
    [p('podLabels'), spec.podLabels],
    [p('podAnnotations'), spec.podAnnotations],
    [p('canary.canaryMetadata.labels'), spec.canary.canaryMetadata?.labels],
    [p('canary.canaryMetadata.annotations'), spec.canary.canaryMetadata?.annotations],
    [p('canary.stableMetadata.labels'), spec.canary.stableMetadata?.labels],
    [p('canary.stableMetadata.annotations'), spec.canary.stableMetadata?.annotations],
    [p('ingress.annotations'), spec.ingress?.annotations],
    [p('trafficRouting.nginx.canaryIngressAnnotations'), spec.trafficRouting?.nginx?.canaryIngressAnnotations],
    [p('serviceMonitor.selectorLabels'), spec.serviceMonitor?.selectorLabels],
  ];
  for (const svc of ['stable', 'canary', 'root'] as const) {
    const s = spec.services?.[svc];
    if (s) maps.push([p(`services.${svc}.annotations`), s.annotations]);
  }
  for (const [path, map] of maps) {
    for (const key of Object.keys(map ?? {})) {
      const slash = key.lastIndexOf('/');
      const prefix = slash < 0 ? '' : key.slice(0, slash);
      const name = key.slice(slash + 1);
      if (name.length > 63) issues.push(error(`${path}["${key}"]`, `the name part of the key is ${name.length} characters, more than 63`));
      if (prefix.length > 253) issues.push(error(`${path}["${key}"]`, `the prefix of the key is ${prefix.length} characters, more than 253`));
      if (key === CONTROLLER_LABEL && /labels$/i.test(path)) issues.push(error(`${path}["${key}"]`, 'is the label the controller sets to tell canary and stable pods apart'));
      if (key === NAME_LABEL && /(canary|stable)Metadata\.labels$/.test(path)) issues.push(error(`${path}["${key}"]`, 'is the selector label canarykit sets; pods relabelled would leave the Rollout\'s selector'));
      if (key === MANAGED_BY_ROLLOUTS && /services\./.test(path)) issues.push(error(`${path}["${key}"]`, 'is set by the controller on the Services it manages; a different value makes it refuse the Service'));
    }
  }
  for (const [key] of Object.entries(spec.trafficRouting?.nginx?.additionalIngressAnnotations ?? {})) {
    if (key.length > 63) issues.push(error(p(`trafficRouting.nginx.additionalIngressAnnotations["${key}"]`), `is ${key.length} characters, more than 63`));
  }
  return issues;
}

/** Path sequences the Ingress API refuses for Exact and Prefix paths (k8s networking validation). */
const BAD_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];

function ingressRules(spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const ing = spec.ingress;
  if (!ing) return [];
  const issues: SpecIssue[] = [];
  if (/^[0-9.]+$/.test(ing.host)) issues.push(error(p('ingress.host'), `${show(ing.host)} is an IP address; an Ingress host must be a DNS name`));
  const path = ing.path ?? '/';
  if ((ing.pathType ?? 'Prefix') !== 'ImplementationSpecific') {
    const bad = BAD_PATH_SEQUENCES.find((s) => path.includes(s)) ?? ['/..', '/.'].find((s) => path.endsWith(s));
    if (bad) issues.push(error(p('ingress.path'), `${show(path)} contains ${show(bad)}, which the Ingress API refuses for ${ing.pathType ?? 'Prefix'} paths`));
    // ingress-nginx (strict-validate-path-type, on by default) refuses other characters in Exact and Prefix paths.
    else if (!/^\/[A-Za-z0-9_\-./~]*$/.test(path)) issues.push(warning(p('ingress.path'), `${show(path)} has characters ingress-nginx refuses in ${ing.pathType ?? 'Prefix'} paths; use pathType ImplementationSpecific for a regex`));
  }
  return issues;
}

/**
 * With `onAbort`, event names and sink values are spliced (JSON-quoted) into the notification engine's
 * Go template and webhook service config, where `{{` starts an action and `$name` reads a secret.
 */
function eventRules(meta: t.AppMetadata, spec: t.CanaryAppSpec, p: Path): SpecIssue[] {
  const events = spec.events;
  if (!events || events.onAbort === false) return [];
  const issues: SpecIssue[] = [];
  if (meta.name.length > MAX_ABORT_APP_NAME) {
    issues.push(error(p('events.onAbort'), `needs an app name of at most ${MAX_ABORT_APP_NAME} characters (${show(meta.name)} has ${meta.name.length}): the Rollout's subscription annotation key is limited to 63; shorten the name or set onAbort: false`));
  }
  const sink = events.sink;
  const templated: [string, string | undefined][] = [
    [p('events.name'), events.name],
    ...Object.entries(sink.fields ?? {}).flatMap(([k, v]): [string, string][] => [[joinPath(p('events.sink.fields'), [k]), `${k}${v}`]]),
  ];
  const config: [string, string | undefined][] = [
    [p('events.sink.url'), sink.url],
    [p('events.sink.tokenPrefix'), sink.tokenPrefix],
    ...(sink.headers ?? []).map((h, i): [string, string] => [p(`events.sink.headers[${i}].value`), h.value]),
  ];
  for (const [path, text] of [...templated, ...config]) {
    if (text?.includes('{{')) issues.push(error(path, 'contains "{{", which the notification template of onAbort would run as a Go template action'));
  }
  for (const [path, text] of config) {
    if (text?.includes('$')) issues.push(error(path, 'contains "$", which the notification service config of onAbort reads as a secret reference'));
  }
  return issues;
}
