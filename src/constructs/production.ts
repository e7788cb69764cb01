/** The objects that keep the app's pods running in production: its HorizontalPodAutoscaler and PodDisruptionBudget. */
import { Construct } from 'constructs';
import * as k8s from './k8s';
import type { ResolvedApp, ResolvedAutoscaling } from '../model/model';
import { compact, objectMeta } from './metadata';
import { plainObject } from './render';

export interface AppAutoscalerProps {
  readonly app: ResolvedApp;
  readonly autoscaling: ResolvedAutoscaling;
}

/**
 * An autoscaling/v2 HPA whose target is the Rollout: it writes the Rollout's scale subresource, and the
 * controller spreads those replicas over the stable and canary ReplicaSets by the current weight.
 */
export class AppAutoscaler extends Construct {
  public readonly apiObject: k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: AppAutoscalerProps) {
    super(scope, id);
    const { app, autoscaling: a } = props;
    const utilization = (name: string, averageUtilization: number | undefined): k8s.MetricSpecV2[] => (averageUtilization === undefined ? [] : [{
      type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } },
    }]);
    const metrics: k8s.MetricSpecV2[] = [
      ...utilization('cpu', a.cpuUtilization),
      ...utilization('memory', a.memoryUtilization),
      ...a.metrics.map((m): k8s.MetricSpecV2 => {
        const metric = compact({ name: m.name, selector: m.selector && { matchLabels: { ...m.selector } } });
        const target = { type: 'AverageValue', averageValue: k8s.Quantity.fromString(m.averageValue) };
        return m.type === 'Pods' ? { type: 'Pods', pods: { metric, target } } : { type: 'External', external: { metric, target } };
      }),
    ];
    this.apiObject = plainObject(k8s.KubeHorizontalPodAutoscalerV2, k8s.toJson_KubeHorizontalPodAutoscalerV2Props, this, 'Resource', {
      metadata: objectMeta(app, a.name),
      spec: {
        scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: app.name },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: metrics.length > 0 ? metrics : undefined,
      },
    });
  }
}

export interface AppDisruptionBudgetProps {
  readonly app: ResolvedApp;
}

/** A policy/v1 PodDisruptionBudget over every pod of the app: stable, canary, and a migrated Deployment's. */
export class AppDisruptionBudget extends Construct {
  public readonly apiObject: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: AppDisruptionBudgetProps) {
    super(scope, id);
    const { app } = props;
    const pdb = app.podDisruptionBudget!;
    this.apiObject = plainObject(k8s.KubePodDisruptionBudget, k8s.toJson_KubePodDisruptionBudgetProps, this, 'Resource', {
      metadata: objectMeta(app, pdb.name),
      spec: {
        selector: { matchLabels: { ...app.selectorLabels } },
        minAvailable: intOrString(pdb.minAvailable),
        maxUnavailable: intOrString(pdb.maxUnavailable),
      },
    });
  }
}

function intOrString(v: number | string | undefined): k8s.IntOrString | undefined {
  return v === undefined ? undefined : typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v);
}
