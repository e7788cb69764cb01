/**
 * The canary strategy (ValidateRolloutStrategyCanary and what the controller silently ignores): steps do
 * one thing each, the weight schedule rises, and options that only a traffic router can honour are
 * refused without one. The fields of the other strategy are refused with it.
 */
import type * as t from '../document/types';
import { error, show, warning } from '../document/errors';
import type { StrategyRule } from './context';
import { duplicates } from './names';
import { CONTROLLER_DEFAULTS } from '../document/defaults';
import { ROUTER_CAPABILITIES, RouterCapabilities, routersWith } from '../model/routers';

/** The actions of a canary step: each step does exactly one. */
const STEP_ACTIONS = ['setWeight', 'pause', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute'] as const;

/** Steps that set (with `match`) or remove a managed route, and the router capability each needs. */
const ROUTE_ACTIONS = [
  ['setHeaderRoute', 'headerRoutes', 'header routes'],
  ['setMirrorRoute', 'mirrorRoutes', 'mirror routes'],
] as const satisfies readonly (readonly [keyof t.CanaryStep, keyof RouterCapabilities, string])[];

function isZero(v: string | number): boolean {
  return Number.parseInt(String(v), 10) === 0;
}

/** A maxSurge as the controller resolves it for `replicas` (a percentage rounds up; intstr.GetValueFromIntOrPercent). */
function surgePods(maxSurge: string | number, replicas: number): number {
  return typeof maxSurge === 'number' ? maxSurge : Math.ceil((Number.parseInt(maxSurge, 10) * replicas) / 100);
}

/**
 * The canary and stable pods the controller runs for a basic canary (no traffic router) at `weight`:
 * argo-rollouts v1.9.1 utils/replicaset approximateWeightedCanaryStableReplicaCounts, which picks the
 * closest of the floor and ceiling canary counts, with one surge pod when maxSurge allows it.
 */
export function basicCanaryPods(replicas: number, weight: number, maxSurge: number): { canary: number; stable: number } {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const exact = (replicas * weight) / 100;
  const ceil = Math.ceil(exact);
  const floor = Math.floor(exact);
  const tied = (total: number) => ((total * weight) / 100) % 1 === 0.5;
  const zeroAllowed = weight === 100 || weight === 0 || (replicas === 1 && maxSurge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied(replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!tied(replicas + 1) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas + 1 });
  }
  const delta = (o: { canary: number; total: number }) => Math.abs((o.canary * 100) / o.total - weight);
  const best = options.reduce((a, b) => (delta(b) < delta(a) ? b : a), options[0] ?? { canary: 0, total: replicas });
  return { canary: best.canary, stable: best.total - best.canary };
}

/** How far (percentage points) a basic canary's share of pods may be from its weight before a warning. */
const WEIGHT_TOLERANCE = 5;

