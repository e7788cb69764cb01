/**
 * Cross-reference checks over one app's objects: what the Rollout names must exist, selectors must match
 * the pods, and analysis args must be supplied. Returns problems instead of throwing so a test shows all.
 */
import type { KubeObject } from '../../src/constructs/synth';

const ARG = /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;

export function crossReferenceProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const templates = new Map(objects.filter((o) => o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate').map((o) => [o.metadata.name, o]));
  for (const ro of objects.filter((o) => o.kind === 'Rollout')) {
    const canary = ro.spec.strategy.canary ?? {};
    const blueGreen = ro.spec.strategy.blueGreen ?? {};
    // A workloadRef Rollout's pods carry its Deployment's labels, which its first Service selects: the
    // other Services and the PDB must select the same pods.
    const podLabels: Record<string, string> = ro.spec.workloadRef
      ? find('Service', canary.stableService ?? blueGreen.activeService)?.spec.selector ?? {}
      : ro.spec.template.metadata.labels;
    const matches = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => podLabels[k] === v);
    if (!ro.spec.workloadRef && !matches(ro.spec.selector.matchLabels)) problems.push(`${ro.metadata.name}: selector does not match pod labels`);
    for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
      if (!matches(pdb.spec.selector.matchLabels)) problems.push(`PodDisruptionBudget ${pdb.metadata.name}: selector does not match pod labels`);
    }
    for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      if (hpa.spec.scaleTargetRef.name !== ro.metadata.name) problems.push(`HorizontalPodAutoscaler ${hpa.metadata.name}: does not target the Rollout`);
    }
    for (const svcName of [canary.stableService, canary.canaryService, blueGreen.activeService, blueGreen.previewService].filter(Boolean)) {
      const svc = find('Service', svcName);
      if (!svc) problems.push(`${ro.metadata.name}: Service ${svcName} does not exist`);
      else if (!matches(svc.spec.selector)) problems.push(`Service ${svcName}: selector does not match pod labels`);
    }
    // Gateway API: the routes the plugin config names exist (when canarykit made them: same namespace)
    // and have the stable and canary Services, on a port they serve, as backendRefs of every rule.
    const gw = canary.trafficRouting?.plugins?.['argoproj-labs/gatewayAPI'];
    for (const [kind, refs] of [['HTTPRoute', gw?.httpRoutes], ['GRPCRoute', gw?.grpcRoutes]] as const) {
      for (const ref of (refs ?? []) as { name: string }[]) {
        const route = find(kind, ref.name);
        if (!route) continue; // an existing route, not canarykit's
        for (const svcName of [canary.stableService, canary.canaryService]) {
          const svc = find('Service', svcName);
          for (const [i, rule] of route.spec.rules.entries()) {
            const b = rule.backendRefs.find((x: any) => x.name === svcName);
            if (!b) problems.push(`${kind} ${ref.name}: rule ${i} has no backendRef to ${svcName}`);
            else if (svc && !svc.spec.ports.some((p: any) => p.port === b.port)) problems.push(`${kind} ${ref.name}: ${svcName} has no port ${b.port}`);
          }
        }
        for (const p of route.spec.parentRefs.filter((x: any) => x.kind === 'Service' && (x.namespace ?? ro.metadata.namespace) === ro.metadata.namespace)) {
          if (!find('Service', p.name)) problems.push(`${kind} ${ref.name}: parent Service ${p.name} does not exist`);
        }
      }
    }
    const nginx = canary.trafficRouting?.nginx;
    if (nginx) {
      const ing = find('Ingress', nginx.stableIngress);
      if (!ing) problems.push(`${ro.metadata.name}: Ingress ${nginx.stableIngress} does not exist`);
      else if (ing.spec.rules[0].http.paths[0].backend.service.name !== canary.stableService) {
        problems.push(`Ingress ${nginx.stableIngress}: backend is not the stable Service`);
      }
    }
    const istio = canary.trafficRouting?.istio;
    const vs = istio && find('VirtualService', istio.virtualService.name);
    if (vs) {
      // What the controller's ValidateHTTPRoutes checks: the named routes exist, their destinations are
      // the stable and canary Services (or the DestinationRule's subsets), and Istio's weights sum to 100.
      const dr = istio.destinationRule;
      const routes = (istio.virtualService.routes ?? [vs.spec.http[0].name]).map((n: string) => vs.spec.http.find((h: any) => h.name === n));
      for (const route of routes) {
        if (!route) { problems.push(`VirtualService ${vs.metadata.name}: a route the Rollout names does not exist`); continue; }
        const targets = route.route.map((d: any) => (dr ? d.destination.subset : d.destination.host));
        const expected = dr ? [dr.stableSubsetName, dr.canarySubsetName] : [canary.stableService, canary.canaryService];
        if (JSON.stringify(targets) !== JSON.stringify(expected)) problems.push(`VirtualService ${vs.metadata.name}: destinations ${targets.join(',')} are not ${expected.join(',')}`);
        if (route.route.reduce((sum: number, d: any) => sum + d.weight, 0) !== 100) problems.push(`VirtualService ${vs.metadata.name}: weights do not sum to 100`);
        for (const d of route.route) if (!find('Service', d.destination.host)) problems.push(`VirtualService ${vs.metadata.name}: Service ${d.destination.host} does not exist`);
      }
      const rule = dr && find('DestinationRule', dr.name);
      if (rule && !find('Service', rule.spec.host)) problems.push(`DestinationRule ${dr.name}: Service ${rule.spec.host} does not exist`);
    }
    const analyses = [canary.analysis, ...(canary.steps ?? []).map((s: any) => s.analysis), blueGreen.prePromotionAnalysis, blueGreen.postPromotionAnalysis].filter(Boolean);
    for (const a of analyses) {
      const supplied = new Set((a.args ?? []).map((x: any) => x.name));
      for (const ref of a.templates) {
        const tpl = templates.get(ref.templateName);
        if (!tpl) {
          if (!ref.clusterScope) problems.push(`${ro.metadata.name}: template ${ref.templateName} does not exist`);
          continue;
        }
        const declared = new Map<string, any>((tpl.spec.args ?? []).map((x: any) => [x.name, x]));
        for (const [name, arg] of declared) {
          if (arg.value === undefined && arg.valueFrom === undefined && !supplied.has(name)) problems.push(`${tpl.metadata.name}: arg ${name} not supplied`);
        }
        for (const m of JSON.stringify(tpl.spec.metrics).matchAll(ARG)) {
          if (!declared.has(m[1])) problems.push(`${tpl.metadata.name}: {{args.${m[1]}}} is not declared`);
        }
      }
    }
    if (canary.analysis?.startingStep !== undefined && canary.analysis.startingStep >= (canary.steps ?? []).length) {
      problems.push(`${ro.metadata.name}: startingStep ${canary.analysis.startingStep} is past the last step`);
    }
  }
  return problems;
}
