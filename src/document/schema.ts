/**
 * The zod schema of the spec: shapes, types, ranges, formats, and each field's description and default,
 * so the published JSON Schema documents the spec and `types.ts` infers the TypeScript types from it.
 * Cross-field rules (references between steps, templates and args) live in `rules/`, which run only on
 * input this schema accepted.
 *
 * Every object is strict: an unknown key is an error, because a misspelt field silently ignored is how
 * hand-written charts drift.
 */
import { z } from 'zod';
import { CONTROLLER_DEFAULTS, DEFAULTS } from './defaults';
import { dns1035, dnsLabel, duration, field, intIn, intOrPercent, nonNegInt, port, posInt, quantity, required, str, subdomain } from './fields';
import { productionSchema } from './production';
import { notifications } from './notifications';

import { API_VERSION, KIND } from './constants';

export { API_VERSION, KIND };
import { DNS1035_LABEL, ENV_NAME, LABEL_VALUE, labelKeyProblems, MAX_APP_NAME, MAX_KEY_NAME, QUALIFIED_NAME, INGRESS_HOST, HTTP_HEADER_NAME } from './patterns';

export { field, required } from './fields';
import { externalProviders, EXTERNAL_PROVIDER_KEYS } from './providers';

const ingressHost = () => z.string()
  .max(253, { error: 'is longer than 253 characters' })
  .regex(INGRESS_HOST, { error: 'is not a host (a DNS-1123 subdomain, with `*.` before it for a wildcard)' });

/**
 * A label or annotation key: the shape is a pattern (so the JSON Schema carries it), the lengths of name
 * part and prefix are checked once the shape is right. Every label and annotation map is built from it.
 */
export const labelKey = z.string().regex(QUALIFIED_NAME, { error: 'is not a valid label/annotation key' })
  .check(z.superRefine((key, ctx) => {
    for (const message of labelKeyProblems(key)) ctx.addIssue({ code: 'custom', message });
  }, { when: (payload) => payload.issues.length === 0 }));
export const labels = () => z.record(labelKey, z.string().max(63, { error: 'is longer than 63 characters' })
  .regex(LABEL_VALUE, { error: 'is not a valid label value (alphanumerics and "-_." starting and ending alphanumeric)' }));
export const annotations = () => z.record(labelKey, z.string());
/** An annotation name the NGINX router prefixes itself (`canary-by-header`), so it has no prefix of its own. */
export const unprefixedAnnotationName = z.string()
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
    error: (issue) => {
      const key = String(issue.input);
      const name = key.slice(key.lastIndexOf('/') + 1);
      return key.includes('/')
        ? `has a prefix, which the controller adds itself (trafficRouting.nginx.annotationPrefix, default nginx.ingress.kubernetes.io): write ${JSON.stringify(name)}`
        : 'is not an annotation name (without prefix)';
    },
  })
  .max(MAX_KEY_NAME, { error: (issue) => `is ${(issue.input as string).length} characters, more than ${MAX_KEY_NAME}` });

export const keyRef = z.strictObject({
  name: required(subdomain(), 'Name of the Secret or ConfigMap.'),
  key: required(z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'is not a valid Secret/ConfigMap key' }), 'Key inside it.'),
});
export const fieldRef = z.strictObject({
  fieldPath: required(str(), 'Pod field, e.g. `metadata.name`, `metadata.labels[\'key\']`, `status.podIP`.'),
});
export const resourceFieldRef = z.strictObject({
  resource: required(str(), 'Container resource, e.g. `limits.memory`.'),
  divisor: field(quantity(), { description: 'Unit the value is expressed in, e.g. `1Mi`. Default: 1.' }),
});

export const envVar = z.strictObject({
  name: required(z.string().regex(ENV_NAME, { error: 'is not a valid environment variable name' }), 'Variable name.'),
  value: field(z.string(), { description: 'Literal value. Exactly one of value and valueFrom.' }),
  valueFrom: field(z.strictObject({
    fieldRef: field(fieldRef, { description: 'A field of the pod (downward API).' }),
    resourceFieldRef: field(resourceFieldRef, { description: 'A resource request or limit of the container.' }),
    secretKeyRef: field(keyRef, { description: 'A key of a Secret.' }),
    configMapKeyRef: field(keyRef, { description: 'A key of a ConfigMap.' }),
  }).refine((v) => Object.keys(v).length === 1, { error: 'must set exactly one of fieldRef, resourceFieldRef, secretKeyRef, configMapKeyRef' }),
  { description: 'Where the value comes from: exactly one of fieldRef, resourceFieldRef, secretKeyRef, configMapKeyRef.' }),
}).refine((v) => (v.value === undefined) !== (v.valueFrom === undefined), { error: 'must set exactly one of value and valueFrom' })
  .meta({ description: 'A container environment variable, as in Kubernetes (downward API and Secret/ConfigMap references included).' });

const resourceList = (defaults: { cpu: string; memory: string }, what: string) => z.strictObject({
  cpu: field(quantity(), { description: `CPU ${what}, e.g. \`250m\`.`, default: defaults.cpu }),
  memory: field(quantity(), { description: `Memory ${what}, e.g. \`256Mi\`.`, default: defaults.memory }),
  'ephemeral-storage': field(quantity(), { description: `Ephemeral storage ${what}. Default: none.` }),
});
export const resources = z.strictObject({
  requests: field(resourceList(DEFAULTS.requests, 'request'), { description: 'Resources reserved for the container; each unset one keeps its default.' }),
  limits: field(resourceList(DEFAULTS.limits, 'limit'), { description: 'Most the container may use; each unset one keeps its default.' }),
});

export const production = productionSchema({ envVar, resources, labels });