export const canaryRules: readonly StrategyRule<t.CanarySpec>[] = [
  {
    name: 'steps-or-weights',
    *check({ path }, canary) {
      if ((canary.steps === undefined) === (canary.weights === undefined)) yield error(path('canary'), 'must set exactly one of steps and weights');
      else if (canary.pause !== undefined && canary.steps) yield error(path('canary.pause'), 'applies only to canary.weights; with steps, write pause steps');
    },
  },
  {
    name: 'step-actions',
    *check({ steps, stepPath, routed, stepsWritten }) {
      if (!stepsWritten) return;
      for (const [i, s] of steps.entries()) {
        const actions = STEP_ACTIONS.filter((k) => s[k] !== undefined);
        if (actions.length !== 1) {
          yield error(stepPath(i), actions.length === 0
            ? `must set one of ${STEP_ACTIONS.join(', ')}`
            : `sets ${actions.join(' and ')}; a step does exactly one thing`);
        }
        if (s.setCanaryScale && !routed) yield error(`${stepPath(i)}.setCanaryScale`, 'requires trafficRouting: without a router the canary scale is the weight');
      }
    },
  },
  {
    name: 'managed-routes',
    *check({ spec, path, routed, steps, stepsWritten }) {
      const managed = spec.trafficRouting?.managedRoutes;
      if (!managed) return;
      if (!routed) {
        yield error(path('trafficRouting.managedRoutes'), 'requires a traffic router: the routes are set by the router');
        return;
      }
      yield* duplicates(managed.map((r) => r.name), (i) => path(`trafficRouting.managedRoutes[${i}].name`), 'managed route');
      if (!stepsWritten) return;
      const used = new Set(steps.flatMap((s) => [s.setHeaderRoute?.name, s.setMirrorRoute?.name]));
      for (const [i, r] of managed.entries()) {
        if (!used.has(r.name)) yield warning(path(`trafficRouting.managedRoutes[${i}].name`), `${show(r.name)} is set by no setHeaderRoute or setMirrorRoute step`);
      }
    },
  },
  {
    name: 'step-routes',
    *check({ spec, steps, stepPath, stepsWritten, model }) {
      if (!stepsWritten) return;
      const declared = new Set((spec.trafficRouting?.managedRoutes ?? []).map((r) => r.name));
      const capabilities = ROUTER_CAPABILITIES[model.routing.kind];
      const set = new Set<string>();
      // Whether the canary has pods at this step: a weight above 0, or a canary scale above 0.
      let pods = false;
      for (const [i, s] of steps.entries()) {
        if (s.setWeight !== undefined) pods = s.setWeight > 0;
        if (s.setCanaryScale) pods = s.setCanaryScale.matchTrafficWeight ? pods : (s.setCanaryScale.weight ?? s.setCanaryScale.replicas ?? 0) > 0;
        if (s.setHeaderRoute?.match && !pods && capabilities.headerRoutes) {
          // rollout/trafficrouting.go: RemoveManagedRoutes while the canary ReplicaSet has no available pod.
          yield warning(`${stepPath(i)}.setHeaderRoute`, 'the canary has no pods at this step (weight 0), so the controller removes the route at once; start canary pods first (setCanaryScale)');
        }
        for (const [action, capability, what] of ROUTE_ACTIONS) {
          const route = s[action];
          if (!route) continue;
          const at = `${stepPath(i)}.${action}`;
          if (!capabilities[capability]) {
            const routers = routersWith(capability);
            yield error(at, `needs a router that supports ${what} (${routers.length > 0 ? routers.join(', ') : 'none of canarykit\'s routers yet'})${model.routing.kind === 'none' ? '' : `; ${model.routing.kind} does not`}`);
          }
          if (!declared.has(route.name)) yield error(`${at}.name`, `${show(route.name)} is not declared in trafficRouting.managedRoutes (the controller refuses the Rollout)`);
          if (route.match) set.add(route.name);
          else if (!set.has(route.name)) yield warning(at, `removes ${show(route.name)}, which no earlier step sets`);
        }
      }
    },
  },
  {
    name: 'step-names-unique',
    check: ({ steps, path, stepsWritten }) => (stepsWritten ? duplicates(steps.map((s) => s.name).filter((n): n is string => n !== undefined), () => path('canary.steps'), 'step name') : []),
  },
  {
    name: 'weights-rise',
    *check({ path }, canary) {
      const weights = canary.steps ? undefined : canary.weights;
      for (const [i, w] of (weights ?? []).entries()) {
        if (i > 0 && w <= weights![i - 1]) yield error(path(`canary.weights[${i}]`), `${w} must be greater than the previous weight ${weights![i - 1]}`);
      }
    },
  },
  {
    name: 'router-only-options',
    *check({ path, routed, stepsWritten }, c) {
      if (!stepsWritten) return;
      if (c.dynamicStableScale && !routed) yield error(path('canary.dynamicStableScale'), 'requires trafficRouting');
      if (c.scaleDownDelaySeconds !== undefined && !routed) yield error(path('canary.scaleDownDelaySeconds'), 'requires trafficRouting');
    },
  },
  {
    name: 'surge-or-unavailable',
    *check({ path, stepsWritten }, c) {
      if (typeof c.maxUnavailable === 'string' && Number.parseInt(c.maxUnavailable, 10) > 100) {
        yield error(path('canary.maxUnavailable'), `${show(c.maxUnavailable)} is more than 100%`);
      }
      if (!stepsWritten) return;
      if (c.maxSurge !== undefined && c.maxUnavailable !== undefined && isZero(c.maxSurge) && isZero(c.maxUnavailable)) {
        yield error(path('canary.maxUnavailable'), 'cannot be 0 when maxSurge is 0');
      }
    },
  },
  {
    name: 'scale-down-options',
    *check({ path, routed, model }, c) {
      if (c.dynamicStableScale && c.scaleDownDelaySeconds !== undefined) {
        yield error(path('canary.scaleDownDelaySeconds'), 'cannot be used with dynamicStableScale (the controller rejects the Rollout)');
      }
      if (c.abortScaleDownDelaySeconds !== undefined && !routed) {
        yield error(path('canary.abortScaleDownDelaySeconds'), 'applies only with trafficRouting; a basic canary ignores it');
      }
      if (c.dynamicStableScale && model.routing.kind === 'nginx') {
        yield warning(path('canary.dynamicStableScale'), 'with NGINX, requests can get 503 while the stable pods are scaled down at 100% canary weight');
      }
    },
  },
  {
    // Without a router the weight is the canary's share of pods: 5% of one replica is one of two pods.
    name: 'replica-weights',
    *check({ steps, stepPath, routed, model, stepsWritten }, c) {
      if (routed || !stepsWritten) return;
      const replicas = model.replicas;
      const surge = surgePods(c.maxSurge ?? CONTROLLER_DEFAULTS.maxSurge, replicas);
      for (const [i, s] of steps.entries()) {
        const w = s.setWeight;
        if (w === undefined || w === 0 || w === 100) continue;
        const { canary, stable } = basicCanaryPods(replicas, w, surge);
        const share = canary + stable === 0 ? 0 : (canary * 100) / (canary + stable);
        if (Math.abs(share - w) > WEIGHT_TOLERANCE) {
          yield warning(c.steps ? `${stepPath(i)}.setWeight` : stepPath(i), `${w}% with ${replicas} replica(s) and no traffic router runs ${canary} canary and ${stable} stable pod(s), about ${Math.round(share)}% of the traffic; add replicas or a traffic router`);
        }
      }
    },
  },
  {
    name: 'canary-fields-only',
    *check({ spec, path }) {
      for (const role of ['active', 'preview'] as const) {
        if (spec.services?.[role]) yield error(path(`services.${role}`), `is a blue-green Service; the canary strategy routes through services.stable and services.canary`);
      }
      if (spec.ingress?.previewHost !== undefined) yield error(path('ingress.previewHost'), 'applies to blueGreen; a canary has no preview Service (route a header to the canary with trafficRouting.nginx.additionalIngressAnnotations)');
    },
  },
];
