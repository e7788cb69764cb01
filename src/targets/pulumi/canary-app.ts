/**
 * The Pulumi target: a component that registers the very objects the YAML target writes, one
 * @pulumi/kubernetes resource each. Loaded only through `canarykit/pulumi`, so the CLI and the cdk8s
 * API never load @pulumi/*.
 */
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { AppMetadata, CanaryAppSpec } from '../../document/types';
import { checkSpec } from '../../load/parse';
import { libraryIndex } from '../../load/load';
import type { AnalysisLibraryDocument } from '../../document/types';
import { formatIssue } from '../../document/errors';
import { synthModel, KubeObject } from '../../constructs/synth';
import { SYNC_WAVE_ANNOTATION } from '../../constructs/metadata';
import { SERVICE_ROLE_LABEL } from '../../constructs/canary-services';
import { ControllerOwnedField, controllerOwnedFields } from '../../model/controller-owned';
import { GATEWAY_GROUP } from '../../model/routers/gateway-api';

export const CANARY_APP_TYPE = 'canarykit:index:CanaryApp';

/**
 * Tells @pulumi/kubernetes not to wait for an object to become ready. Services would otherwise wait for
 * endpoints, which exist only once the Rollout (ordered after them) has pods: a deadlock that ends in a
 * 10-minute timeout. The Ingress would wait for a load-balancer address, which the Rollout does not need.
 */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';
const SKIP_AWAIT_KINDS = new Set(['Service', 'Ingress']);

/** A child: every @pulumi/kubernetes resource, typed or custom, has its object metadata as an output. */
export type KubeResource = pulumi.CustomResource & { readonly metadata: pulumi.Output<k8s.types.output.meta.v1.ObjectMeta> };

/** Inputs of a CanaryApp component: the `metadata` and `spec` of a CanaryApp file (a whole document fits). */
export interface CanaryAppArgs {
  /** The app's spec, exactly as under `spec:` in a CanaryApp file. Plain values, not Outputs: it is checked before anything is registered. */
  readonly spec: CanaryAppSpec;
  /** @default { name: <resource name>, namespace: "default" } */
  readonly metadata?: Partial<AppMetadata>;
  /**
   * The AnalysisLibrary components whose templates the spec references (`{ name, library }`): the
   * references are checked against them, and the app depends on them. Without any, the references are
   * not checked (a library deployed by another stack). @default []
   */
  readonly libraries?: readonly (pulumi.Resource & { readonly document: AnalysisLibraryDocument })[];
}

/**
 * The canary setup of one app as a Pulumi component (`canarykit:index:CanaryApp`): ServiceAccount,
 * Services, Ingress, AnalysisTemplates, ServiceMonitor and Rollout, each a child resource, with the
 * Rollout depending on everything else. An invalid spec throws a `SpecValidationError` listing every
 * problem before any resource, this one included, is registered.
 */
export class CanaryApp extends pulumi.ComponentResource {
  /** The Rollout's name. */
  public readonly rolloutName: pulumi.Output<string>;
  /** The namespace of every namespaced object. */
  public readonly namespace: pulumi.Output<string>;
  /** The canary strategy's stable Service. */
  public readonly stableServiceName: pulumi.Output<string | undefined>;
  /** The canary strategy's canary Service. */
  public readonly canaryServiceName: pulumi.Output<string | undefined>;
  /** The blue-green strategy's active Service. */
  public readonly activeServiceName: pulumi.Output<string | undefined>;
  /** The blue-green strategy's preview Service. */
  public readonly previewServiceName: pulumi.Output<string | undefined>;
  /** The Service the Ingress and the ServiceMonitor use, when the spec has one. */
  public readonly rootServiceName: pulumi.Output<string | undefined>;
  /** The Ingress host, when the spec has an Ingress. */
  public readonly ingressHost: pulumi.Output<string | undefined>;
  /** Every child, in the order of the YAML target's objects. */
  public readonly resources: readonly KubeResource[];