const portRef = z.union([port(), z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'is not a port name' }).max(15)]);
const PORT_REF = 'Container port: a name (`http`, `metrics`) or a number. Default: `http`.';
export const probe = z.strictObject({
  httpGet: field(z.strictObject({
    path: required(z.string().regex(/^\//, { error: 'must start with /' }), 'Path requested, e.g. `/healthz`.'),
    port: field(portRef, { description: PORT_REF }),
    scheme: field(z.enum(['HTTP', 'HTTPS']), { description: 'Scheme of the request. Default: kubelet default (HTTP).' }),
  }), { description: 'HTTP GET probe: healthy on a 2xx or 3xx response. Exactly one of httpGet, tcpSocket, exec.' }),
  tcpSocket: field(z.strictObject({ port: field(portRef, { description: PORT_REF }) }), { description: 'TCP probe: healthy when the port accepts a connection.' }),
  exec: field(z.strictObject({
    command: required(z.array(str()).min(1, { error: 'must not be empty' }), 'Command run in the container (not in a shell); healthy on exit status 0.'),
  }), { description: 'Command probe.' }),
  initialDelaySeconds: field(nonNegInt(), { description: 'Seconds after the container starts before the first probe. Default: kubelet default (0).' }),
  periodSeconds: field(posInt(), { description: 'Seconds between probes. Default: kubelet default (10).' }),
  timeoutSeconds: field(posInt(), { description: 'Seconds before a probe times out. Default: kubelet default (1).' }),
  failureThreshold: field(posInt(), { description: 'Consecutive failures that make the probe fail. Default: kubelet default (3).' }),
  successThreshold: field(posInt(), { description: 'Consecutive successes that make it pass again; must be 1 except for readiness. Default: kubelet default (1).' }),
}).refine((p) => [p.httpGet, p.tcpSocket, p.exec].filter((x) => x !== undefined).length === 1, { error: 'must set exactly one of httpGet, tcpSocket, exec' });
const probeOrOff = (description: string) => field(z.union([z.literal(false), probe]), { description: `${description} \`false\` removes it.` });
export const probes = z.strictObject({
  readiness: probeOrOff('Readiness probe. Default: tcpSocket on the `http` port.'),
  liveness: probeOrOff('Liveness probe. Default: none.'),
  startup: probeOrOff('Startup probe. Default: none.'),
});

export const imageSpec = z.strictObject({
  registry: field(z.string().regex(/^[a-zA-Z0-9.-]+(:[0-9]+)?$/, { error: 'is not a registry host' }), { description: 'Registry host, e.g. `ghcr.io`. Default: none (the repository is used as is).' }),
  repository: required(z.string().regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, { error: 'is not an image repository (lower case path)' }), 'Repository, e.g. `jhandguy/canary-deployment/sample-app`.'),
  tag: field(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'is not an image tag' }), { description: 'Tag. `latest` is rejected: a canary must compare two identifiable versions. Required unless `digest` is set.' }),
  digest: field(z.string().regex(/^sha256:[a-f0-9]{64}$/, { error: 'is not a sha256 digest' }), { description: 'Digest (`sha256:...`); when set it pins the image and wins over the tag. Default: none.' }),
  pullPolicy: field(z.enum(['Always', 'IfNotPresent', 'Never']), { description: 'When the kubelet pulls the image.', default: DEFAULTS.pullPolicy }),
});
const image = z.union([
  str().meta({ description: 'Full image reference with a tag other than latest or a digest, e.g. `ghcr.io/example/web:1.2.3`.' }),
  imageSpec,
]);

export const ports = z.strictObject({
  http: field(port(), { description: 'Container port serving traffic, exposed as the named port `http`.', default: DEFAULTS.httpPort }),
  metrics: field(port(), { description: 'Container port serving Prometheus metrics, exposed as the named port `metrics`. Default: none (no metrics port).' }),
  servicePort: field(port(), { description: 'Port the Services expose for `http`.', default: DEFAULTS.servicePort }),
});

export const security = z.strictObject({
  runAsNonRoot: field(z.boolean(), { description: 'Refuse to start the container as root.', default: DEFAULTS.runAsNonRoot }),
  runAsUser: field(nonNegInt(), { description: `User ID, a number so the kubelet can verify it is not root (an image's named or root user cannot start under runAsNonRoot). Default: ${DEFAULTS.runAsUser} (as cdk8s-plus); none with runAsNonRoot: false (the image's user).` }),
  runAsGroup: field(nonNegInt(), { description: `Group ID. Default: ${DEFAULTS.runAsGroup} (as cdk8s-plus); none with runAsNonRoot: false (the image's group).` }),
  readOnlyRootFilesystem: field(z.boolean(), { description: 'Mount the root filesystem read-only.', default: DEFAULTS.readOnlyRootFilesystem }),
  allowPrivilegeEscalation: field(z.boolean(), { description: 'Allow a process to gain more privileges than its parent (setuid).', default: DEFAULTS.allowPrivilegeEscalation }),
  addCapabilities: field(z.array(z.string().regex(/^[A-Z_]+$/, { error: 'is not a capability name such as NET_BIND_SERVICE' })), { description: 'Capabilities to add back after dropping ALL.', default: [] }),
  seccompProfile: field(z.enum(['RuntimeDefault', 'Unconfined']), { description: 'Seccomp profile of the container.', default: DEFAULTS.seccompProfile }),
  fsGroup: field(nonNegInt(), { description: 'fsGroup of the pod: group owning mounted volumes. Default: none.' }),
}).meta({ description: 'Overrides of the secure container defaults.' });

export const serviceAccount = z.strictObject({
  create: field(z.boolean(), { description: 'Create the ServiceAccount. `false` uses an existing one named `name`.', default: DEFAULTS.createServiceAccount }),
  name: field(subdomain(), { description: 'ServiceAccount name. Default: the app name.' }),
  automountToken: field(z.boolean(), { description: 'Mount the API token into pods.', default: DEFAULTS.automountServiceAccountToken }),
  annotations: field(annotations(), { description: 'Annotations on the ServiceAccount canarykit creates (e.g. `eks.amazonaws.com/role-arn`).', default: {} }),
});

