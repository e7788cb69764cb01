/**
 * The production controls as objects: the HPA and PDB of examples/production-web.yaml, its pod template
 * (envFrom, volumes, init container, sidecar, lifecycle, scheduling, per-ReplicaSet spreading), the
 * migration of examples/migrate-deployment.yaml (a Rollout without a template), each validated against
 * the Kubernetes and CRD schemas, and what the controller owns for Argo CD and Pulumi.
 */
import { controllerOwnedFields } from '../../src/model/controller-owned';
import { exampleApps, one } from '../support/examples';
import { validateAll } from '../support/schema';

const apps = exampleApps();
const app = (name: string) => apps.find((a) => a.name === name)!;

describe('production controls as objects', () => {
  test('HPA: autoscaling/v2 targeting the Rollout, which carries no replicas; Argo CD and Pulumi leave them to it', () => {
    const web = app('shop-web');
    expect(validateAll([...web.objects])).toEqual([]);
    const hpa = one(web.objects, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop-web' },
      minReplicas: 3,
      maxReplicas: 12,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    const rollout = one(web.objects, 'Rollout');
    expect(rollout.spec).not.toHaveProperty('replicas');
    expect(controllerOwnedFields(web.model)).toContainEqual({
      group: 'argoproj.io', kind: 'Rollout', name: 'shop-web', jsonPointers: ['/spec/replicas'], applyFields: ['spec.replicas'],
    });
  });

  test('PDB: policy/v1 over every pod of the app', () => {
    const pdb = one(app('shop-web').objects, 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } }, minAvailable: 2 });
  });

  test('pod template: what the Deployment had, secure by default in every container', () => {
    const rollout = one(app('shop-web').objects, 'Rollout');
    expect(rollout.spec).toMatchObject({ minReadySeconds: 10, progressDeadlineSeconds: 300, progressDeadlineAbort: true });
    expect(rollout.spec.strategy.canary.antiAffinity).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 80 } });
    const pod = rollout.spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    expect(pod.terminationGracePeriodSeconds).toBe(40);
    expect(pod.priorityClassName).toBe('shop-critical');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }]);
    // Each ReplicaSet spreads on its own: the canary's pods are not skew against the stable ones.
    expect(pod.topologySpreadConstraints).toEqual([
      { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } }, matchLabelKeys: ['rollouts-pod-template-hash'] },
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop-web' } }, matchLabelKeys: ['rollouts-pod-template-hash'] },
    ]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'settings', configMap: { name: 'shop-web-settings' } }]);
    const [main, sidecar] = pod.containers;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['shop-web', 'log-shipper']);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['migrate']);
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'shop-web-config' } }, { prefix: 'DB_', secretRef: { name: 'shop-web-credentials' } }]);
    expect(main.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'settings', mountPath: '/etc/shop-web', readOnly: true }]);
    expect(main.lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(sidecar.resources).toEqual({ requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.resources.limits).toBeDefined();
    }
  });

  test('workloadRef: a Rollout without template or selector, Services on the Deployment\'s pod labels and port, its replicas left to the controller', () => {
    const legacy = app('legacy-api');
    expect(validateAll([...legacy.objects])).toEqual([]);
    expect(legacy.objects.map((o) => o.kind).sort()).toEqual(['PodDisruptionBudget', 'Rollout', 'Service', 'Service', 'Service']);
    const rollout = one(legacy.objects, 'Rollout');
    expect(rollout.spec.template).toBeUndefined();
    expect(rollout.spec.selector).toBeUndefined();
    expect(rollout.spec.replicas).toBe(3);
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'legacy-api', scaleDown: 'progressively' });
    const root = one(legacy.objects, 'Service', 'legacy-api');
    expect(root.spec.selector).toEqual({ app: 'legacy-api' });
    expect(root.spec.ports[0].targetPort).toBe(8080);
    expect(controllerOwnedFields(legacy.model)).toContainEqual({
      group: 'apps', kind: 'Deployment', name: 'legacy-api', jsonPointers: ['/spec/replicas'], applyFields: ['spec.replicas'],
    });
  });
});
