/**
 * The production controls' rules (src/rules/production.ts) and their schema, each case breaking one thing
 * of a valid document, with the exact messages.
 */
import { specIssues } from '../support/specs';

type Doc = Record<string, any>;

/** Valid: an HPA, a PDB, spreading, a sidecar and a volume, NGINX routing. */
function base(): Doc {
  return {
    apiVersion: 'canarykit.dev/v1alpha1',
    kind: 'CanaryApp',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      image: 'example/web:1.2.3',
      ingress: { host: 'web.example.com' },
      trafficRouting: { nginx: {} },
      autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 },
      podDisruptionBudget: { minAvailable: 2 },
      scheduling: { topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone' }] },
      sidecars: [{ name: 'proxy', image: 'example/proxy:2.0' }],
      volumes: [{ name: 'config', configMap: 'web-config', mountPath: '/etc/web' }],
      canary: { steps: [{ setWeight: 20 }, { pause: {} }] },
    },
  };
}

/** A migration: the pods come from Deployment `web`. */
function migration(): Doc {
  const doc = base();
  doc.spec = { workloadRef: { name: 'web', scaleDown: 'progressively' }, replicas: 3, canary: { steps: [{ setWeight: 50 }, { pause: {} }] } };
  return doc;
}

function issues(change: (d: Doc) => void, severity: 'error' | 'warning' = 'error', from = base): string[] {
  const doc = from();
  change(doc);
  return specIssues(doc, severity);
}