export const serviceSpec = z.strictObject({
  name: field(dns1035(), { description: 'Service name. Default: `<app>-<role>` (stable, canary, active, preview), root `<app>`.' }),
  annotations: field(annotations(), { description: 'Extra annotations on this Service.', default: {} }),
});
export const services = z.strictObject({
  stable: field(serviceSpec, { description: 'Service the controller points at stable pods.' }),
  canary: field(serviceSpec, { description: 'Service the controller points at canary pods.' }),
  active: field(serviceSpec, { description: 'Blue-green: the Service that serves live traffic; the controller points it at the active pods.' }),
  preview: field(serviceSpec, { description: 'Blue-green: the Service the controller points at the new pods before promotion.' }),
  root: field(z.union([z.literal(false), serviceSpec]), { description: 'All-traffic Service selecting every pod of the app (also the one the ServiceMonitor scrapes). `false` omits it.' }),
  type: field(z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']), { description: 'Type of the Services.', default: DEFAULTS.serviceType }),
});

export const ingress = z.strictObject({
  host: field(ingressHost(), { description: 'Host the Ingress routes (to the stable or root Service; with blue-green, the active one); `*.example.com` matches one label. Default: none (every host).' }),
  previewHost: field(ingressHost(), { description: 'Blue-green: a second host, routed to the preview Service, to try the new version before promotion. Default: none.' }),
  className: field(dnsLabel(), { description: 'IngressClass.', default: DEFAULTS.ingressClassName }),
  path: field(z.string().regex(/^\//, { error: 'must start with /' }), { description: 'Path routed to the app.', default: DEFAULTS.ingressPath }),
  pathType: field(z.enum(['Prefix', 'Exact', 'ImplementationSpecific']), { description: 'How the path matches.', default: DEFAULTS.ingressPathType }),
  annotations: field(annotations(), { description: 'Annotations on the Ingress.', default: {} }),
  tlsSecretName: field(subdomain(), { description: 'TLS Secret for the host. Default: none (no TLS).' }),
  name: field(subdomain(), { description: 'Ingress name. Default: the app name.' }),
});

export const nginxRouting = z.strictObject({
  annotationPrefix: field(subdomain(), { description: 'Prefix of the NGINX annotations. Default: controller default (`nginx.ingress.kubernetes.io`); emitted only when set.' }),
  additionalIngressAnnotations: field(z.record(unprefixedAnnotationName, z.string()), { description: 'Annotations the controller puts on its canary Ingress, without prefix, e.g. `canary-by-header: X-Canary`.', default: {} }),
  canaryIngressAnnotations: field(annotations(), { description: 'Annotations copied onto the canary Ingress.', default: {} }),
});
/** An Istio host: a DNS name, optionally with a leading wildcard label (`*.example.com`), or `*`. */
const istioHost = z.string().max(253, { error: 'is longer than 253 characters' })
  .regex(/^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/, { error: 'is not a host (a DNS name, `*.` before one, or `*`)' });
/** A Gateway a VirtualService binds to: `mesh`, `<name>` or `<namespace>/<name>`. */
const istioGateway = z.string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'is not a Gateway reference (`mesh`, `<name>` or `<namespace>/<name>`)' });
export const istioVirtualService = z.strictObject({
  name: field(subdomain(), { description: 'Name of the VirtualService. Default: the app name.' }),
  create: field(z.boolean(), { description: 'canarykit creates the VirtualService (one http route to the stable and canary destinations, weights 100/0); `false` refers to an existing one by `name` and `routes`.', default: DEFAULTS.istio.create }),
  routes: field(z.array(z.string().min(1, { error: 'must not be empty' })).min(1, { error: 'must name at least one route' }), { description: 'Names of the http routes the controller weights. With `create`: the name of the one route canarykit creates (default ["primary"]). Existing VirtualService: its routes to weight; default: none (the controller weights its only route, or its first unnamed one).' }),
  hosts: field(z.array(istioHost).min(1, { error: 'must name at least one host' }), { description: 'With `create`: the hosts the VirtualService routes. Default: the root Service name (the stable Service without root).' }),
  gateways: field(z.array(istioGateway).min(1, { error: 'must name at least one gateway' }), { description: 'With `create`: Istio Gateways the VirtualService binds to (add `mesh` to keep routing in-mesh traffic too). Default: none (the mesh only).' }),
});
export const istioDestinationRule = z.strictObject({
  name: field(subdomain(), { description: 'Name of the DestinationRule. Default: the app name.' }),
  create: field(z.boolean(), { description: 'canarykit creates the DestinationRule (host: the root Service, the two subsets, whose labels the controller fills in); `false` refers to an existing one by `name`.', default: DEFAULTS.istio.create }),
  canarySubsetName: field(dnsLabel(), { description: 'Subset of the canary pods.', default: DEFAULTS.istio.canarySubsetName }),
  stableSubsetName: field(dnsLabel(), { description: 'Subset of the stable pods.', default: DEFAULTS.istio.stableSubsetName }),
});
export const istioRouting = z.strictObject({
  virtualService: field(istioVirtualService, { description: 'The VirtualService whose http route weights the controller sets. Default: `{}` (canarykit creates one named after the app).' }),
  destinationRule: field(istioDestinationRule, { description: 'Subset-level routing: the VirtualService routes to one host (the root Service) with a stable and a canary subset of a DestinationRule. Default: none (host-level routing: the route\'s destinations are the stable and canary Services).' }),
});
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'] as const;
export const parentRef = z.strictObject({
  kind: field(z.enum(['Gateway', 'Service']), { description: 'Kind of the parent: a `Gateway` (north-south traffic), or a `Service` for GAMMA mesh routing (Linkerd, Istio ambient), where the route splits the traffic sent to that Service.', default: 'Gateway' }),
  name: field(subdomain(), { description: 'Name of the parent. Required for a Gateway; for a Service, default: the app\'s root Service (the one every client calls, as Linkerd\'s GAMMA routing has it).' }),
  namespace: field(dnsLabel(), { description: 'Namespace of the parent. Default: the app\'s namespace.' }),
  group: field(z.union([z.literal(''), subdomain()]), { description: 'API group of the parent. Default: `gateway.networking.k8s.io` for a Gateway, `""` (core) for a Service.' }),
  port: field(port(), { description: 'Port of the parent (a Service port with GAMMA). Default: none (every port).' }),
  sectionName: field(dnsLabel(), { description: 'Listener of the Gateway (or port name of the Service). Default: none (every listener).' }),
}).meta({ description: 'A parent the route attaches to (Gateway API `parentRefs[]`).' });
export const routeMatch = z.strictObject({
  path: field(z.strictObject({
    type: field(z.enum(['PathPrefix', 'Exact']), { description: 'How the path matches.', default: 'PathPrefix' }),
    value: required(z.string().regex(/^\//, { error: 'must start with /' }), 'The path.'),
  }), { description: 'Path match. Default: none (every path).' }),
  headers: field(z.array(z.strictObject({
    name: required(z.string().regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, { error: 'is not an HTTP header name' }), 'Header name.'),
    value: required(z.string().min(1, { error: 'must not be empty' }).max(4096, { error: 'is longer than 4096 characters' }), 'Exact value the header must have.'),
  })), { description: 'Headers that must all match exactly.', default: [] }),
}).meta({ description: 'An HTTPRoute match: path and headers; a request matching any match of the list is routed.' });
export const gatewayRoute = z.strictObject({
  kind: field(z.enum(ROUTE_KINDS), { description: 'Kind of the route canarykit creates: `HTTPRoute`, or `GRPCRoute` for a gRPC app.', default: 'HTTPRoute' }),
  name: field(subdomain(), { description: 'Route name. Default: the app name.' }),
  parentRefs: required(z.array(parentRef).min(1, { error: 'must name at least one parent' }), 'Gateways (or, with GAMMA, the Service) the route attaches to.'),
  hostnames: field(z.array(subdomain()), { description: 'Hostnames the route serves (Gateway parents only). Default: none (every hostname of the listener).', default: [] }),
  matches: field(z.array(routeMatch), { description: 'HTTPRoute only: the requests the route sends to the app. Default: none (every request).', default: [] }),
});
export const existingRoute = z.strictObject({
  kind: field(z.enum(ROUTE_KINDS), { description: 'Kind of the route.', default: 'HTTPRoute' }),
  name: required(subdomain(), 'Name of the route.'),
  namespace: field(dnsLabel(), { description: 'Namespace of the route. Default: the app\'s namespace.' }),
});
export const gatewayApiRouting = z.strictObject({
  route: field(gatewayRoute, { description: 'The route canarykit creates, with backendRefs to the stable (weight 100) and canary (weight 0) Services. Exactly one of route and existingRoute.' }),
  existingRoute: field(existingRoute, { description: 'A route managed elsewhere, whose rules already have the stable and canary Services as backendRefs. Exactly one of route and existingRoute.' }),
}).refine((g) => (g.route === undefined) !== (g.existingRoute === undefined), { error: 'must set exactly one of route and existingRoute', params: { whole: true } });
export const managedRoute = z.strictObject({
  name: required(dnsLabel(), 'Name of the route, as `setHeaderRoute.name` and `setMirrorRoute.name` refer to it (a DNS-1123 label: the Gateway API plugin names its route rule after it).'),
});
/** The routers a `trafficRouting` chooses (its keys but the router-agnostic managedRoutes), in declaration order. */
const ROUTER_KEYS = ['nginx', 'istio', 'gatewayAPI'];
const routers = (routing: object) => ROUTER_KEYS.filter((k) => k in routing);
export const trafficRouting = z.strictObject({
  nginx: field(nginxRouting, { description: 'Route by weight with the NGINX Ingress controller; needs `ingress`.' }),
  istio: field(istioRouting, { description: 'Route by weight with Istio: the controller sets the weights of a VirtualService\'s http route (see docs/istio.md).' }),
  gatewayAPI: field(gatewayApiRouting, { description: 'Route by weight with a Gateway API HTTPRoute or GRPCRoute, through the Argo Rollouts Gateway API plugin (`argoproj-labs/gatewayAPI`, set up in the controller: docs/routing.md).' }),
  managedRoutes: field(z.array(managedRoute), { description: 'Routes the steps create and remove (`setHeaderRoute`, `setMirrorRoute`); the controller removes them all when the rollout completes or aborts. Default: none.' }),
}).refine((r) => routers(r).length <= 1, {
  error: (issue) => `sets ${routers(issue.input as object).join(' and ')}; set at most one traffic router`, params: { whole: true },
});

export const rolloutArg = z.strictObject({
  name: required(str(), 'Name of the template arg.'),
  value: field(z.string(), { description: 'Literal value. Exactly one of value and valueFrom.' }),
  valueFrom: field(z.strictObject({
    podTemplateHashValue: field(z.enum(['Latest', 'Stable']), { description: 'Pod template hash of the canary (`Latest`) or stable (`Stable`) ReplicaSet.' }),
    fieldRef: field(fieldRef, { description: 'A field of the Rollout, e.g. `metadata.name`.' }),
  }).refine((v) => Object.keys(v).length === 1, { error: 'must set exactly one of podTemplateHashValue, fieldRef' }),
  { description: 'Where the value comes from: exactly one of podTemplateHashValue, fieldRef.' }),
}).refine((a) => (a.value === undefined) !== (a.valueFrom === undefined), { error: 'must set exactly one of value and valueFrom' })
  .meta({ description: 'Argument passed by a Rollout to an analysis template.' });

export const templateRef = z.union([
  str().meta({ description: 'Spec name of a template in analysisTemplates.' }),
  z.strictObject({
    name: required(str(), 'Spec name of the template, the name of a template of `library`, or the name of a ClusterAnalysisTemplate not defined in this spec.'),
    cluster: field(z.boolean(), { description: 'The template is a ClusterAnalysisTemplate; needed for one not defined in this spec (a library\'s clusterScoped template included).', default: false }),
    library: field(dnsLabel(), { description: 'Name of the AnalysisLibrary that defines the template: it must be among the inputs, and the args of the analysis are checked against the template\'s. Default: none (a template of this spec, or an existing ClusterAnalysisTemplate).' }),
  }),
]).meta({ description: 'A reference to an analysis template by its spec name; `{ name, library }` for a template of an AnalysisLibrary (`cluster: true` when it is clusterScoped); `cluster: true` for a ClusterAnalysisTemplate not defined in this spec.' });
export const stepAnalysis = z.strictObject({
  templates: required(z.array(templateRef).min(1, { error: 'must name at least one template' }), 'Templates the analysis runs, together.'),
  args: field(z.array(rolloutArg), { description: 'Values of the templates\' args.', default: [] }),
});
export const backgroundAnalysis = stepAnalysis.extend({
  startingStep: field(dnsLabel(), { description: 'Name of the step at which the analysis starts; canarykit computes the index. Default: the first step.' }),
});

const pauseDuration = z.union([nonNegInt(), duration()]);
export const setCanaryScale = z.strictObject({
  weight: field(intIn(0, 100), { description: 'Canary replicas as a percentage of the Rollout\'s replicas.' }),
  replicas: field(nonNegInt(), { description: 'Canary replicas as a count.' }),
  matchTrafficWeight: field(z.boolean(), { description: 'Scale the canary with the traffic weight again.' }),
}).refine((s) => Object.keys(s).length === 1, { error: 'must set exactly one of weight, replicas, matchTrafficWeight' });
export const stringMatch = z.strictObject({
  exact: field(z.string().min(1, { error: 'must not be empty' }), { description: 'The exact value.' }),
  prefix: field(z.string().min(1, { error: 'must not be empty' }), { description: 'A prefix of the value.' }),
  regex: field(z.string().min(1, { error: 'must not be empty' }), { description: 'A regular expression the value matches (RE2).' }),
}).refine((m) => Object.keys(m).length === 1, { error: 'must set exactly one of exact, prefix, regex' });
export const setHeaderRoute = z.strictObject({
  name: required(dnsLabel(), 'The managed route (in trafficRouting.managedRoutes) this step sets or removes.'),
  match: field(z.array(z.strictObject({
    headerName: required(z.string().regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, { error: 'is not an HTTP header name' }), 'Header name.'),
    headerValue: required(stringMatch, 'How the header value matches: exactly one of exact, prefix, regex.'),
  })).min(1, { error: 'must list at least one header (leave match out to remove the route)' }), { description: 'Headers a request must carry to go to the canary. Default: none, which removes the route.' }),
}).meta({ description: 'Send requests with these headers to the canary, whatever the weight; without `match`, remove the route.' });
export const setMirrorRoute = z.strictObject({
  name: required(dnsLabel(), 'The managed route (in trafficRouting.managedRoutes) this step sets or removes.'),
  percentage: field(intIn(0, 100), { description: 'Percentage of the matching requests mirrored. Default: controller default (100).' }),
  match: field(z.array(z.strictObject({
    method: field(stringMatch, { description: 'HTTP method match.' }),
    path: field(stringMatch, { description: 'Path match.' }),
    headers: field(z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, { error: 'is not an HTTP header name' }), stringMatch), { description: 'Header matches, by header name.' }),
  })).min(1, { error: 'must list at least one match (leave match out to remove the route)' }), { description: 'Requests copied to the canary (responses discarded). Default: none, which removes the route.' }),
}).meta({ description: 'Mirror matching requests to the canary; without `match`, remove the route.' });
export const step = z.strictObject({
  name: field(dnsLabel(), { description: 'Step name, referenced by `analysis.startingStep`. DNS-1123 label. Default: none (sugar steps are named `weight-<w>`).' }),
  setWeight: field(intIn(0, 100), { description: 'Percentage of traffic (or replicas, without traffic routing) sent to the canary.' }),
  pause: field(z.strictObject({
    duration: field(pauseDuration, { description: 'Go duration or seconds. Default: none (wait until promoted).' }),
  }), { description: '`{}` pauses until promoted; `{ duration }` for a timed pause (Go duration or seconds).' }),
  analysis: field(stepAnalysis, { description: 'Analysis the rollout waits for; a failure aborts it.' }),
  setCanaryScale: field(setCanaryScale, { description: 'Canary scale independent of the weight (needs trafficRouting): exactly one of weight, replicas, matchTrafficWeight.' }),
  setHeaderRoute: field(setHeaderRoute, { description: 'Route requests by header to the canary (needs a router with header routes: gatewayAPI, istio).' }),
  setMirrorRoute: field(setMirrorRoute, { description: 'Mirror requests to the canary (needs a router with mirror routes: istio).' }),
}).meta({ description: 'One canary step: exactly one of setWeight, pause, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute. `name` lets other parts refer to it.' });

