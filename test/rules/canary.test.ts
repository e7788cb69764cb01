/**
 * A basic canary (no traffic router) splits traffic by pods: the rule warns when the pods the controller
 * will run are far from the step's weight. The pod counts follow the controller's own algorithm, pinned
 * here by the table of argo-rollouts v1.9.1's TestApproximateWeightedNewStableReplicaCounts
 * (utils/replicaset/canary_test.go): replicas, weight, maxSurge (pods), expected canary and stable pods.
 */
import { basicCanaryPods } from '../../src/rules/canary';
import { specDocument, specIssues } from '../support/specs';

const CONTROLLER_CASES: readonly [number, number, number, number, number][] = [
  [0, 0, 0, 0, 0], [0, 50, 0, 0, 0], [0, 100, 0, 0, 0], [0, 0, 1, 0, 0], [0, 50, 1, 0, 0], [0, 100, 1, 0, 0], [1, 0, 0, 0, 1], [1, 1, 0, 0, 1], [1, 49, 0, 0, 1], [1, 50, 0, 1, 0], [1, 99, 0, 1, 0], [1, 100, 0, 1, 0], [1, 0, 1, 0, 1], [1, 1, 1, 1, 1], [1, 49, 1, 1, 1], [1, 50, 1, 1, 1], [1, 99, 1, 1, 1], [1, 100, 1, 1, 0], [2, 0, 0, 0, 2], [2, 1, 0, 1, 1], [2, 50, 0, 1, 1], [2, 99, 0, 1, 1], [2, 100, 0, 2, 0], [2, 0, 1, 0, 2], [2, 1, 1, 1, 2], [2, 50, 1, 1, 1], [2, 99, 1, 2, 1], [2, 100, 1, 2, 0], [3, 10, 0, 1, 2], [3, 25, 0, 1, 2], [3, 33, 0, 1, 2], [3, 34, 0, 1, 2], [3, 49, 0, 1, 2], [3, 50, 0, 2, 1], [3, 10, 1, 1, 3], [3, 25, 1, 1, 3], [3, 33, 1, 1, 2], [3, 34, 1, 1, 2], [3, 49, 1, 2, 2], [3, 50, 1, 2, 2], [10, 0, 1, 0, 10], [10, 1, 0, 1, 9], [10, 14, 0, 1, 9], [10, 15, 0, 2, 8], [10, 16, 0, 2, 8], [10, 99, 0, 9, 1], [10, 100, 1, 10, 0], [10, 0, 1, 0, 10], [10, 1, 1, 1, 10], [10, 18, 1, 2, 9], [10, 19, 1, 2, 9], [10, 20, 1, 2, 8], [10, 23, 1, 2, 8], [10, 24, 1, 3, 8], [10, 25, 1, 3, 8], [10, 99, 1, 10, 1], [10, 100, 1, 10, 0], 
];

test.each(CONTROLLER_CASES)('%i replicas at %i%% with a surge of %i: %i canary, %i stable pods, as the controller computes', (replicas, weight, surge, canary, stable) => {
  expect(basicCanaryPods(replicas, weight, surge)).toEqual({ canary, stable });
});

function warnings(spec: Record<string, unknown>): string[] {
  return specIssues(specDocument(spec), 'warning');
}

describe('replica-weights: a weight the pods cannot honour without a router', () => {
  test('5% of one replica is one of two pods (the default 25% maxSurge is one pod)', () => {
    expect(warnings({ image: 'example/web:1.0.0', canary: { steps: [{ setWeight: 5 }, { pause: {} }] } })).toEqual([
      'warning: spec.canary.steps[0].setWeight: 5% with 1 replica(s) and no traffic router runs 1 canary and 1 stable pod(s), about 50% of the traffic; add replicas or a traffic router',
    ]);
  });
  test('the weights sugar is reported at the weight; weights the pods can honour are not', () => {
    expect(warnings({ image: 'example/web:1.0.0', replicas: 10, canary: { weights: [10, 33, 50] } })).toEqual([]);
    expect(warnings({ image: 'example/web:1.0.0', replicas: 3, canary: { weights: [10, 50] } })).toEqual([
      'warning: spec.canary.weights[0]: 10% with 3 replica(s) and no traffic router runs 1 canary and 3 stable pod(s), about 25% of the traffic; add replicas or a traffic router',
    ]);
  });
  test('with a traffic router the weight is a traffic weight: no warning', () => {
    expect(warnings({
      image: 'example/web:1.0.0', ingress: { host: 'web.example.com' }, trafficRouting: { nginx: {} }, canary: { steps: [{ setWeight: 5 }] },
    })).toEqual([]);
  });
});
