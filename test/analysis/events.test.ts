/**
 * The event Job's command runs for real: `sh -c <script>` with the Job's env (the Secret value supplied
 * as the secretKeyRef would), against a loopback HTTP server standing in for the sink.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { KubeObject } from '../../src/constructs/synth';
import { validateAll } from '../support/schema';
import { specYaml, synthSpec } from '../support/specs';
import { canaryStages, resolveSink, withEventSteps } from '../../src/analysis/events';
import { domainEventBody } from '../../src/analysis/notifications';

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** A sink answering each request with the next status of `statuses` (the last one repeats). */
async function sink(statuses: number[]): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)], { 'content-type': 'application/json' });
      res.end('{"message":"from sink"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v4/organizations/acme/domain_events`, received, close: () => new Promise((r) => server.close(() => r())) };
}

function spec(url: string, retries: number): string {
  return specYaml(`  canary:
    weights: [25, 50]
    pause: 1m
  events:
    sink:
      url: ${JSON.stringify(url)}
      retries: ${retries}
      timeoutSeconds: 5
      headers: [{key: X-Team, value: payments}]
      tokenSecretRef: {name: last9-api, key: write-token}
      last9: {dataSourceName: "prod cluster (system)"}
`, { name: 'shop', namespace: 'prod' });
}

const synth = (yaml: string) => synthSpec(yaml, 'shop.yaml');

function eventContainer(objects: readonly KubeObject[]): any {
  const tpl = objects.find((o) => o.kind === 'AnalysisTemplate' && o.metadata.name === 'shop-domain-event');
  return tpl!.spec.metrics[0].provider.job.spec.template.spec.containers[0];
}