export const podMetadata = z.strictObject({
  labels: field(labels(), { description: 'Labels on the pods.', default: {} }),
  annotations: field(annotations(), { description: 'Annotations on the pods.', default: {} }),
});

const CONTROLLER_DEFAULT = 'Default: controller default';
export const canary = z.strictObject({
  steps: field(z.array(step), { description: 'Free-form steps. Exactly one of `steps` and `weights`.' }),
  weights: field(z.array(intIn(1, 100)).min(1, { error: 'must list at least one weight' }), { description: 'Sugar: a weight schedule compiled to `setWeight` + `pause` per weight, steps named `weight-<w>`.' }),
  pause: field(z.union([z.literal('manual'), nonNegInt(), duration()]), { description: 'Pause after each weight of `weights` (not with `steps`): a duration, or `manual` to wait for promotion.', default: DEFAULTS.weightPause }),
  analysis: field(backgroundAnalysis, { description: 'Analysis running in the background from `startingStep` until promotion. Default: none.' }),
  canaryMetadata: field(podMetadata, { description: 'Metadata of canary pods, merged over `{ labels: { "canarykit.dev/track": "canary" } }`.' }),
  stableMetadata: field(podMetadata, { description: 'Metadata of stable pods, merged over `{ labels: { "canarykit.dev/track": "stable" } }`.' }),
  maxSurge: field(intOrPercent(), { description: `Pods above the desired count during an update. ${CONTROLLER_DEFAULT} ("25%").` }),
  maxUnavailable: field(intOrPercent(), { description: `Pods that may be unavailable during an update. ${CONTROLLER_DEFAULT} ("25%").` }),
  dynamicStableScale: field(z.boolean(), { description: `Scale the stable ReplicaSet down as traffic moves to the canary (needs trafficRouting). ${CONTROLLER_DEFAULT} (false).` }),
  abortScaleDownDelaySeconds: field(nonNegInt(), { description: `Seconds before the canary is scaled down after an abort. ${CONTROLLER_DEFAULT} (30).` }),
  scaleDownDelaySeconds: field(nonNegInt(), { description: `Seconds before the old stable is scaled down after promotion (needs trafficRouting). ${CONTROLLER_DEFAULT} (30).` }),
  antiAffinity: field(production.antiAffinity, { description: 'Anti-affinity of the canary pods to older revisions. Default: none.' }),
});