describe('production controls', () => {
  test('the base documents are valid and warning-free', () => {
    expect(issues(() => {})).toEqual([]);
    expect(issues(() => {}, 'warning')).toEqual([]);
    expect(issues(() => {}, 'error', migration)).toEqual([]);
  });

  test('autoscaling: the HPA owns the replicas; bounds in order; a fixed canary count is a warning', () => {
    expect(issues((d) => { d.spec.replicas = 4; })).toEqual(['spec.replicas: is owned by the HPA (spec.autoscaling); set autoscaling.minReplicas instead']);
    expect(issues((d) => { d.spec.autoscaling.minReplicas = 11; })).toEqual(['spec.autoscaling.minReplicas: 11 is more than maxReplicas 10; the API server rejects the HPA']);
    expect(issues((d) => { d.spec.autoscaling = { maxReplicas: 1 }; })).toEqual(['spec.autoscaling.minReplicas: 2 is more than maxReplicas 1; the API server rejects the HPA']);
    expect(issues((d) => { d.spec.canary.steps.splice(1, 0, { setCanaryScale: { replicas: 2 } }); }, 'warning')).toEqual([
      'warning: spec.canary.steps[1].setCanaryScale.replicas: is a fixed count: it does not follow the HPA (use setCanaryScale.weight, a share of the replicas the HPA sets)',
    ]);
    expect(issues((d) => { d.spec.autoscaling.cpuUtilization = 0; })).toEqual(['spec.autoscaling.cpuUtilization: 0 is not in 1..1000']);
    expect(issues((d) => { d.spec.autoscaling.metrics = [{ type: 'Pods', name: 'rps', averageValue: 'lots' }]; })).toEqual([
      'spec.autoscaling.metrics[0].averageValue: "lots" is not a Kubernetes quantity such as 100m or 128Mi',
    ]);
  });

  test('autoscaling: a basic canary reasons with minReplicas, the fewest pods there can be', () => {
    expect(issues((d) => {
      delete d.spec.trafficRouting; d.spec.autoscaling.minReplicas = 2; d.spec.podDisruptionBudget.minAvailable = 1; d.spec.canary.steps[0].setWeight = 10;
    }, 'warning')).toEqual([
      'warning: spec.canary.steps[0].setWeight: 10% with 2 replica(s) and no traffic router runs 1 canary and 2 stable pod(s), about 33% of the traffic; add replicas or a traffic router',
    ]);
  });

  test('disruption budget: warnings when no pod can ever be evicted; exactly one of the two fields', () => {
    expect(issues((d) => { d.spec.podDisruptionBudget.minAvailable = 3; }, 'warning')).toEqual([
      'warning: spec.podDisruptionBudget.minAvailable: 3 is at least autoscaling.minReplicas (3): no pod can ever be evicted, so node drains block until someone deletes a pod by hand',
    ]);
    expect(issues((d) => { d.spec.podDisruptionBudget.minAvailable = '100%'; }, 'warning')).toHaveLength(1);
    expect(issues((d) => { d.spec.podDisruptionBudget.minAvailable = '60%'; }, 'warning')).toEqual([]);
    expect(issues((d) => { d.spec.podDisruptionBudget = { maxUnavailable: '0%' }; }, 'warning')).toEqual([
      'warning: spec.podDisruptionBudget.maxUnavailable: "0%" allows no pod to be evicted: node drains block until someone deletes a pod by hand',
    ]);
    expect(issues((d) => { delete d.spec.autoscaling; d.spec.replicas = 1; d.spec.podDisruptionBudget = { minAvailable: 1 }; }, 'warning')).toEqual([
      'warning: spec.podDisruptionBudget.minAvailable: 1 is at least replicas (1): no pod can ever be evicted, so node drains block until someone deletes a pod by hand',
    ]);
    expect(issues((d) => { d.spec.podDisruptionBudget = { minAvailable: 1, maxUnavailable: 1 }; })).toEqual([
      'spec.podDisruptionBudget: must set exactly one of minAvailable, maxUnavailable',
    ]);
  });

  test('progress deadline: above minReadySeconds, the controller default included', () => {
    expect(issues((d) => { d.spec.minReadySeconds = 600; })).toEqual([
      'spec.minReadySeconds: progressDeadlineSeconds (600, the controller default) must be more than minReadySeconds (600); the controller rejects the Rollout',
    ]);
    expect(issues((d) => { d.spec.minReadySeconds = 30; d.spec.progressDeadlineSeconds = 30; })).toEqual([
      'spec.progressDeadlineSeconds: progressDeadlineSeconds (30) must be more than minReadySeconds (30); the controller rejects the Rollout',
    ]);
    expect(issues((d) => { d.spec.minReadySeconds = 30; d.spec.progressDeadlineSeconds = 31; d.spec.progressDeadlineAbort = true; })).toEqual([]);
  });

  test('scale-down timing: blue-green scaleDownDelaySeconds 0 with a revision limit (#1639)', () => {
    expect(issues((d) => {
      delete d.spec.canary; delete d.spec.trafficRouting;
      d.spec.blueGreen = { scaleDownDelaySeconds: 0, scaleDownDelayRevisionLimit: 2 };
    }, 'warning')).toEqual([
      'warning: spec.blueGreen.scaleDownDelaySeconds: 0 keeps only the last old ReplicaSet up, not 2 (argoproj/argo-rollouts#1639); give a long delay instead',
    ]);
  });

  test('antiAffinity: exactly one of preferred and required, weight 1..100', () => {
    expect(issues((d) => { d.spec.canary.antiAffinity = { preferred: { weight: 50 } }; })).toEqual([]);
    expect(issues((d) => { d.spec.canary.antiAffinity = { required: {} }; })).toEqual([]);
    expect(issues((d) => { d.spec.canary.antiAffinity = { preferred: { weight: 0 } }; })).toEqual(['spec.canary.antiAffinity.preferred.weight: 0 is not in 1..100']);
    expect(issues((d) => { d.spec.canary.antiAffinity = { preferred: { weight: 5 }, required: {} }; })).toEqual([
      'spec.canary.antiAffinity: must set exactly one of preferred, required',
    ]);
  });

  test('pod parts: names, paths, spread keys and tolerations as the API server accepts them; extra images pinned', () => {
    expect(issues((d) => {
      d.spec.sidecars.push({ name: 'web', image: 'example/x:1' }, { name: 'proxy', image: 'example/x' });
      d.spec.initContainers = [{ name: 'init', image: 'example/init:latest' }];
    })).toEqual([
      'spec.sidecars[1].name: "web" is the app container\'s name',
      'spec.sidecars[2].name: duplicate container name "proxy"',
      'spec.initContainers[0].image: "example/init:latest" must name a tag other than latest or a sha256 digest',
      'spec.sidecars[2].image: "example/x" must name a tag other than latest or a sha256 digest',
    ]);
    expect(issues((d) => {
      d.spec.volumes.push({ name: 'tmp', secret: 's', mountPath: '/tmp/x' }, { name: 'config', secret: 's', mountPath: '/etc/web' });
    })).toEqual([
      'spec.volumes[1].name: "tmp" is the app\'s writable /tmp volume',
      'spec.volumes[1].mountPath: "/tmp/x" is inside the app\'s /tmp volume',
      'spec.volumes[2].name: duplicate volume name "config"',
      'spec.volumes[2].mountPath: duplicate mount path "/etc/web"',
    ]);
    expect(issues((d) => { d.spec.volumes[0].secret = 'x'; })).toEqual(['spec.volumes[0]: must set exactly one of configMap, secret']);
    expect(issues((d) => { d.spec.scheduling.topologySpreadConstraints.push({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2 }); })).toEqual([
      'spec.scheduling.topologySpreadConstraints[1]: duplicate topologyKey and whenUnsatisfiable pair "topology.kubernetes.io/zone ScheduleAnyway"',
    ]);
    expect(issues((d) => {
      d.spec.scheduling.tolerations = [{ operator: 'Exists', value: 'x' }, { value: 'y' }, { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }];
    })).toEqual([
      'spec.scheduling.tolerations[0].value: must be empty with operator Exists',
      'spec.scheduling.tolerations[1].operator: must be Exists when key is empty',
      'spec.scheduling.tolerations[2].tolerationSeconds: applies only to effect NoExecute',
    ]);
    expect(issues((d) => { d.spec.lifecycle = { preStop: { sleep: { seconds: 5 }, exec: { command: ['x'] } } }; })).toEqual([
      'spec.lifecycle.preStop: must set exactly one of exec, httpGet, sleep',
    ]);
    expect(issues((d) => { d.spec.envFrom = [{ configMap: 'a', secret: 'b' }]; })).toEqual(['spec.envFrom[0]: must set exactly one of configMap, secret']);
  });

  test('affinity: the operators and keys of Kubernetes, requirement values as the API server accepts them', () => {
    const affinity = (a: Doc) => (d: Doc) => { d.spec.scheduling.affinity = a; };
    expect(issues(affinity({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] } }],
      },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { tier: 'db' } } }] },
    }))).toEqual([]);
    expect(issues(affinity({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Gt', values: ['1.5'] }] }] },
      },
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: { topologyKey: 'zone', labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [] }] } } }] },
    }))).toEqual([
      'spec.scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: must not be empty with operator In',
      'spec.scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: must be empty with operator Exists',
      'spec.scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values: must be one integer with operator Gt',
      'spec.scheduling.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values: must not be empty with operator NotIn',
    ]);
    // The schema: closed objects, Kubernetes' operators, weights in 1..100, a topologyKey in every term.
    expect(issues(affinity({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } } }] },
      podAfinity: {},
    }))).toEqual([
      'spec.scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: [] must not be empty',
      'spec.scheduling.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: 0 is not in 1..100',
      'spec.scheduling.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].operator: "Gt" is not one of "In", "NotIn", "Exists", "DoesNotExist"',
      'spec.scheduling.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: is required',
      'spec.scheduling.affinity.podAfinity: unknown field',
    ]);
  });

  test('workloadRef: the pod template is the Deployment\'s; exactly one pod source; onsuccess with postPromotionAnalysis (#4681)', () => {
    expect(issues((d) => { d.spec.env = [{ name: 'A', value: 'b' }]; d.spec.scheduling = {}; }, 'error', migration)).toEqual([
      'spec.env: is part of the pod template, which comes from Deployment "web" (workloadRef): set it there',
      'spec.scheduling: is part of the pod template, which comes from Deployment "web" (workloadRef): set it there',
    ]);
    expect(issues((d) => { d.spec.image = 'example/web:1.2.3'; }, 'error', migration)).toEqual([
      'spec: must set exactly one of image and workloadRef (the pod source)',
    ]);
    expect(issues((d) => { delete d.spec.image; }, 'error')).toEqual(['spec: must set exactly one of image and workloadRef (the pod source)']);
    expect(issues((d) => { d.spec.workloadRef.scaleDown = 'later'; }, 'error', migration)).toEqual([
      'spec.workloadRef.scaleDown: "later" is not one of "never", "onsuccess", "progressively"',
    ]);
    expect(issues((d) => {
      delete d.spec.canary; d.spec.workloadRef.scaleDown = 'onsuccess';
      d.spec.blueGreen = { postPromotionAnalysis: { templates: ['t'] } };
      d.spec.analysisTemplates = [{ name: 't', metrics: [{ name: 'm', provider: { web: { url: 'http://x/' } }, successCondition: 'result == true' }] }];
    }, 'error', migration)).toEqual([
      'spec.workloadRef.scaleDown: "onsuccess" never scales the Deployment down with a blue-green postPromotionAnalysis in argo-rollouts v1.9.1 (argoproj/argo-rollouts#4681); use "progressively" or drop the analysis for the migration',
    ]);
  });
});
