import { specErrors as errorsOf, specYaml } from '../support/specs';

/** A valid base spec; each case breaks one thing. */
const base = specYaml(`  canary:
    steps:
      - {name: first, setWeight: 10}
      - pause: {duration: 1m}
      - setWeight: 50
`);

describe('invalid specs get every error, with file, spec path, value and rule', () => {
  test('the base spec is valid', () => {
    expect(errorsOf(base)).toEqual([]);
  });

  test('setWeight out of range', () => {
    expect(errorsOf(base.replace('setWeight: 50', 'setWeight: 150'))).toEqual([
      'web.yaml: web: spec.canary.steps[2].setWeight: 150 is not in 0..100',
    ]);
  });

  test('bad pause duration', () => {
    expect(errorsOf(base.replace('duration: 1m', 'duration: 5 minutes'))).toEqual([
      'web.yaml: web: spec.canary.steps[1].pause.duration: "5 minutes" is not a duration such as 30s, 5m or 1h30m',
    ]);
  });

  test('empty image', () => {
    expect(errorsOf(base.replace('image: {repository: example/web, tag: "1.0.0"}', 'image: ""'))).toEqual([
      'web.yaml: web: spec.image: "" must not be empty',
    ]);
  });

  test('latest tag', () => {
    expect(errorsOf(base.replace('tag: "1.0.0"', 'tag: latest'))).toEqual([
      'web.yaml: web: spec.image.tag: "latest" is not allowed: pin a version or a digest',
    ]);
  });

  test('unknown keys, wherever they are', () => {
    expect(errorsOf(base.replace('  canary:\n', '  replica: 3\n  canary:\n').replace('setWeight: 50', 'setWeigth: 50'))).toEqual([
      'web.yaml: web: spec.canary.steps[2].setWeigth: unknown field',
      'web.yaml: web: spec.replica: unknown field',
    ]);
  });

  test('duplicate step names', () => {
    expect(errorsOf(base.replace('- setWeight: 50', '- {name: first, setWeight: 50}'))).toEqual([
      'web.yaml: web: spec.canary.steps: duplicate step name "first"',
    ]);
  });

  test('missing referenced template and unknown startingStep', () => {
    expect(errorsOf(`${base}    analysis:\n      templates: [success-rate]\n      startingStep: second\n`)).toEqual([
      'web.yaml: web: spec.canary.analysis.templates[0]: "success-rate" is not defined in spec.analysisTemplates (defined: none); use { name, cluster: true } for an existing ClusterAnalysisTemplate',
      'web.yaml: web: spec.canary.analysis.startingStep: "second" is not the name of a step (named steps: first)',
    ]);
  });

  test('a step doing two things, args not supplied or not declared, inline credentials', () => {
    const yaml = base.replace('- setWeight: 50', '- {setWeight: 50, pause: {}}') + `    analysis:
      templates: [check]
      args: [{name: extra, value: x}]
  analysisTemplates:
    - name: check
      args: [{name: service}, {name: api-token, value: abc}]
      metrics:
        - name: m
          successCondition: result == 0
          provider: {web: {url: "http://x/{{args.service}}/{{args.nope}}"}}
`;
    expect(errorsOf(yaml)).toEqual([
      'web.yaml: web: spec.canary.steps[2]: sets setWeight and pause; a step does exactly one thing',
      'web.yaml: web: spec.canary.analysis.args: template "check" needs arg "service", which has no default and is not supplied',
      'web.yaml: web: spec.canary.analysis.args[0].name: "extra" is not declared by any referenced template; the controller would drop it',
      'web.yaml: web: spec.analysisTemplates[0].args: arg "api-token" looks like a credential: supply it with valueFrom.secretKeyRef, never inline',
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.web.url: uses {{args.nope}} but template "check" declares no arg "nope"',
    ]);
  });

  test('routing rules: NGINX needs an Ingress, setCanaryScale needs a router', () => {
    expect(errorsOf(base.replace('- setWeight: 50', '- setCanaryScale: {weight: 50}').replace('  canary:\n', '  trafficRouting: {nginx: {}}\n  canary:\n'))).toEqual([
      'web.yaml: web: spec.trafficRouting.nginx: needs spec.ingress: the NGINX router splits traffic of the stable Ingress',
    ]);
    expect(errorsOf(base.replace('- setWeight: 50', '- setCanaryScale: {weight: 50}'))).toEqual([
      'web.yaml: web: spec.canary.steps[2].setCanaryScale: requires trafficRouting: without a router the canary scale is the weight',
    ]);
  });

  test('names must be DNS labels; wrong apiVersion and kind', () => {
    expect(errorsOf(base.replace('name: web', 'name: Web_App').replace('kind: CanaryApp', 'kind: Rollout'))).toEqual([
      'web.yaml: Web_App: kind: "Rollout" is not one of "CanaryApp"',
      'web.yaml: Web_App: metadata.name: "Web_App" is not a DNS-1035 label (lower case alphanumerics and "-", starting with a letter)',
    ]);
  });

  test('YAML syntax errors and duplicate keys are reported with the file', () => {
    expect(errorsOf('apiVersion: [\n')).toEqual(['web.yaml: yaml: unexpected end of the stream within a flow collection (line 2, column 1)']);
    expect(errorsOf(base.replace('kind: CanaryApp', 'kind: CanaryApp\nkind: CanaryApp'))).toEqual(['web.yaml: yaml: duplicated mapping key (line 3, column 1)']);
  });

  test('an alias bomb is refused instead of expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(errorsOf(bomb.join('\n'))).toEqual(['web.yaml: yaml: expands to more than 100000 nodes (aliases?)']);
  });
});