export const blueGreen = z.strictObject({
  autoPromotionEnabled: field(z.boolean(), { description: `Promote once the preview is ready and its pre-promotion analysis passed; \`false\` waits for a promotion. ${CONTROLLER_DEFAULT} (true).` }),
  autoPromotionSeconds: field(posInt(), { description: 'Promote this many seconds after the preview is ready (with autoPromotionEnabled). Default: none (at once).' }),
  previewReplicaCount: field(posInt(), { description: 'Pods of the preview before promotion, at most `replicas`. Default: none (all of `replicas`).' }),
  scaleDownDelaySeconds: field(nonNegInt(), { description: `Seconds the old active pods stay after promotion (clients see the switch late). ${CONTROLLER_DEFAULT} (30).` }),
  abortScaleDownDelaySeconds: field(nonNegInt(), { description: `Seconds the preview pods stay after an abort. ${CONTROLLER_DEFAULT} (30).` }),
  scaleDownDelayRevisionLimit: field(nonNegInt(), { description: 'Old ReplicaSets kept running during their scale-down delay, at most revisionHistoryLimit. Default: controller default (no limit).' }),
  prePromotionAnalysis: field(stepAnalysis, { description: 'Analysis of the preview pods before the active Service switches; a failure aborts the rollout. Default: none.' }),
  postPromotionAnalysis: field(stepAnalysis, { description: 'Analysis after the switch, while the old pods are kept; a failure switches back. Default: none.' }),
  previewMetadata: field(podMetadata, { description: 'Metadata of preview pods, merged over `{ labels: { "canarykit.dev/track": "preview" } }`.' }),
  activeMetadata: field(podMetadata, { description: 'Metadata of active pods, merged over `{ labels: { "canarykit.dev/track": "active" } }`.' }),
  antiAffinity: field(production.antiAffinity, { description: 'Anti-affinity of the preview pods to older revisions. Default: none.' }),
});

export const header = z.strictObject({
  key: required(z.string().regex(HTTP_HEADER_NAME, { error: 'is not an HTTP header name' }), 'Header name.'),
  value: required(z.string(), 'Header value; may contain `{{args.x}}`.'),
});
const headers = (description: string) => field(z.array(header), { description, default: [] });

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: 'is not a Prometheus label name' });
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'is not a Prometheus metric name' });
const fraction = () => z.number({ error: 'must be a number' }).min(0, { error: 'is not in 0..1' }).max(1, { error: 'is not in 0..1' });
export const labelMatcher = z.strictObject({
  label: required(labelName, 'Label name.'),
  op: field(z.enum(['=', '!=', '=~', '!~']), { description: 'Match operator.', default: DEFAULTS.matcherOp }),
  value: required(z.string(), 'Value or RE2 regex; may contain `{{args.x}}`.'),
}).meta({ description: 'A PromQL label matcher, e.g. `{ label: code, op: "!~", value: "5.." }`.' });
const SPEC_PROMETHEUS = 'Default: `spec.prometheus.address`, else the controller\'s `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS` environment variable.';
const QUERY_TIMEOUT = `Query timeout in seconds. ${CONTROLLER_DEFAULT}.`;
export const prometheusConnection = z.strictObject({
  address: field(str(), { description: `Prometheus address, an http(s) URL; may contain \`{{args.x}}\` (substituted first). ${SPEC_PROMETHEUS}` }),
  headers: headers('Headers, e.g. `Authorization: Bearer {{args.prom-token}}` with a Secret-backed template arg.'),
  timeout: field(posInt(), { description: QUERY_TIMEOUT }),
});
export const noData = z.enum(['fail', 'inconclusive', 'pass'])
  .meta({ description: 'What a metric concludes from a measurement without data (no canary traffic, or no series at all).' });