  constructor(name: string, args: CanaryAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // `args` comes from JavaScript callers too: null or a Pulumi Output is a spec error, not a TypeError.
    const libraries = args?.libraries ?? [];
    // Without libraries, references to one stay unchecked, as in the cdk8s construct (a library another stack deploys).
    const checked = checkSpec({ ...args?.metadata, name: args?.metadata?.name ?? name }, args?.spec, libraries.length > 0 ? libraryIndex(libraries) : undefined);
    const model = checked.model;
    const objects = synthModel(model);
    super(CANARY_APP_TYPE, name, {}, opts);
    for (const w of checked.warnings) void pulumi.log.warn(formatIssue(w), this);

    const owned = controllerOwnedFields(model);
    const byWave = new Map<number, KubeResource[]>();
    const registered = objects.map((obj) => {
      const wave = Number(obj.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
      const earlier = [...byWave.entries()].filter(([w]) => w < wave).flatMap(([, rs]) => rs);
      const resource = register(`${name}/${obj.metadata.name}`, obj, {
        parent: this,
        // The libraries' templates exist before a Rollout that runs them.
        dependsOn: [...libraries, ...earlier],
        ignoreChanges: ignoreChanges(owned, obj),
      });
      byWave.set(wave, [...(byWave.get(wave) ?? []), resource]);
      return { obj, resource };
    });
    this.resources = registered.map((r) => r.resource);

    const find = (kind: string, role?: string) => registered.find(({ obj }) =>
      obj.kind === kind && (role === undefined || obj.metadata.labels?.[SERVICE_ROLE_LABEL] === role))?.resource;
    const nameOf = (r: KubeResource | undefined) => (r ? r.metadata.name : pulumi.output(undefined));
    this.rolloutName = find('Rollout')!.metadata.name;
    this.namespace = pulumi.output(model.namespace);
    this.stableServiceName = nameOf(find('Service', 'stable'));
    this.canaryServiceName = nameOf(find('Service', 'canary'));
    this.activeServiceName = nameOf(find('Service', 'active'));
    this.previewServiceName = nameOf(find('Service', 'preview'));
    this.rootServiceName = nameOf(find('Service', 'root'));
    const ingress = find('Ingress') as k8s.networking.v1.Ingress | undefined;
    this.ingressHost = ingress ? ingress.spec.rules.apply((rules) => rules[0]?.host) : pulumi.output(undefined);
    this.registerOutputs({
      rolloutName: this.rolloutName,
      namespace: this.namespace,
      stableServiceName: this.stableServiceName,
      canaryServiceName: this.canaryServiceName,
      activeServiceName: this.activeServiceName,
      previewServiceName: this.previewServiceName,
      rootServiceName: this.rootServiceName,
      ingressHost: this.ingressHost,
    });
  }
}

/**
 * Fields the Argo Rollouts controller writes after we apply (model/controller-owned). A Service's
 * `spec.selector` is an atomic map: when the controller adds `rollouts-pod-template-hash` it becomes the
 * owner of the whole selector, and our next server-side apply would conflict (or, forced, strip the hash
 * and send stable traffic to canary pods). With ignoreChanges, @pulumi/kubernetes leaves a field out of
 * the apply whenever another manager owns it, so it is set on create and left to the controller after.
 */
function ignoreChanges(owned: readonly ControllerOwnedField[], obj: KubeObject): string[] | undefined {
  const fields = owned.filter((f) => f.kind === obj.kind && f.name === obj.metadata.name && f.group === apiGroup(obj)).flatMap((f) => f.applyFields);
  return fields.length > 0 ? fields : undefined;
}

function apiGroup(obj: KubeObject): string {
  return obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
}

/**
 * The API groups of the CRD kinds canarykit emits (its generated imports/): registered as CustomResources.
 * Every other kind is built in and has a typed resource; a group's name says nothing either way (the
 * Gateway API's is under k8s.io).
 */
const CRD_GROUPS = new Set(['argoproj.io', 'monitoring.coreos.com', 'networking.istio.io', GATEWAY_GROUP]);

/**
 * A typed resource for built-in kinds (looked up by group and version in @pulumi/kubernetes, e.g.
 * networking.k8s.io/v1 Ingress -> k8s.networking.v1.Ingress), a CustomResource for CRD kinds.
 */
export function register(name: string, obj: KubeObject, opts: pulumi.CustomResourceOptions): KubeResource {
  const group = apiGroup(obj);
  const version = obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1);
  const args = SKIP_AWAIT_KINDS.has(obj.kind)
    ? { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [SKIP_AWAIT_ANNOTATION]: 'true' } } }
    : obj;
  if (!CRD_GROUPS.has(group)) {
    const module = group === '' ? 'core' : group.split('.')[0];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the kind is looked up by name at run time
    const Typed = (k8s as any)[module]?.[version]?.[obj.kind];
    if (!Typed) throw new Error(`${obj.apiVersion} ${obj.kind}: no typed resource in @pulumi/kubernetes (k8s.${module}.${version}.${obj.kind})`);
    return new Typed(name, args, opts);
  }
  return new k8s.apiextensions.CustomResource(name, args as k8s.apiextensions.CustomResourceArgs, opts);
}
