/**
 * The one list of what the Argo Rollouts controller writes at run time into objects canarykit owns, for
 * the targets that keep objects in sync and must neither report it as drift nor undo it: Argo CD
 * (`ignoreDifferences`), Pulumi (`ignoreChanges`), and docs/architecture.md. Each strategy and each
 * router says what its controller code writes.
 */
import type { ResolvedApp, ResolvedRouting, ResolvedStrategy } from './model';
import { ByKind, byKind } from './kinds';
import { GATEWAY_GROUP } from './routers/gateway-api';

/** Set by the Argo Rollouts controller on every pod (and Service selector) of a ReplicaSet it manages. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** Set by the Gateway API plugin on a route while a canary runs (its default `inProgressLabelKey`). */
export const GATEWAY_API_IN_PROGRESS_LABEL = 'rollouts.argoproj.io/gatewayapi-canary';

export interface ControllerOwnedField {
  /** API group of the object ("" for the core group). */
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** What the controller writes, as JSON pointers (Argo CD compares at this precision). */
  readonly jsonPointers: readonly string[];
  /**
   * The fields a server-side apply must leave to the controller once it writes them (Pulumi). Wider
   * than the pointers where the API treats a field as atomic: a Service selector is one map, so adding
   * one label makes the controller the owner of the whole selector.
   */
  readonly applyFields: readonly string[];
}

/** A key as one token of a JSON pointer (RFC 6901): `~` and `/` escaped. */
function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A Service the controller points at one ReplicaSet by adding the pod-template hash to its selector. */
function serviceSelector(name: string): ControllerOwnedField {
  return { group: '', kind: 'Service', name, jsonPointers: [`/spec/selector/${POD_TEMPLATE_HASH_LABEL}`], applyFields: ['spec.selector'] };
}

const BY_STRATEGY: ByKind<ResolvedStrategy, [ResolvedApp], ControllerOwnedField[]> = {
  // The root Service is never touched: it selects every pod on purpose.
  canary: (s) => [serviceSelector(s.stableService), serviceSelector(s.canaryService)],
  blueGreen: (s) => [serviceSelector(s.activeService), serviceSelector(s.previewService)],
};

const BY_ROUTER: ByKind<ResolvedRouting, [ResolvedApp], ControllerOwnedField[]> = {
  none: () => [],
  // The controller writes the canary Ingress it creates itself, not the stable Ingress canarykit owns.
  nginx: () => [],
  // Only the objects canarykit creates: the weights of the VirtualService's http routes (an atomic list,
  // so the whole of spec.http), and the subsets' rollouts-pod-template-hash labels (an atomic list too).
  istio: (r) => [
    ...(r.virtualService.created
      ? [{ group: 'networking.istio.io', kind: 'VirtualService', name: r.virtualService.name, jsonPointers: ['/spec/http'], applyFields: ['spec.http'] }]
      : []),
    ...(r.destinationRule?.created
      ? [{ group: 'networking.istio.io', kind: 'DestinationRule', name: r.destinationRule.name, jsonPointers: ['/spec/subsets'], applyFields: ['spec.subsets'] }]
      : []),
  ],
  // The Gateway API plugin rewrites the backendRef weights of every rule, adds and removes its header
  // rules (`spec.rules` as a whole) and labels the route while a canary runs. A route that exists
  // already is not canarykit's: nothing to ignore.
  gatewayAPI: (r) => (r.route ? [{
    group: GATEWAY_GROUP,
    kind: r.routeKind,
    name: r.routeName,
    jsonPointers: ['/spec/rules', `/metadata/labels/${pointerToken(GATEWAY_API_IN_PROGRESS_LABEL)}`],
    applyFields: ['spec.rules'],
  }] : []),
};

/** `spec.replicas`, written through the scale subresource by someone other than the manifest's author. */
function replicas(group: string, kind: string, name: string): ControllerOwnedField {
  return { group, kind, name, jsonPointers: ['/spec/replicas'], applyFields: ['spec.replicas'] };
}

/**
 * Replicas that are not the manifest's: an HPA writes the Rollout's (which then carries none), and a
 * workloadRef Rollout with `scaleDown` writes the Deployment's. A sync that restored the Deployment's
 * replicas after the controller scaled it to 0 would leave double capacity for good (argo-rollouts
 * #4935: the scale-down runs only at revision 1); where that Deployment is synced by the same Argo CD
 * Application, RespectIgnoreDifferences keeps the controller's value.
 */
function scaledReplicas(app: ResolvedApp): ControllerOwnedField[] {
  return [
    ...(app.autoscaling ? [replicas('argoproj.io', 'Rollout', app.name)] : []),
    ...(app.workloadRef && app.workloadRef.scaleDown !== 'never' ? [replicas('apps', 'Deployment', app.workloadRef.name)] : []),
  ];
}

export function controllerOwnedFields(app: ResolvedApp): ControllerOwnedField[] {
  return [...byKind(BY_STRATEGY, app.strategy, app), ...byKind(BY_ROUTER, app.routing, app), ...scaledReplicas(app)];
}