export const builtinPrometheusMetric = prometheusConnection.extend({
  canary: required(z.record(labelName, z.string()).refine((c) => Object.keys(c).length > 0, { error: 'must select the canary with at least one label matcher' }),
    'Label matchers (equality) that select the canary\'s series only, e.g. `{ rollouts_pod_template_hash: "{{args.canary-hash}}" }`.'),
  window: field(duration(), { description: 'Range of rate(). At least 4 scrape intervals, so every window holds enough samples. Default: 4 × scrapeInterval.' }),
  scrapeInterval: field(duration(), { description: `Scrape interval of the series. Default: \`spec.serviceMonitor.interval\`, else "${DEFAULTS.scrapeInterval}".` }),
  noData: field(noData, { description: 'Verdict without data: no series, or no canary requests in the window.', default: DEFAULTS.noData }),
  minRequests: field(posInt(), { description: 'Fewer canary requests than this in the window count as no data. Default: none (only zero traffic does).' }),
});
export const successRate = builtinPrometheusMetric.extend({
  metric: required(metricName, 'Request counter, e.g. `http_requests_total`.'),
  success: required(z.union([labelMatcher, z.array(labelMatcher).min(1, { error: 'must list at least one matcher' })]),
    'Matchers that select successful requests, e.g. `{ label: code, op: "!~", value: "5.." }`.'),
  threshold: required(fraction(), 'Lowest acceptable success share, in 0..1 (e.g. 0.99).'),
}).meta({ description: 'RED success rate of the canary: successful / all requests, over rate() of a request counter.' });
export const latency = builtinPrometheusMetric.extend({
  metric: required(metricName, 'Histogram base name (without `_bucket`), e.g. `http_request_duration_seconds`.'),
  quantile: field(fraction(), { description: 'Quantile in 0..1.', default: DEFAULTS.quantile }),
  thresholdSeconds: required(z.number({ error: 'must be a number' }).positive({ error: 'must be > 0' }), 'Highest acceptable latency at that quantile, in seconds.'),
}).meta({ description: 'Latency quantile of the canary from a Prometheus histogram.' });

export const tolerance = z.strictObject({
  absolute: field(z.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0' }), { description: 'How much worse than stable the canary may be, in the metric\'s unit (error ratio 0..1, or seconds). Default: none.' }),
  relative: field(z.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0' }), { description: 'How much worse than stable the canary may be, as a share of stable\'s value (0.2 = 20% worse). Default: none.' }),
}).refine((t) => t.absolute !== undefined || t.relative !== undefined, { error: 'must set absolute, relative or both', params: { whole: true } })
  .meta({ description: 'The canary passes while its value is at most stable + max(absolute, relative × stable): with both, the more lenient, so `absolute` is a floor when stable is near zero.' });
const comparedToStable = builtinPrometheusMetric.extend({
  stable: required(z.record(labelName, z.string()).refine((c) => Object.keys(c).length > 0, { error: 'must select the stable pods with at least one label matcher' }),
    'Label matchers (equality) that select the stable pods\' series over the same window, e.g. `{ rollouts_pod_template_hash: "{{args.stable-hash}}" }`.'),
  tolerance: required(tolerance, 'How much worse than stable the canary may be.'),
  minRequests: field(posInt(), { description: 'Fewer requests than this in the window, on the canary or on stable, count as no data. Default: none (only zero traffic on either side does).' }),
});
export const errorRatioVsStable = comparedToStable.extend({
  metric: required(metricName, 'Request counter, e.g. `http_requests_total`.'),
  success: required(z.union([labelMatcher, z.array(labelMatcher).min(1, { error: 'must list at least one matcher' })]),
    'Matchers that select successful requests; every other request is an error.'),
}).meta({ description: 'The canary\'s error ratio compared with the stable pods\' over the same window: relative judgement, so a canary as bad as stable is not blamed for it.' });
export const latencyVsStable = comparedToStable.extend({
  metric: required(metricName, 'Histogram base name (without `_bucket`), e.g. `http_request_duration_seconds`.'),
  quantile: field(fraction(), { description: 'Quantile in 0..1.', default: DEFAULTS.quantile }),
}).meta({ description: 'The canary\'s latency quantile compared with the stable pods\' over the same window.' });

export const promqlTestSeries = z.strictObject({
  series: required(str(), 'Series in promtool notation, e.g. `http_requests_total{code="200", rollouts_pod_template_hash="abc"}`.'),
  values: required(str(), 'promtool expanding notation, e.g. `0+60x20`.'),
});
export const promqlTest = z.strictObject({
  name: required(str(), 'Test case name.'),
  series: required(z.array(promqlTestSeries).min(1, { error: 'must list at least one series' }), 'Input series.'),
  args: field(z.record(z.string(), z.string()), { description: 'Values of `{{args.x}}` in the query. Default: each arg\'s default, else "test-<arg>".' }),
  interval: field(duration(), { description: 'Time between two samples of the series: the scrape interval. Default: the built-in metric\'s `scrapeInterval`, else `spec.serviceMonitor.interval`, else "30s".' }),
  evalTime: field(duration(), { description: 'Evaluation time after the first sample. Default: the series\' length.' }),
  expect: required(z.enum(['Successful', 'Failed', 'Inconclusive']), 'Expected phase of the measurement.'),
}).meta({ description: 'A user test case for a Prometheus metric, run by `canarykit test-analysis` (never emitted).' });

