/**
 * The one credential policy (src/document/credentials.ts) as every rule of src/rules/credentials.ts
 * applies it: each place a header, URL, command line or env value is written refuses (or, for a name
 * only, warns about) a credential in plain text, and names the Secret reference that does it right.
 */
import { headerCredential, isCredentialName, urlCredential } from '../../src/document/credentials';
import { specDocument, specIssues } from '../support/specs';

type Doc = Record<string, any>;

/** Valid: a Prometheus and a web metric whose template reads a token from a Secret, and an event sink. */
function base(): Doc {
  return specDocument({
    image: 'example/web:1.2.3',
    replicas: 4,
    prometheus: { address: 'http://prometheus.monitoring:9090' },
    canary: { steps: [{ setWeight: 25 }, { analysis: { templates: ['checks'] } }] },
    analysisTemplates: [{
      name: 'checks',
      args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }, { name: 'service', value: 'web' }],
      metrics: [
        { name: 'errors', successCondition: 'len(result) == 0 || result[0] < 0.01', provider: { prometheus: { query: 'sum(rate(errors_total{service="{{args.service}}"}[1m]))', headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }] } } },
        { name: 'smoke', successCondition: 'result == "ok"', provider: { web: { url: 'https://status.example.com/health', jsonPath: '{$.status}', headers: [] } } },
      ],
    }],
    events: { sink: { url: 'https://events.example.com/v1', tokenSecretRef: { name: 'events', key: 'token' } }, onAbort: false },
  });
}

function issues(change: (d: Doc) => void, severity: 'error' | 'warning' = 'error'): string[] {
  const doc = base();
  change(doc);
  return specIssues(doc, severity);
}

const metric = (d: Doc, m: number) => d.spec.analysisTemplates[0].metrics[m];
const web = (d: Doc) => metric(d, 1).provider.web;
const prom = (d: Doc) => metric(d, 0).provider.prometheus;
const M = 'spec.analysisTemplates[0].metrics';
const ARG_WAY = 'use {{args.<name>}} with a template arg from valueFrom.secretKeyRef (e.g. value: "Bearer {{args.token}}")';