/** Runs the container's command with its env; template args and the Secret are supplied like the controller and kubelet would. */
function runJob(container: any, args: Record<string, string>, secret: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH! };
  for (const e of container.env) {
    if (e.valueFrom?.secretKeyRef) env[e.name] = secret;
    else env[e.name] = e.value.replace(/\{\{args\.([a-z-]+)\}\}/g, (_: string, n: string) => args[n]);
  }
  const [cmd, ...rest] = container.command;
  return new Promise((resolve) => {
    const child = spawn(cmd, rest, { env, cwd: '/tmp' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// A path of this run only: a file left by an earlier run cannot fail the test, nor hide a new one.
const PWNED = path.join(os.tmpdir(), `canarykit-pwned-${process.pid}`);
const HOSTILE = `shop-25 "quoted" $(touch ${PWNED}) \`id\` \\ 'single'\nsecond line $HOME`;

describe('event Job script, run with real sh, jq and curl', () => {
  test('sends the exact JSON body, method and headers; hostile names arrive literally and run nothing', async () => {
    const s = await sink([200]);
    try {
      const container = eventContainer(synth(spec(s.url, 0)));
      expect(container.command[0]).toBe('sh');
      expect(container.env.find((e: any) => e.name === 'EVENT_TOKEN')).toEqual({ name: 'EVENT_TOKEN', valueFrom: { secretKeyRef: { name: 'last9-api', key: 'write-token' } } });
      const before = Date.now();
      const run = await runJob(container, { 'event-name': HOSTILE, 'event-state': 'start' }, 's3cr3t"$(x)');
      expect(run).toMatchObject({ code: 0 });
      expect(s.received).toHaveLength(1);
      const req = s.received[0];
      expect(req.method).toBe('PUT');
      expect(req.url).toBe('/api/v4/organizations/acme/domain_events');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-last9-api-token']).toBe('Bearer s3cr3t"$(x)');
      expect(req.headers['x-team']).toBe('payments');
      const body = JSON.parse(req.body);
      expect(Object.keys(body)).toEqual(['timestamp', 'event_name', 'event_state', 'workspace', 'namespace', 'entity_type', 'data_source_name']);
      expect(body).toEqual({
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        event_name: HOSTILE,
        event_state: 'start',
        workspace: 'shop',
        namespace: 'prod',
        entity_type: 'service',
        data_source_name: 'prod cluster (system)',
      });
      expect(Math.abs(Date.parse(body.timestamp) - before)).toBeLessThan(60_000);
      expect(req.body).toBe(`${JSON.stringify(body)}`);
      expect(fs.existsSync(PWNED)).toBe(false);
    } finally {
      await s.close();
    }
  });

  test('an HTTP 500 from the sink fails the Job after the retries', async () => {
    const s = await sink([500]);
    try {
      const container = eventContainer(synth(spec(s.url, 1)));
      const run = await runJob(container, { 'event-name': 'shop-25', 'event-state': 'stop' }, 'token');
      expect(run.code).not.toBe(0);
      expect(s.received).toHaveLength(2); // first attempt + 1 retry
      expect(run.stdout).toContain('from sink'); // --fail-with-body keeps the sink's answer in the Job log
    } finally {
      await s.close();
    }
  });

  test('the token is never in the manifests; one template serves every stage, start after each weight, stop before the next', () => {
    const objects = synth(spec('https://events.example.com/x', 3));
    // The token reaches the Job only as a Secret reference, never as a value.
    expect(eventContainer(objects).env.filter((e: any) => e.name === 'EVENT_TOKEN')).toEqual([
      { name: 'EVENT_TOKEN', valueFrom: { secretKeyRef: { name: 'last9-api', key: 'write-token' } } },
    ]);
    const templates = objects.filter((o) => o.kind === 'AnalysisTemplate');
    expect(templates.map((o) => o.metadata.name)).toEqual(['shop-domain-event']);
    const job = templates[0].spec.metrics[0].provider.job.spec;
    expect(job).toMatchObject({ backoffLimit: 1, ttlSecondsAfterFinished: 3600 });
    expect(job.activeDeadlineSeconds).toBeGreaterThan(4 * 5);
    const rollout = objects.find((o) => o.kind === 'Rollout')!;
    const steps = rollout.spec.strategy.canary.steps.map((st: any) => st.setWeight !== undefined ? `w${st.setWeight}`
      : st.pause ? 'pause' : `${st.analysis.args[0].value}:${st.analysis.args[1].value}`);
    expect(steps).toEqual(['w25', 'shop-25:start', 'pause', 'shop-25:stop', 'w50', 'shop-50:start', 'pause', 'shop-50:stop']);
    expect(JSON.parse(rollout.metadata.annotations['notifications.argoproj.io/subscriptions'])).toEqual([
      { trigger: ['on-rollout-aborted'], destinations: [{ service: 'ck_prod_shop_domain-events', recipients: ['domain-events'] }] },
    ]);
    expect(validateAll([...objects])).toEqual([]);
  });

  test('required: false runs the event metric as dry-run; the schema accepts it', () => {
    const objects = synth(spec('https://events.example.com/x', 3).replace('  events:\n', '  events:\n    required: false\n'));
    const tpl = objects.find((o) => o.kind === 'AnalysisTemplate')!;
    expect(tpl.spec.dryRun).toEqual([{ metricName: '^send-event$' }]);
    expect(validateAll([...objects])).toEqual([]);
  });
});

test('the abort stop event names the stage the rollout stopped in', () => {
  const steps = withEventSteps([{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }], (w) => `shop-${w}`);
  const sink = resolveSink({ name: 'shop' }, 'prod', { tokenSecretRef: { name: 's', key: 'k' }, last9: { organization: 'acme', dataSourceName: 'd' } });
  // setWeight 50 is step 4 (after w25, start, pause, stop).
  expect(domainEventBody(sink, canaryStages(steps, (w) => `shop-${w}`))).toContain('{{ if ge (int .rollout.status.currentStepIndex) 4 }}"shop-50"{{ else if ge (int .rollout.status.currentStepIndex) 0 }}"shop-25"');
});

test('a blue-green rollout has one stage, the preview: its abort sends the preview stop event', () => {
  const sink = resolveSink({ name: 'shop' }, 'prod', { url: 'https://events.example.com/v1' });
  expect(domainEventBody(sink, [{ index: 0, event: 'shop-preview' }])).toContain('{{ if ge (int .rollout.status.currentStepIndex) 0 }}"shop-preview"{{ else }}""{{ end }}');
});
