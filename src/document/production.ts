/**
 * The production controls of the spec: autoscaling (HPA), a PodDisruptionBudget, scheduling and
 * spreading, the rest of a pod a Deployment had (envFrom, init containers, sidecars, ConfigMap/Secret
 * volumes, lifecycle hooks, grace and deadline fields), the strategies' antiAffinity, and `workloadRef`,
 * the pod source that takes its template from an existing Deployment.
 *
 * Built by a function of the container parts schema.ts defines (env vars, resources, label maps), so
 * those stay declared once and this module imports nothing from schema.ts.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults';
import { dnsLabel, field, intIn, intOrPercent, nonNegInt, port, posInt, quantity, required, str, subdomain } from './fields';
import { ENV_NAME } from './patterns';

/** Exactly one of the keys is set (the objects here are strict, so every key is one of `keys`). */
const exactlyOne = (keys: readonly string[]) => (v: object) => keys.filter((k) => k in v).length === 1;
// A check of the whole object: its value in the message would be noise.
const oneOf = (keys: readonly string[]) => ({ error: `must set exactly one of ${keys.join(', ')}`, params: { whole: true } });

const SCALE_DOWN = ['never', 'onsuccess', 'progressively'] as const;

export function productionSchema<E extends z.ZodType, R extends z.ZodType>(parts: { envVar: E; resources: R; labels: () => z.ZodType<Record<string, string>> }) {
  const envFromSource = z.strictObject({
    configMap: field(subdomain(), { description: 'ConfigMap whose keys become environment variables. Exactly one of configMap and secret.' }),
    secret: field(subdomain(), { description: 'Secret whose keys become environment variables (never read by canarykit).' }),
    prefix: field(z.string().regex(ENV_NAME, { error: 'is not a valid environment variable prefix' }), { description: 'Prefix of every variable. Default: none.' }),
    optional: field(z.boolean(), { description: 'Start the pod even when the ConfigMap or Secret is missing. Default: kubelet default (false).' }),
  }).refine(exactlyOne(['configMap', 'secret']), oneOf(['configMap', 'secret']))
    .meta({ description: 'Every key of a ConfigMap or Secret as an environment variable (`envFrom`).' });

  const extraContainer = z.strictObject({
    name: required(dnsLabel(), 'Container name (DNS-1123 label); not the app name, which the app container has.'),
    image: required(str().regex(/^\S+$/, { error: 'is not an image reference' }), 'Full image reference; pin a tag other than latest, or a digest.'),
    command: field(z.array(z.string()), { description: 'Entrypoint. Default: the image\'s.' }),
    args: field(z.array(z.string()), { description: 'Arguments. Default: the image\'s.' }),
    env: field(z.array(parts.envVar), { description: 'Environment.', default: [] }),
    envFrom: field(z.array(envFromSource), { description: 'Environment from ConfigMaps and Secrets.', default: [] }),
    resources: field(parts.resources, { description: 'Requests and limits; each unset one keeps the app\'s default.' }),
  }).meta({ description: 'A further container of the pod; it gets the app container\'s security context and a writable /tmp.' });

  const volume = z.strictObject({
    name: required(dnsLabel(), 'Volume name (DNS-1123 label; `tmp` is the app\'s own).'),
    mountPath: required(z.string().regex(/^\/./, { error: 'must be an absolute path other than /' }), 'Where the app container mounts it (read-only).'),
    configMap: field(subdomain(), { description: 'ConfigMap whose keys become files. Exactly one of configMap and secret.' }),
    secret: field(subdomain(), { description: 'Secret whose keys become files.' }),
    optional: field(z.boolean(), { description: 'Start the pod even when it is missing. Default: kubelet default (false).' }),
  }).refine(exactlyOne(['configMap', 'secret']), oneOf(['configMap', 'secret']))
    .meta({ description: 'A ConfigMap or Secret mounted read-only into the app container.' });

  const handlerKeys = ['exec', 'httpGet', 'sleep'];
  const handler = z.strictObject({
    exec: field(z.strictObject({ command: required(z.array(str()).min(1, { error: 'must not be empty' }), 'Command (not in a shell).') }), { description: 'Run a command in the container.' }),
    httpGet: field(z.strictObject({
      path: required(z.string().regex(/^\//, { error: 'must start with /' }), 'Path requested.'),
      port: field(z.union([port(), z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'is not a port name' }).max(15)]), { description: 'Container port (name or number). Default: `http`.' }),
    }), { description: 'Request a path of the container.' }),
    sleep: field(z.strictObject({ seconds: required(posInt(), 'Seconds to sleep.') }), { description: 'Sleep (needs no shell in the image; Kubernetes >= 1.30).' }),
  }).refine(exactlyOne(handlerKeys), oneOf(handlerKeys));
  const lifecycle = z.strictObject({
    preStop: field(handler, { description: 'Runs before the container is stopped, within terminationGracePeriodSeconds (a sleep lets endpoints drain).' }),
    postStart: field(handler, { description: 'Runs right after the container starts.' }),
  }).meta({ description: 'Lifecycle hooks of the app container.' });

  const toleration = z.strictObject({
    key: field(z.string().min(1, { error: 'must not be empty' }), { description: 'Taint key. Default: none (with Exists: every taint).' }),
    operator: field(z.enum(['Exists', 'Equal']), { description: 'How the value matches.', default: 'Equal' }),
    value: field(z.string(), { description: 'Taint value (with Equal).' }),
    effect: field(z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), { description: 'Taint effect. Default: none (every effect).' }),
    tolerationSeconds: field(nonNegInt(), { description: 'NoExecute only: seconds the pod stays after the taint appears.' }),
  }).meta({ description: 'A toleration of the pods, as in Kubernetes.' });
  const spread = z.strictObject({
    topologyKey: required(str(), 'Node label whose values are the domains, e.g. `topology.kubernetes.io/zone`, `kubernetes.io/hostname`.'),
    maxSkew: field(posInt(), { description: 'Most pods one domain may have above another.', default: DEFAULTS.spreadMaxSkew }),
    whenUnsatisfiable: field(z.enum(['DoNotSchedule', 'ScheduleAnyway']), { description: '`ScheduleAnyway` prefers spreading; `DoNotSchedule` leaves pods Pending rather than skew.', default: DEFAULTS.spreadWhenUnsatisfiable }),
  }).meta({ description: 'Spread the pods of each ReplicaSet (stable and canary separately: `matchLabelKeys: [rollouts-pod-template-hash]`) over a topology; the selector is the app\'s.' });
  // Affinity as Kubernetes has it (core/v1 Affinity), each level closed so a misspelt key is an error here.
  const requirement = (operators: readonly [string, ...string[]], what: string) => z.strictObject({
    key: required(str(), `${what} key.`),
    operator: required(z.enum(operators), 'How the key\'s value matches `values`.'),
    values: field(z.array(z.string()), { description: 'Values (In and NotIn: at least one; Gt and Lt: one integer; Exists and DoesNotExist: none).' }),
  });
  const nodeRequirement = requirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'], 'Node label (matchFields: node field)');
  const nodeSelectorTerm = z.strictObject({
    matchExpressions: field(z.array(nodeRequirement), { description: 'Requirements on node labels, all of which must hold.' }),
    matchFields: field(z.array(nodeRequirement), { description: 'Requirements on node fields (`metadata.name`), all of which must hold.' }),
  }).meta({ description: 'A node selector term.' });
  const labelSelector = z.strictObject({
    matchLabels: field(parts.labels(), { description: 'Labels the pods must have.' }),
    matchExpressions: field(z.array(requirement(['In', 'NotIn', 'Exists', 'DoesNotExist'], 'Label')), { description: 'Requirements on the pods\' labels.' }),
  });
  const podAffinityTerm = z.strictObject({
    labelSelector: field(labelSelector, { description: 'Pods this term is about.' }),
    namespaceSelector: field(labelSelector, { description: 'Namespaces whose pods count. Default: the pod\'s own namespace.' }),
    namespaces: field(z.array(dnsLabel()), { description: 'Namespaces whose pods count, by name.' }),
    topologyKey: required(str(), 'Node label whose values are the domains, e.g. `kubernetes.io/hostname`.'),
    matchLabelKeys: field(z.array(str()), { description: 'Label keys whose values the pod\'s own must equal (Kubernetes >= 1.29).' }),
    mismatchLabelKeys: field(z.array(str()), { description: 'Label keys whose values the pod\'s own must differ from (Kubernetes >= 1.29).' }),
  });
  const weight = () => required(intIn(1, 100), 'Scheduler weight, 1..100.');
  const podAffinity = (what: string) => z.strictObject({
    requiredDuringSchedulingIgnoredDuringExecution: field(z.array(podAffinityTerm), { description: `Terms a node must meet: ${what}.` }),
    preferredDuringSchedulingIgnoredDuringExecution: field(z.array(z.strictObject({ weight: weight(), podAffinityTerm: required(podAffinityTerm, 'The term.') })),
      { description: `Terms a node should meet: ${what}.` }),
  });
  const affinity = z.strictObject({
    nodeAffinity: field(z.strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: field(z.strictObject({
        nodeSelectorTerms: required(z.array(nodeSelectorTerm).min(1, { error: 'must not be empty' }), 'Terms, any of which a node must meet.'),
      }), { description: 'Nodes the pods may run on.' }),
      preferredDuringSchedulingIgnoredDuringExecution: field(z.array(z.strictObject({ weight: weight(), preference: required(nodeSelectorTerm, 'The term.') })),
        { description: 'Nodes the pods prefer.' }),
    }), { description: 'Nodes the pods run on, by their labels.' }),
    podAffinity: field(podAffinity('near pods matching them'), { description: 'Run near other pods.' }),
    podAntiAffinity: field(podAffinity('away from pods matching them'), { description: 'Run away from other pods (the strategy\'s `antiAffinity` adds its own term to the new revision\'s pods).' }),
  }).meta({ description: 'Affinity of the pods, as in Kubernetes.' });

  const scheduling = z.strictObject({
    nodeSelector: field(parts.labels(), { description: 'Node labels the pods need.', default: {} }),
    tolerations: field(z.array(toleration), { description: 'Taints the pods tolerate.', default: [] }),
    topologySpreadConstraints: field(z.array(spread), { description: 'How the pods spread over zones or nodes.', default: [] }),
    priorityClassName: field(subdomain(), { description: 'PriorityClass of the pods. Default: none (the cluster default).' }),
    affinity: field(affinity, { description: 'Node affinity, pod affinity and anti-affinity of the pods. Default: none.' }),
  }).meta({ description: 'Where the pods run.' });

  const utilization = (what: string) => field(intIn(1, 1000), { description: `Target average ${what} utilization, in percent of the request. Default: none.` });
  const customMetric = z.strictObject({
    type: required(z.enum(['Pods', 'External']), '`Pods`: a per-pod metric (averaged over the pods); `External`: a metric of something outside the cluster.'),
    name: required(str(), 'Metric name as the metrics adapter serves it.'),
    selector: field(parts.labels(), { description: 'Labels the metric is selected by. Default: none.' }),
    averageValue: required(quantity(), 'Target value per pod, e.g. `100` or `500m`.'),
  }).meta({ description: 'A custom metric (custom.metrics.k8s.io / external.metrics.k8s.io) the HPA scales on.' });
  const autoscaling = z.strictObject({
    minReplicas: field(posInt(), { description: 'Fewest pods.', default: DEFAULTS.minReplicas }),
    maxReplicas: required(posInt(), 'Most pods.'),
    cpuUtilization: utilization('CPU'),
    memoryUtilization: utilization('memory'),
    metrics: field(z.array(customMetric), { description: 'Custom metrics. Default: none.', default: [] }),
  }).meta({ description: 'A HorizontalPodAutoscaler (autoscaling/v2) targeting the Rollout; it owns `replicas`, which the Rollout then leaves out.' });

  const pdbKeys = ['minAvailable', 'maxUnavailable'];
  const podDisruptionBudget = z.strictObject({
    minAvailable: field(intOrPercent(), { description: 'Pods that must stay available during voluntary disruptions (node drains). Exactly one of minAvailable and maxUnavailable.' }),
    maxUnavailable: field(intOrPercent(), { description: 'Pods that may be unavailable during voluntary disruptions.' }),
  }).refine(exactlyOne(pdbKeys), oneOf(pdbKeys))
    .meta({ description: 'A PodDisruptionBudget (policy/v1) over every pod of the app, stable and canary.' });

  const antiAffinityKeys = ['preferred', 'required'];
  const antiAffinity = z.strictObject({
    preferred: field(z.strictObject({ weight: required(intIn(1, 100), 'Scheduler weight, 1..100.') }), { description: 'Prefer nodes without pods of older revisions. Exactly one of preferred and required.' }),
    required: field(z.strictObject({}), { description: '`{}`: only nodes without pods of older revisions (new pods stay Pending where none is free).' }),
  }).refine(exactlyOne(antiAffinityKeys), oneOf(antiAffinityKeys))
    .meta({ description: 'Keep the new revision\'s pods off nodes running older revisions (the controller adds the pod anti-affinity).' });

  const workloadRef = z.strictObject({
    name: required(subdomain(), 'Name of the Deployment (apps/v1) in the app\'s namespace whose pod template the Rollout uses.'),
    scaleDown: field(z.enum(SCALE_DOWN), { description: '`never`: leave the Deployment as it is; `onsuccess`: scale it to 0 once the Rollout is healthy; `progressively`: scale it down as the Rollout\'s pods become ready (and back up if they fail).', default: DEFAULTS.workloadScaleDown }),
    selectorLabels: field(parts.labels(), { description: 'The Deployment\'s pod labels the Services select. Default: `app.kubernetes.io/name: <app>`.' }),
  }).meta({ description: 'Migration: the Rollout references an existing Deployment (no pod template of its own) and takes over its pods.' });

  return {
    envFromSource, extraContainer, volume, lifecycle, toleration, spread, affinity, scheduling, customMetric, autoscaling, podDisruptionBudget, antiAffinity, workloadRef,
    /** The fields of `spec`. */
    fields: {
      envFrom: field(z.array(envFromSource), { description: 'Environment of the app container from ConfigMaps and Secrets.', default: [] }),
      initContainers: field(z.array(extraContainer), { description: 'Containers run to completion before the app starts.', default: [] }),
      sidecars: field(z.array(extraContainer), { description: 'Containers running beside the app container.', default: [] }),
      volumes: field(z.array(volume), { description: 'ConfigMaps and Secrets mounted into the app container.', default: [] }),
      lifecycle: field(lifecycle, { description: 'Lifecycle hooks of the app container. Default: none.' }),
      imagePullSecrets: field(z.array(subdomain()), { description: 'Secrets (docker-registry) the kubelet pulls the images with.', default: [] }),
      terminationGracePeriodSeconds: field(nonNegInt(), { description: 'Seconds a stopping pod gets before it is killed. Default: kubelet default (30).' }),
      minReadySeconds: field(nonNegInt(), { description: 'Seconds a new pod must be ready before it counts as available. Default: controller default (0).' }),
      progressDeadlineSeconds: field(posInt(), { description: 'Seconds an update may make no progress before the Rollout is Degraded; more than minReadySeconds. Default: controller default (600).' }),
      progressDeadlineAbort: field(z.boolean(), { description: 'Abort the update when the progress deadline passes. Default: controller default (false).' }),
      scheduling: field(scheduling, { description: 'Node selector, tolerations, topology spread and priority of the pods. Default: none.' }),
      autoscaling: field(autoscaling, { description: 'HorizontalPodAutoscaler of the Rollout. Default: none (`replicas` is fixed).' }),
      podDisruptionBudget: field(podDisruptionBudget, { description: 'PodDisruptionBudget of the app\'s pods. Default: none.' }),
      workloadRef: field(workloadRef, { description: 'Take the pod template from an existing Deployment (migration). Exactly one of image and workloadRef.' }),
    },
  };
}