describe('the credential policy', () => {
  test('the base document is valid and has no warnings', () => {
    expect(issues(() => undefined)).toEqual([]);
    expect(issues(() => undefined, 'warning')).toEqual([]);
  });

  test('one list of credential names: headers, query parameters, env vars, args', () => {
    for (const name of ['Authorization', 'Proxy-Authorization', 'Cookie', 'PRIVATE-TOKEN', 'Api-Key', 'X-Api-Key', 'X-Vault-Token', 'X-Auth', 'DD-API-KEY',
      'api_key', 'access_token', 'key', 'sig', 'X-Amz-Signature', 'DB_PASSWORD', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASS', 'client-secret']) {
      expect([name, isCredentialName(name)]).toEqual([name, true]);
    }
    for (const name of ['Content-Type', 'Accept', 'X-Scope-OrgID', 'X-Request-Id', 'User-Agent', 'service', 'canary-hash', 'LOG_LEVEL', 'query', 'monkey']) {
      expect([name, isCredentialName(name)]).toEqual([name, false]);
    }
  });

  test('a credential header is right only as Secret-backed placeholders, after a scheme or as cookie pairs', () => {
    const secret = new Set(['token', 'sid']);
    for (const [name, value] of [['Authorization', 'Bearer {{args.token}}'], ['Authorization', 'Bearer {{ args.token }}'], ['X-Api-Key', '{{args.token}}'], ['Cookie', 'sid={{args.sid}}; t={{args.token}}']]) {
      expect(headerCredential(name, value, secret)).toEqual({ ok: true });
    }
    expect(headerCredential('Authorization', 'Bearer s3cret{{args.token}}', secret)).toEqual({ ok: false, why: 'header "Authorization" carries a credential partly inline (text beside {{args...}} is written as is)' });
    expect(headerCredential('Authorization', 'Bearer {{args.plain}}', secret)).toEqual({ ok: false, why: 'header "Authorization" carries a credential from {{args.plain}}, which is not a Secret-backed arg' });
    expect(headerCredential('Authorization', 's3cret {{args.token}}', secret).ok).toBe(false);
    expect(headerCredential('X-Custom', 'Bearer s3cret', secret)).toEqual({ ok: false, why: '"X-Custom" carries a credential (Bearer scheme) inline' });
    expect(headerCredential('Accept', 'application/json', secret)).toEqual({ ok: true });
  });

  test('URLs: no user or password before "@" in http(s), none with a password elsewhere, no credential query parameter', () => {
    expect(urlCredential('https://prometheus:9090')).toEqual({ ok: true });
    expect(urlCredential('git@github.com:example/deploy.git')).toEqual({ ok: true });
    expect(urlCredential('ssh://git@github.com/example/deploy.git')).toEqual({ ok: true });
    expect(urlCredential('https://x.example.com/q?query=up&step=30')).toEqual({ ok: true });
    expect(urlCredential('https://user:pass@x.example.com')).toEqual({ ok: false, why: 'has a user and password before "@", written in plain text' });
    expect(urlCredential('https://ghp_token@github.com/x.git')).toEqual({ ok: false, why: 'has a user name (a token, for most Git and HTTP hosts) before "@", written in plain text' });
    expect(urlCredential('ssh://git:pw@github.com/x.git').ok).toBe(false);
    expect(urlCredential('https://x.example.com/q?api_key=abc')).toEqual({ ok: false, why: 'has the credential query parameter "api_key" in plain text' });
    expect(urlCredential('https://x.example.com/q?a=1&access%5Ftoken=abc').ok).toBe(false);
    expect(urlCredential('https://x.example.com/q?api_key={{args.token}}', new Set(['token']))).toEqual({ ok: true });
    expect(urlCredential('https://{{args.user}}:{{args.token}}@x.example.com', new Set(['user', 'token']))).toEqual({ ok: true });
    expect(urlCredential('https://x.example.com/q?api_key={{args.service}}', new Set(['token'])).ok).toBe(false);
  });

  describe('refused wherever a header is written, each naming the Secret reference', () => {
    test('web and Prometheus metric headers alike: Authorization, Api-Key, PRIVATE-TOKEN, Proxy-Authorization, Cookie, Bearer s3cret{{args.x}}', () => {
      expect(issues((d) => {
        web(d).headers = [
          { key: 'Authorization', value: 'Bearer s3cret' },
          { key: 'Api-Key', value: 's3cret' },
          { key: 'PRIVATE-TOKEN', value: 's3cret' },
          { key: 'Proxy-Authorization', value: 'Basic dXNlcjpwYXNz' },
          { key: 'Cookie', value: 'session=s3cret' },
          { key: 'Authorization', value: 'Bearer s3cret{{args.token}}' },
          { key: 'X-Forwarded', value: 'Bearer s3cret' },
        ];
        prom(d).headers = [{ key: 'Authorization', value: 'Bearer s3cret' }, { key: 'Authorization', value: 'Bearer {{args.service}}' }];
      })).toEqual([
        `${M}[0].provider.prometheus.headers[0].value: header "Authorization" carries a credential inline; ${ARG_WAY}`,
        `${M}[0].provider.prometheus.headers[1].value: header "Authorization" carries a credential from {{args.service}}, which is not a Secret-backed arg; ${ARG_WAY}`,
        `${M}[1].provider.web.headers[0].value: header "Authorization" carries a credential inline; ${ARG_WAY}`,
        `${M}[1].provider.web.headers[1].value: header "Api-Key" carries a credential inline; ${ARG_WAY}`,
        `${M}[1].provider.web.headers[2].value: header "PRIVATE-TOKEN" carries a credential inline; ${ARG_WAY}`,
        `${M}[1].provider.web.headers[3].value: header "Proxy-Authorization" carries a credential inline; ${ARG_WAY}`,
        `${M}[1].provider.web.headers[4].value: header "Cookie" carries a credential inline; ${ARG_WAY}`,
        `${M}[1].provider.web.headers[5].value: header "Authorization" carries a credential partly inline (text beside {{args...}} is written as is); ${ARG_WAY}`,
        `${M}[1].provider.web.headers[6].value: "X-Forwarded" carries a credential (Bearer scheme) inline; ${ARG_WAY}`,
      ]);
    });

    test('the right way, as the upstream docs write it, is accepted', () => {
      expect(issues((d) => {
        web(d).headers = [{ key: 'Authorization', value: 'Bearer {{ args.token }}' }, { key: 'Accept', value: 'application/json' }];
        prom(d).headers = [{ key: 'X-Scope-OrgID', value: '{{args.service}}' }, { key: 'Authorization', value: 'Bearer {{args.token}}' }];
      })).toEqual([]);
    });

    test('built-in metrics carry Prometheus headers too', () => {
      expect(issues((d) => {
        metric(d, 0).provider = { successRate: { metric: 'http_requests_total', success: { label: 'code', op: '!~', value: '5..' }, threshold: 0.99, canary: { service: '{{args.service}}' }, headers: [{ key: 'X-Api-Key', value: 'k' }] } };
        delete metric(d, 0).successCondition;
      })).toEqual([`${M}[0].provider.successRate.headers[0].value: header "X-Api-Key" carries a credential inline; ${ARG_WAY}`]);
    });

    test('event sink headers: any credential, the way is tokenSecretRef; a tokenPrefix with a newline would add a header', () => {
      expect(issues((d) => {
        d.spec.events.sink.headers = [{ key: 'X-Api-Key', value: 'k' }, { key: 'X-Env', value: 'Bearer k' }, { key: 'X-Env', value: 'prod' }];
        d.spec.events.sink.tokenPrefix = 'Bearer x\nX-Admin: 1\n';
      })).toEqual([
        'spec.events.sink.headers[0]: header "X-Api-Key" carries a credential; use sink.tokenSecretRef (tokenHeader and tokenPrefix say how it is sent)',
        'spec.events.sink.headers[1]: "X-Env" carries a credential (Bearer scheme); use sink.tokenSecretRef (tokenHeader and tokenPrefix say how it is sent)',
        'spec.events.sink.tokenPrefix: contains a control character (newline?): it would add another request header; write a scheme such as "Bearer "',
      ]);
    });
  });

  describe('refused in every URL: user:pass@ and ?api_key=', () => {
    test('Prometheus addresses, web URLs, the sink URL', () => {
      const ADDRESS = 'send it in the metric\'s headers from a Secret-backed arg (e.g. Authorization: "Basic {{args.prom-auth}}")';
      expect(issues((d) => {
        d.spec.prometheus.address = 'http://admin:s3cret@prometheus.monitoring:9090';
        prom(d).address = 'https://prometheus.example.com/?api_key=s3cret';
        web(d).url = 'https://user:s3cret@status.example.com/health';
        d.spec.events.sink.url = 'https://events.example.com/v1?token=s3cret';
      })).toEqual([
        `spec.prometheus.address: has a user and password before "@", written in plain text; ${ADDRESS}`,
        `${M}[0].provider.prometheus.address: has the credential query parameter "api_key" in plain text; ${ADDRESS}`,
        `${M}[1].provider.web.url: has a user and password before "@", written in plain text; send it in a header from a Secret-backed arg, or make the whole URL one (url: "{{args.url}}" with valueFrom.secretKeyRef)`,
        'spec.events.sink.url: has the credential query parameter "token" in plain text; use sink.tokenSecretRef (tokenHeader and tokenPrefix say how it is sent)',
      ]);
    });

    test('a query parameter from a Secret-backed arg is the right way', () => {
      expect(issues((d) => { web(d).url = 'https://status.example.com/health?api_key={{args.token}}'; })).toEqual([]);
    });

    test('Job and app command lines: URLs with credentials and credential headers are refused, --password= warned', () => {
      const WAY = 'pass it as an env var from valueFrom.secretKeyRef and write $(NAME) in the argument';
      const jobDoc = (d: Doc) => {
        metric(d, 1).provider = { job: { image: 'curlimages/curl:8.11.1', command: ['curl', '-H', 'Authorization: Bearer s3cret', 'https://u:p@x.example.com/'], args: ['-H', 'Authorization: Bearer $(TOKEN)', '--password=s3cret', '--token-file=/var/run/token'] } };
        delete metric(d, 1).successCondition;
        d.spec.args = ['--db=postgres://app:s3cret@db:5432/app'];
      };
      expect(issues(jobDoc)).toEqual([
        `${M}[1].provider.job.command[2]: sets header "Authorization" with a credential inline; ${WAY}`,
        `${M}[1].provider.job.command[3]: a URL has a user and password before "@", written in plain text; ${WAY}`,
        `spec.args[0]: a URL has a user and password before "@", written in plain text; ${WAY}`,
      ]);
      expect(issues(jobDoc, 'warning')).toEqual([`warning: ${M}[1].provider.job.args[2]: flag --password looks like a credential written inline; ${WAY}`]);
    });
  });

  test('env: *_PASSWORD / *_TOKEN values are a warning, a URL with a password an error, in the app and in Jobs', () => {
    const envDoc = (d: Doc) => {
      d.spec.env = [
        { name: 'DB_PASSWORD', value: 's3cret' },
        { name: 'GITHUB_TOKEN', value: 'ghp_s3cret' },
        { name: 'DATABASE_URL', value: 'postgres://app:s3cret@db:5432/app' },
        { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
        { name: 'LOG_LEVEL', value: 'debug' },
      ];
      metric(d, 1).provider = { job: { image: 'curlimages/curl:8.11.1', command: ['true'], env: [{ name: 'SLACK_TOKEN', value: 'xoxb' }] } };
      delete metric(d, 1).successCondition;
    };
    expect(issues(envDoc)).toEqual(['spec.env[2].value: a URL has a user and password before "@", written in plain text; keep the URL in a Secret and use valueFrom.secretKeyRef']);
    expect(issues(envDoc, 'warning')).toEqual([
      'warning: spec.env[0].value: "DB_PASSWORD" looks like a credential written in plain text; use valueFrom.secretKeyRef',
      'warning: spec.env[1].value: "GITHUB_TOKEN" looks like a credential written in plain text; use valueFrom.secretKeyRef',
      `warning: ${M}[1].provider.job.env[0].value: "SLACK_TOKEN" looks like a credential written in plain text; use valueFrom.secretKeyRef`,
    ]);
  });

  test('args named like credentials, by the same list, in the template or supplied by the Rollout; URLs with credentials in arg values', () => {
    expect(issues((d) => {
      d.spec.analysisTemplates[0].args.push({ name: 'api_key', value: 'k' }, { name: 'password' }, { name: 'url', value: 'https://u:s3cret@x.example.com/' });
      d.spec.canary.steps[1].analysis.args = [{ name: 'password', value: 's3cret' }, { name: 'service', value: 'https://x.example.com/?token=s3cret' }];
    })).toEqual([
      'spec.analysisTemplates[0].args: arg "api_key" looks like a credential: supply it with valueFrom.secretKeyRef, never inline',
      'spec.canary.steps[1].analysis.args[0].value: arg "password" looks like a credential: declare it in the template with valueFrom.secretKeyRef instead of supplying a value',
      'spec.analysisTemplates[0].args[4].value: has a user and password before "@", written in plain text; declare the template arg with valueFrom.secretKeyRef and keep the URL in that Secret',
      'spec.canary.steps[1].analysis.args[1].value: has the credential query parameter "token" in plain text; declare the template arg with valueFrom.secretKeyRef and keep the URL in that Secret',
    ]);
  });

  test('a web jsonBody and event sink fields carry no credential in plain text', () => {
    expect(issues((d) => {
      Object.assign(web(d), { method: 'POST', jsonBody: { query: 'up', auth: { api_key: 's3cret', token: '{{args.token}}' } } });
      d.spec.events.sink.fields = { env: 'prod', api_key: 's3cret' };
    })).toEqual([
      `${M}[1].provider.web.jsonBody.auth.api_key: "api_key" carries a credential inline; use a template arg from valueFrom.secretKeyRef as the value (e.g. "{{args.token}}")`,
      'spec.events.sink.fields.api_key: "api_key" looks like a credential written in plain text; use sink.tokenSecretRef (tokenHeader and tokenPrefix say how it is sent)',
    ]);
  });
});
