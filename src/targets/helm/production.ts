/**
 * Chart values of the production controls: the HPA's bounds and targets and the PDB's budget where the
 * spec has them, and the pod knobs every chart user expects (podAnnotations, nodeSelector, tolerations,
 * imagePullSecrets, extra env), empty unless the spec sets them and then rendered as synth renders them.
 */
import { LABEL_VALUE } from '../../document/patterns';
import { pattern, STRING_MAP, Table } from './table';

const INT_OR_PERCENT = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]+%$' }] };

const OBJECTS = { type: 'array', items: { type: 'object' } };

export function productionParameters(table: Table): void {
  const { autoscaling, podDisruptionBudget, podExtras, container } = table.model;
  if (podExtras && container) {
    table.field(['pod', 'annotations'], ['podAnnotations'], 'Extra annotations on the pods.', STRING_MAP, 'entries');
    table.field(['podExtras', 'nodeSelector'], ['nodeSelector'], 'Node labels the pods need.', { ...STRING_MAP, additionalProperties: pattern(LABEL_VALUE) }, 'entries');
    table.field(['podExtras', 'tolerations'], ['tolerations'], 'Tolerations of the pods, as in Kubernetes.', OBJECTS, 'list');
    table.field(['podExtras', 'imagePullSecrets'], ['imagePullSecrets'], 'Secrets the images are pulled with: `[{name: ...}]`.',
      { type: 'array', items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } } }, 'list');
    table.field(['container', 'env'], ['env'], 'Environment of the app container, as in Kubernetes (value or valueFrom).', OBJECTS, 'list');
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