export const prometheusProvider = z.strictObject({
  address: field(str(), { description: `Prometheus address, an http(s) URL; may contain \`{{args.x}}\` (substituted first). ${SPEC_PROMETHEUS}` }),
  query: required(str(), 'PromQL; `{{args.x}}` placeholders are substituted by the controller.'),
  timeout: field(posInt(), { description: QUERY_TIMEOUT }),
  headers: headers('HTTP headers sent to Prometheus (values may be `{{args.x}}` Secret-backed args).'),
});
export const webProvider = z.strictObject({
  url: required(str(), 'URL requested; may contain `{{args.x}}`.'),
  method: field(z.enum(['GET', 'POST', 'PUT']), { description: 'HTTP method.', default: DEFAULTS.webMethod }),
  headers: headers('HTTP headers sent.'),
  body: field(z.string(), { description: 'Request body as text (POST/PUT). For a JSON body that carries `{{args.x}}`, use `jsonBody`: here the controller substitutes arg values unescaped, so a quote or backslash in one breaks the JSON. Default: none.' }),
  jsonBody: field(z.record(z.string(), z.json()), { description: 'JSON request body (POST/PUT), written as YAML data. The controller escapes arg values substituted into its strings, so `note: "{{args.note}}"` stays valid JSON whatever the value. Default: none.' }),
  jsonPath: field(str(), { description: 'JSONPath into the response, e.g. `{$.error_rate}`. Default: the whole body.' }),
  timeoutSeconds: field(posInt(), { description: `Request timeout in seconds. ${CONTROLLER_DEFAULT} (10).` }),
});
export const jobProvider = z.strictObject({
  image: required(str(), 'Image with the tools the command needs; pin it.'),
  command: required(z.array(str()).min(1, { error: 'must not be empty' }), 'Command of the Job\'s container; exit status 0 is success.'),
  args: field(z.array(z.string()), { description: 'Arguments of the command.', default: [] }),
  env: field(z.array(envVar), { description: 'Environment of the container.', default: [] }),
  backoffLimit: field(nonNegInt(), { description: 'Retries of a failed pod; 0 fails the metric on the first failed attempt.', default: DEFAULTS.jobBackoffLimit }),
  activeDeadlineSeconds: field(posInt(), { description: 'Seconds the Job may run.', default: DEFAULTS.jobActiveDeadlineSeconds }),
  ttlSecondsAfterFinished: field(nonNegInt(), { description: 'Seconds a finished Job is kept.', default: DEFAULTS.jobTtlSecondsAfterFinished }),
});
const PROVIDER_KEYS = ['prometheus', 'web', 'job', ...EXTERNAL_PROVIDER_KEYS, 'successRate', 'latency', 'errorRatioVsStable', 'latencyVsStable'];
export const provider = z.strictObject({
  prometheus: field(prometheusProvider, { description: 'A PromQL query.' }),
  web: field(webProvider, { description: 'An HTTP request.' }),
  job: field(jobProvider, { description: 'A Kubernetes Job.' }),
  ...externalProviders,
  successRate: field(successRate, { description: 'Built-in success-rate metric (Prometheus); canarykit writes the query and both conditions.' }),
  latency: field(latency, { description: 'Built-in latency metric (Prometheus histogram); canarykit writes the query and both conditions.' }),
  errorRatioVsStable: field(errorRatioVsStable, { description: 'Built-in canary-vs-stable error ratio (Prometheus); canarykit writes the query and both conditions.' }),
  latencyVsStable: field(latencyVsStable, { description: 'Built-in canary-vs-stable latency quantile (Prometheus histogram); canarykit writes the query and both conditions.' }),
}).refine((p) => Object.keys(p).length === 1, { error: `must set exactly one of ${PROVIDER_KEYS.join(', ')}` });

export const metric = z.strictObject({
  name: required(dnsLabel(), 'Metric name.'),
  interval: field(duration(), { description: 'Time between measurements. Default: none (the metric is measured once).' }),
  count: field(posInt(), { description: 'Number of measurements. Default: none (unbounded with interval; 1 without).' }),
  initialDelay: field(duration(), { description: 'Wait before the first measurement. Default: none.' }),
  failureLimit: field(nonNegInt(), { description: `Failed measurements tolerated. ${CONTROLLER_DEFAULT} (0).` }),
  consecutiveErrorLimit: field(nonNegInt(), { description: `Consecutive errors tolerated. ${CONTROLLER_DEFAULT} (4).` }),
  inconclusiveLimit: field(nonNegInt(), { description: `Inconclusive measurements tolerated. ${CONTROLLER_DEFAULT} (0).` }),
  successCondition: field(str(), { description: 'expr expression over `result`. Default: none.' }),
  failureCondition: field(str(), { description: 'expr expression over `result` that fails the measurement. Default: none.' }),
  provider: required(provider, 'Exactly one provider.'),
  dryRun: field(z.boolean(), { description: 'Measure and report, but never fail the analysis (the template\'s `dryRun`): for a metric being tried out.', default: false }),
  measurementRetention: field(posInt(), { description: 'Measurements the AnalysisRun keeps for this metric (the template\'s `measurementRetention`). Default: controller default (10).' }),
  tests: field(z.array(promqlTest), { description: 'Extra promtool cases for `canarykit test-analysis` (Prometheus metrics only).', default: [] }),
});

export const secretArgSource = z.strictObject({ secretKeyRef: required(keyRef, 'The Secret key.') });
export const templateArg = z.strictObject({
  name: required(str(), 'Arg name, used as `{{args.<name>}}`.'),
  value: field(z.string(), { description: 'Default value. Default: none (the Rollout must supply it).' }),
  valueFrom: field(secretArgSource, { description: 'Read the value from a Secret, so it never appears in the manifests.' }),
}).refine((a) => !(a.value !== undefined && a.valueFrom !== undefined), { error: 'must not set both value and valueFrom' });
export const analysisTemplate = z.strictObject({
  name: required(dnsLabel(), 'Spec name; the object is named `<app>-<name>` so apps sharing a namespace never collide.'),
  clusterScoped: field(z.boolean(), { description: 'Emit a ClusterAnalysisTemplate instead (named `<namespace>-<app>-<name>`).', default: DEFAULTS.clusterScopedTemplate }),
  args: field(z.array(templateArg), { description: 'Args of the template.', default: [] }),
  metrics: required(z.array(metric).min(1, { error: 'must define at least one metric' }), 'Metrics measured; each must succeed.'),
});

export const last9Preset = z.strictObject({
  organization: field(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'is not an organization slug' }), { description: 'Organization slug; the URL becomes `https://app.last9.io/api/v4/organizations/<org>/domain_events`. Required unless `sink.url` is set.' }),
  workspace: field(str(), { description: 'Workspace field. Default: the app name.' }),
  namespace: field(str(), { description: 'Namespace field. Default: the app namespace.' }),
  entityType: field(str(), { description: 'Entity type field.', default: DEFAULTS.last9.entityType }),
  dataSourceName: required(str(), 'Levitate data source the events belong to.'),
}).meta({ description: 'Preset for Last9 (Levitate) domain events: fills url, method, token header and payload fields.' });
const SINK = DEFAULTS.eventSink;
export const eventSink = z.strictObject({
  url: field(z.url({ error: 'is not a URL' }), { description: 'Endpoint URL. Default: from the preset.' }),
  method: field(z.enum(['POST', 'PUT']), { description: `HTTP method. Default: "${SINK.method}" ("${DEFAULTS.last9.method}" with last9).` }),
  headers: headers('Non-secret headers. `Content-Type: application/json` is always sent.'),
  tokenSecretRef: field(keyRef, { description: 'Secret holding the API token; it reaches the Job only as a secretKeyRef env var. Default: none.' }),
  tokenHeader: field(header.shape.key, { description: `Header carrying the token. Default: "${SINK.tokenHeader}" ("${DEFAULTS.last9.tokenHeader}" with last9).` }),
  tokenPrefix: field(z.string(), { description: 'Text before the token in that header.', default: SINK.tokenPrefix }),
  fields: field(z.record(z.string(), z.string()), { description: 'Extra static payload fields. Default: none (with last9: workspace, namespace, entity_type, data_source_name).' }),
  timeoutSeconds: field(posInt(), { description: 'curl --max-time per attempt.', default: SINK.timeoutSeconds }),
  retries: field(nonNegInt(), { description: 'curl --retry (transient errors and HTTP 408/429/5xx).', default: SINK.retries }),
  last9: field(last9Preset, { description: 'Send to Last9 (Levitate).' }),
}).meta({ description: 'Where domain events go: an HTTP endpoint receiving one JSON object per event.' });
export const events = z.strictObject({
  sink: required(eventSink, 'Where the events go.'),
  image: field(str(), { description: 'Image with sh, curl (>= 7.76) and jq.', default: DEFAULTS.events.image }),
  name: field(str(), { description: 'Event name of a stage. `{weight}` is replaced. Default: "<app>-{weight}".' }),
  onAbort: field(z.boolean(), { description: 'Subscribe the Rollout to the `on-rollout-aborted` notification trigger (see docs/analysis.md).', default: DEFAULTS.events.onAbort }),
  required: field(z.boolean(), { description: 'A failed event Job aborts the rollout. `false` runs the event metric as dry-run.', default: DEFAULTS.events.required }),
}).meta({ description: 'Domain events around each weight stage, sent by one parameterised Job-metric template.' });

