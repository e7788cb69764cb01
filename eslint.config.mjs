// ESLint (flat config) for canarykit: `npm run lint`, which `npm test` runs first.
// typescript-eslint's recommended rules, type-aware, on src/ and test/ (the program of
// tsconfig.test.json); ESLint's recommended rules on the plain CommonJS scripts (scripts/,
// bench/, bin/ and the root config files). Import cycles and layering are not checked here but by
// test/architecture.test.ts, which needs no resolver plugin.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UNSAFE_ANY_OFF = {
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default defineConfig(
  // lib/: tsc output; imports/: written by `cdk8s import`, never edited; dist/, charts/, argocd/,
  // schema/: synthesized output; examples/pulumi/: a separate npm project with its own tsconfig.
  globalIgnores([
    'lib/',
    'imports/',
    'dist/',
    'charts/',
    'argocd/',
    'schema/',
    'examples/',
    'coverage/',
    'test-output/',
    'cdk8s.out/',
    '.tools/',
    '.cluster/',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.test.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // As tsc's noUnusedParameters: a leading underscore marks a parameter unused on purpose; and a
      // destructured key next to ...rest is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // pulumi.d.ts re-exports the built lib/src/pulumi: no program to type-check it in.
    files: ['pulumi.d.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Files that handle synthesized manifests: cdk8s types them `any` (ApiObject.toJson(), the
    // generated toJson_<Kind>Props converters), and so does the public KubeObject type built on them;
    // the Pulumi target also looks kinds up in @pulumi/kubernetes by name. Every read of such a
    // manifest would trip the no-unsafe-* rules, so they are off here, and only here. Each explicit
    // `any` still needs its own commented eslint-disable-next-line.
    files: [
      'src/constructs/analysis-template.ts',
      'src/constructs/render.ts',
      'src/constructs/rollout.ts',
      'src/constructs/synth.ts',
      'src/model/controller-owned.ts',
      'src/targets/argocd.ts',
      'src/targets/helm/templates.ts',
      'src/targets/pulumi/canary-app.ts',
    ],
    rules: UNSAFE_ANY_OFF,
  },
  {
    // Tests read synthesized and parsed YAML/JSON (js-yaml, the `yaml` package, helm template, kubectl
    // output) as `any` and assert on its shape with expect(); typing every probe would only restate
    // the assertions. The other type-aware rules (floating promises, unnecessary assertions, ...) stay.
    files: ['test/**/*.ts'],
    rules: { ...UNSAFE_ANY_OFF, '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
  },
);
