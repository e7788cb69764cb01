/**
 * What the canary analyses measure, served on 127.0.0.1 by the test process itself:
 *
 *   GET /metrics            Prometheus exposition of the seed app's request counter,
 *                           `sample_app_requests_count{namespace, rollouts_pod_template_hash, success}`,
 *                           one series pair per registered pod-template hash. The labels are the ones the
 *                           generated ServiceMonitor's relabeling (podTargetLabels) gives the real app's
 *                           series; Prometheus scrapes this with `honor_labels`.
 *   GET /error-rate/<ns>/<service>-<hash>
 *                           `{"error_rate": x}`, the px-metrics endpoint the pixie-style web metric reads.
 *   POST /verdict           records the JSON body the controller sent (a web metric's `jsonBody`) and
 *                           answers `{"verdict": "ok"}`, or 400 when the body is not JSON.
 *   POST|PUT /notify/<sink> records what the controller's notification engine sent (sink, method,
 *                           headers, body as text) and answers 200.
 *
 * Counters grow with wall-clock time at `rps` requests per second, an `errorRatio` share of them
 * failed, so `rate()` over any window returns exactly that ratio.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Traffic {
  /** Requests per second. @default 20 */
  readonly rps?: number;
  /** Share of failed requests, 0..1. */
  readonly errorRatio: number;
}

interface Series {
  rps: number;
  errorRatio: number;
  total: number;
  failed: number;
  since: number;
}

/** One request of the controller's notification engine. */
export interface Notification {
  readonly sink: string;
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export class SignalServer {
  /** Every request to /notify/<sink>, in arrival order. */
  readonly notifications: Notification[] = [];
  /** Paths of every /error-rate request, in order (the web metric's calls). */
  readonly webRequests: string[] = [];
  /** Bodies of every POST /verdict, parsed; the raw text when it was not JSON. */
  readonly verdictBodies: unknown[] = [];
  private readonly series = new Map<string, Series>();
  private readonly errorRates = new Map<string, number>();
  private server?: http.Server;
  private port = 0;

  /** host:port, for Prometheus' scrape config. */
  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Base URL of the web metric endpoint. */
  get url(): string {
    return `http://${this.target}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Serves request counters for pods of `hash` in `namespace` from now on (or changes their traffic). */
  setTraffic(namespace: string, hash: string, traffic: Traffic): void {
    const key = `${namespace}\u0000${hash}`;
    const s = this.series.get(key) ?? { rps: 0, errorRatio: 0, total: 0, failed: 0, since: Date.now() };
    this.advance(s);
    s.rps = traffic.rps ?? 20;
    s.errorRatio = traffic.errorRatio;
    this.series.set(key, s);
  }

  /**
   * The error rate every /error-rate/<namespace>/... path reports from now on (0 until set). Per
   * namespace, not per hash, so it can be set before the canary's hash is known; the hash each call
   * asked for is in `webRequests`.
   */
  setErrorRate(namespace: string, rate: number): void {
    this.errorRates.set(namespace, rate);
  }

  private advance(s: Series): void {
    const now = Date.now();
    const n = (s.rps * (now - s.since)) / 1000;
    s.total += n;
    s.failed += n * s.errorRatio;
    s.since = now;
  }

  private exposition(): string {
    const lines = [
      '# HELP sample_app_requests_count Requests served, by outcome.',
      '# TYPE sample_app_requests_count counter',
    ];
    for (const [key, s] of this.series) {
      const [namespace, hash] = key.split('\u0000');
      this.advance(s);
      const labels = (success: boolean) =>
        `namespace="${namespace}",rollouts_pod_template_hash="${hash}",success="${success}"`;
      lines.push(`sample_app_requests_count{${labels(true)}} ${s.total - s.failed}`);
      lines.push(`sample_app_requests_count{${labels(false)}} ${s.failed}`);
    }
    return lines.join('\n') + '\n';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    if (url === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(this.exposition());
      return;
    }
    if (url === '/verdict' && req.method === 'POST') {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { text += chunk; });
      req.on('end', () => {
        try {
          this.verdictBodies.push(JSON.parse(text));
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ verdict: 'ok' }));
        } catch {
          this.verdictBodies.push(text);
          res.writeHead(400).end();
        }
      });
      return;
    }
    const notify = /^\/notify\/([^/]+)$/.exec(url);
    if (notify && (req.method === 'POST' || req.method === 'PUT')) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { body += chunk; });
      req.on('end', () => {
        this.notifications.push({ sink: notify[1], method: req.method!, headers: req.headers, body });
        res.writeHead(200).end();
      });
      return;
    }
    const m = /^\/error-rate\/([^/]+)\/[^/]+$/.exec(url);
    if (m) {
      this.webRequests.push(url);
      const rate = this.errorRates.get(decodeURIComponent(m[1])) ?? 0;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error_rate: rate }));
      return;
    }
    res.writeHead(404).end();
  }
}