export const serviceMonitor = z.strictObject({
  enabled: field(z.boolean(), { description: 'Emit a ServiceMonitor for the root Service. Default: true when `ports.metrics` is set.' }),
  interval: field(duration(), { description: 'Scrape interval.', default: DEFAULTS.scrapeInterval }),
  scrapeTimeout: field(duration(), { description: `Scrape timeout. Default: the interval, capped at ${DEFAULTS.maxScrapeTimeoutSeconds}s.` }),
  path: field(z.string().regex(/^\//, { error: 'must start with /' }), { description: 'Path scraped.', default: DEFAULTS.metricsPath }),
  selectorLabels: field(labels(), { description: 'Labels the Prometheus `serviceMonitorSelector` selects, e.g. `{ release: prometheus }`.', default: {} }),
});
export const prometheus = z.strictObject({ address: required(z.url({ error: 'is not a URL' }), 'Address analysis queries go to.') });

export const specSchema = z.strictObject({
  image: field(image, { description: 'Container image: a reference string, or its parts. Exactly one of image and workloadRef.' }),
  replicas: field(nonNegInt(), { description: 'Pods of the Rollout.', default: DEFAULTS.replicas }),
  ports: field(ports, { description: 'Container and Service ports.' }),
  env: field(z.array(envVar), { description: 'Environment of the container.', default: [] }),
  command: field(z.array(z.string()), { description: 'Entrypoint. Default: none (the image\'s entrypoint).' }),
  args: field(z.array(z.string()), { description: 'Arguments of the entrypoint. Default: none (the image\'s).' }),
  resources: field(resources, { description: 'Container resource requests and limits.' }),
  probes: field(probes, { description: 'Container probes.' }),
  security: field(security, { description: 'Overrides of the secure container defaults.' }),
  podLabels: field(labels(), { description: 'Extra labels on the pods.', default: {} }),
  podAnnotations: field(annotations(), { description: 'Extra annotations on the pods.', default: {} }),
  serviceAccount: field(serviceAccount, { description: 'ServiceAccount of the pods.' }),
  revisionHistoryLimit: field(nonNegInt(), { description: `Old ReplicaSets kept for rollback. ${CONTROLLER_DEFAULT} (${CONTROLLER_DEFAULTS.revisionHistoryLimit}).` }),
  services: field(services, { description: 'The Services: stable and canary (canary strategy) or active and preview (blue-green), and root.' }),
  ingress: field(ingress, { description: 'Ingress for the app. Default: none (required with NGINX traffic routing).' }),
  trafficRouting: field(trafficRouting, { description: 'Traffic router. Default: none (a replica-weighted canary).' }),
  canary: field(canary, { description: 'The canary strategy: steps or a weight schedule. Exactly one of canary and blueGreen.' }),
  blueGreen: field(blueGreen, { description: 'The blue-green strategy: a preview of the new version behind its own Service, promoted by switching the active Service. Exactly one of canary and blueGreen.' }),
  analysisTemplates: field(z.array(analysisTemplate), { description: 'Analysis templates the steps and background analysis refer to.', default: [] }),
  serviceMonitor: field(serviceMonitor, { description: 'Prometheus Operator ServiceMonitor. Default: enabled when a metrics port is set.' }),
  prometheus: field(prometheus, { description: 'Default Prometheus for analysis. Default: none.' }),
  events: field(events, { description: 'Domain events (start/stop per weight stage, stop on abort). Default: none.' }),
  ...production.fields,
  notifications: field(notifications, { description: 'Which of the controller\'s notification triggers go to which sinks (webhook, Slack, Microsoft Teams, email); the controller-side configuration is `canarykit notifications`. Default: none.' }),
  // Only once the fields are good: a misspelt `canry:` is reported as the unknown field it is.
}).refine((spec) => (spec.canary === undefined) !== (spec.blueGreen === undefined), {
  error: 'must set exactly one of canary and blueGreen (the strategy)', params: { whole: true }, when: (payload) => payload.issues.length === 0,
}).refine((spec) => (spec.image === undefined) !== (spec.workloadRef === undefined), {
  error: 'must set exactly one of image and workloadRef (the pod source)', params: { whole: true }, when: (payload) => payload.issues.length === 0,
});

export const metadataSchema = z.strictObject({
  // The app name prefixes Service names, so it must be a DNS-1035 label (starting with a letter).
  name: required(z.string().max(MAX_APP_NAME, { error: `is longer than ${MAX_APP_NAME} characters` })
    .regex(DNS1035_LABEL, { error: 'is not a DNS-1035 label (lower case alphanumerics and "-", starting with a letter)' }),
  `Application name: names the Rollout and prefixes every other object. DNS-1035 label, at most ${MAX_APP_NAME} characters.`),
  namespace: field(dnsLabel(), { description: 'Namespace of every namespaced object.', default: DEFAULTS.namespace }),
  labels: field(labels(), { description: 'Extra labels on every object.', default: {} }),
  annotations: field(annotations(), { description: 'Extra annotations on every object.', default: {} }),
});

export const documentSchema = z.strictObject({
  apiVersion: required(z.literal(API_VERSION), 'Version of the CanaryApp format.'),
  kind: required(z.literal(KIND), 'Kind of the document.'),
  metadata: required(metadataSchema, 'The application: name, namespace, labels and annotations of every object.'),
  spec: required(specSchema, 'The application\'s canary setup.'),
});
