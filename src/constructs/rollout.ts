import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedContainer } from '../model/model';
import { Rollout, RolloutProps, toJson_RolloutProps } from '../../imports/argoproj.io';
import { rolloutStrategy } from './strategies';
import { compact, objectMeta } from './metadata';
import { podSpec } from './pod';
import { plainObject } from './render';

export interface CanaryRolloutProps {
  /** The resolved app. */
  readonly app: ResolvedApp;
}

/** The Rollout: the app's pods and the strategy that moves traffic between its Services. */
export class CanaryRollout extends Construct {
  /** The Rollout object; also the construct's default child, so `ApiObject.of(rollout)` finds it. */
  public readonly apiObject: Rollout;

  constructor(scope: Construct, id: string, props: CanaryRolloutProps) {
    super(scope, id);
    const { app } = props;
    const rolloutProps: RolloutProps = {
      metadata: objectMeta(app, app.name, { annotations: app.rolloutAnnotations }),
      spec: {
        // An HPA owns the replicas (through the scale subresource): a value here would fight it on every apply.
        replicas: app.autoscaling ? undefined : app.replicas,
        revisionHistoryLimit: app.revisionHistoryLimit,
        minReadySeconds: app.minReadySeconds,
        progressDeadlineSeconds: app.progressDeadlineSeconds,
        progressDeadlineAbort: app.progressDeadlineAbort,
        // A workloadRef Rollout takes the Deployment's selector with its template.
        selector: app.workloadRef ? undefined : { matchLabels: { ...app.selectorLabels } },
        workloadRef: app.workloadRef && { apiVersion: 'apps/v1', kind: 'Deployment', name: app.workloadRef.name, scaleDown: app.workloadRef.scaleDown },
        strategy: rolloutStrategy(app),
      },
    };
    const template = app.container && podTemplate(app, app.container);
    this.apiObject = plainObject(Rollout, toJson_RolloutProps, this, 'Resource', rolloutProps, (manifest) => {
      if (template) manifest.spec.template = template;
    });
  }
}

function podTemplate(app: ResolvedApp, c: ResolvedContainer): Record<string, unknown> {
  const ports = [{ name: 'http', containerPort: app.ports.http }];
  if (app.ports.metrics !== undefined && app.ports.metrics !== app.ports.http) ports.push({ name: 'metrics', containerPort: app.ports.metrics });
  return {
    metadata: compact({
      labels: { ...app.pod.labels, ...app.selectorLabels },
      annotations: Object.keys(app.pod.annotations).length > 0 ? { ...app.pod.annotations } : undefined,
    }),
    spec: podSpec({
      serviceAccountName: app.pod.serviceAccountName,
      automountServiceAccountToken: app.pod.automountServiceAccountToken,
      security: c.security,
      containers: [{ name: app.name, ports, ...c, volumes: app.podExtras?.volumes }],
      extras: app.podExtras && { ...app.podExtras, selectorLabels: app.selectorLabels },
    }),
  };
}
