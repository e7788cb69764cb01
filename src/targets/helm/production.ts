/**
 * Chart values of the production controls: the HPA's bounds and targets and the PDB's budget where the
 * spec has them, and the pod knobs every chart user expects (podAnnotations, podLabels, nodeSelector,
 * tolerations, affinity, imagePullSecrets, extra env and envFrom, lifecycle, priorityClassName,
 * terminationGracePeriodSeconds, minReadySeconds, serviceAccount annotations), empty unless the spec sets them and then rendered as
 * synth renders them. Each is a field of the resolved model the constructs copy as a whole, in
 * Kubernetes' shape, so a value takes the field's place.
 */
import { z } from 'zod';
import type * as Schema from '../../document/schema';
import { DNS1123_SUBDOMAIN, LABEL_VALUE, QUALIFIED_NAME } from '../../document/patterns';
import type { JsonSchema } from './values';
import { pattern, STRING_MAP, Table } from './table';

const INT_OR_PERCENT = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]+%$' }] };

const OBJECTS = { type: 'array', items: { type: 'object' } };

export const closed = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema =>
  ({ type: 'object', additionalProperties: false, ...(required.length > 0 ? { required } : {}), properties });
export const NAME = { type: 'string', minLength: 1 };
const REF = closed({ name: pattern(DNS1123_SUBDOMAIN), optional: { type: 'boolean' } }, ['name']);
/** Kubernetes' EnvFromSource: exactly one of configMapRef and secretRef. */
const ENV_FROM: JsonSchema = {
  type: 'array',
  items: { ...closed({ prefix: { type: 'string' }, configMapRef: REF, secretRef: REF }), oneOf: [{ required: ['configMapRef'] }, { required: ['secretRef'] }] },
};
/** Kubernetes' LifecycleHandler as canarykit writes it: exactly one of exec, httpGet (with its port) and sleep. */
const HANDLER: JsonSchema = {
  ...closed({
    exec: closed({ command: { type: 'array', minItems: 1, items: { type: 'string' } } }, ['command']),
    httpGet: closed({ path: { type: 'string', pattern: '^/' }, port: { anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, NAME] } }, ['path', 'port']),
    sleep: closed({ seconds: { type: 'integer', minimum: 1 } }, ['seconds']),
  }),
  minProperties: 1,
  maxProperties: 1,
};

/** The spec's affinity is Kubernetes' shape already, so its JSON Schema is the value's. */
function affinitySchema(): JsonSchema {
  // Required here, not imported: the zod schemas are built on first use (see `schema()` in load/parse.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { production } = require('../../document/schema') as typeof Schema;
  const { $schema: _draft, ...schema } = z.toJSONSchema(production.affinity, { target: 'draft-7', unrepresentable: 'any' });
  return schema;
}

export function productionParameters(table: Table): void {
  const { autoscaling, podDisruptionBudget, podExtras, container, selectorLabels } = table.model;
  table.optional(['minReadySeconds'], ['minReadySeconds'], 'Seconds a new pod must be ready before it counts as available.', { type: 'integer', minimum: 0 });
  if (podExtras && container) {
    table.field(['pod', 'labels'], ['podLabels'], 'Extra labels on the pods (not the selector labels, which canarykit sets).', {
      ...STRING_MAP, propertyNames: { pattern: QUALIFIED_NAME.source, not: { enum: Object.keys(selectorLabels) } }, additionalProperties: pattern(LABEL_VALUE),
    }, 'entries');
    table.field(['pod', 'annotations'], ['podAnnotations'], 'Extra annotations on the pods.', STRING_MAP, 'entries');
    table.field(['podExtras', 'nodeSelector'], ['nodeSelector'], 'Node labels the pods need.', { ...STRING_MAP, additionalProperties: pattern(LABEL_VALUE) }, 'entries');
    table.field(['podExtras', 'tolerations'], ['tolerations'], 'Tolerations of the pods, as in Kubernetes.', OBJECTS, 'list');
    table.field(['podExtras', 'affinity'], ['affinity'], 'Affinity of the pods, as in Kubernetes (nodeAffinity, podAffinity, podAntiAffinity).', affinitySchema(), 'entries');
    table.optional(['podExtras', 'priorityClassName'], ['priorityClassName'], 'PriorityClass of the pods.', pattern(DNS1123_SUBDOMAIN));
    table.optional(['podExtras', 'terminationGracePeriodSeconds'], ['terminationGracePeriodSeconds'], 'Seconds a stopping pod gets before it is killed.', { type: 'integer', minimum: 0 });
    table.field(['podExtras', 'imagePullSecrets'], ['imagePullSecrets'], 'Secrets the images are pulled with: `[{name: ...}]`.',
      { type: 'array', items: closed({ name: NAME }, ['name']) }, 'list');
    table.field(['container', 'env'], ['env'], 'Environment of the app container, as in Kubernetes (value or valueFrom).', OBJECTS, 'list');
    table.field(['container', 'envFrom'], ['envFrom'], 'Environment of the app container from ConfigMaps and Secrets, as in Kubernetes: `[{configMapRef: {name}}, {secretRef: {name}, prefix}]`.', ENV_FROM, 'list');
    table.field(['container', 'lifecycle'], ['lifecycle'], 'Lifecycle hooks of the app container, as in Kubernetes: `{preStop: {sleep: {seconds: 10}}}`.', closed({ preStop: HANDLER, postStart: HANDLER }), 'entries');
  }
  if (table.model.serviceAccount) {
    table.field(['serviceAccount', 'annotations'], ['serviceAccount', 'annotations'], 'Annotations on the ServiceAccount (e.g. `eks.amazonaws.com/role-arn`).', STRING_MAP, 'entries');
  }
  if (autoscaling) {
    table.field(['autoscaling', 'minReplicas'], ['autoscaling', 'minReplicas'], 'Fewest pods the HPA keeps.', { type: 'integer', minimum: 1 });
    table.field(['autoscaling', 'maxReplicas'], ['autoscaling', 'maxReplicas'], 'Most pods the HPA scales to.', { type: 'integer', minimum: 1 });
    if (autoscaling.cpuUtilization !== undefined) {
      table.field(['autoscaling', 'cpuUtilization'], ['autoscaling', 'targetCPUUtilizationPercentage'], 'Target average CPU utilization (% of the request).', { type: 'integer', minimum: 1 });
    }
    if (autoscaling.memoryUtilization !== undefined) {
      table.field(['autoscaling', 'memoryUtilization'], ['autoscaling', 'targetMemoryUtilizationPercentage'], 'Target average memory utilization (% of the request).', { type: 'integer', minimum: 1 });
    }
  }
  if (podDisruptionBudget) {
    const key = podDisruptionBudget.minAvailable !== undefined ? 'minAvailable' : 'maxUnavailable';
    table.field(['podDisruptionBudget', key], ['pdb', key], key === 'minAvailable'
      ? 'Pods that must stay available during node drains (integer or percentage).'
      : 'Pods that may be unavailable during node drains (integer or percentage).', INT_OR_PERCENT);
  }
}
