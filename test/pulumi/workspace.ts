/**
 * The real Pulumi engine for tests, driven by the Node Automation API with an inline program (the
 * program runs in this process, so no Node.js language host is needed): the CLI from
 * `scripts/tools.sh pulumi`, the Kubernetes provider from `scripts/tools.sh pulumi-kubernetes`,
 * registered in a PULUMI_HOME of the test's own, a local `file://` state backend and a passphrase
 * secrets provider, all in one temp dir.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from '@pulumi/pulumi/automation';
import { mustSucceed, REPO_ROOT, run, TOOLS_BIN } from '../cluster/cluster';
import { tmp } from '../support/tmp';

export const PULUMI_BIN = path.join(TOOLS_BIN, 'pulumi');
export const PROVIDER_BIN = path.join(TOOLS_BIN, 'pulumi-resource-kubernetes');

/** KEY=value lines of scripts/tools/versions.env. */
export function pinnedVersions(): Record<string, string> {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'scripts/tools/versions.env'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^([A-Z0-9_]+)=(\S*)$/gm)].map((m) => [m[1], m[2]]));
}

export interface TestStack {
  readonly stack: Stack;
  /** The temp dir holding the state backend, PULUMI_HOME and whatever the test puts there. */
  readonly dir: string;
  readonly command: PulumiCommand;
}

/**
 * A new stack `dev` of project `name` running `program`, deploying to the cluster of `kubeconfig`.
 * The provider binary is registered as the version `@pulumi/kubernetes` requests (versions.env
 * PULUMI_KUBERNETES_PLUGIN_VERSION), so the engine never tries to download one.
 */
export async function testStack(name: string, kubeconfig: string, program: PulumiFn): Promise<TestStack> {
  for (const bin of [PULUMI_BIN, PROVIDER_BIN]) {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run \`bash scripts/tools.sh pulumi pulumi-kubernetes\``);
  }
  const dir = tmp('pulumi');
  const home = path.join(dir, 'home');
  const state = path.join(dir, 'state');
  fs.mkdirSync(state);
  const env = {
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: 'canarykit-test',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    // Only the plugins registered below: never one from PATH.
    PULUMI_IGNORE_AMBIENT_PLUGINS: 'true',
    KUBECONFIG: kubeconfig,
  };
  const pluginVersion = pinnedVersions().PULUMI_KUBERNETES_PLUGIN_VERSION;
  mustSucceed(
    await run(PULUMI_BIN, ['plugin', 'install', 'resource', 'kubernetes', pluginVersion, '--file', PROVIDER_BIN], {
      env: { ...process.env, ...env },
    }),
    `pulumi plugin install resource kubernetes ${pluginVersion}`,
  );
  // .tools/bin/pulumi is <root>/bin/pulumi; the version check stays on (it reads the -X stamped version).
  const command = await PulumiCommand.get({ root: path.dirname(TOOLS_BIN) });
  const stack = await LocalWorkspace.createStack(
    { stackName: 'dev', projectName: name, program },
    { pulumiHome: home, pulumiCommand: command, envVars: env, workDir: dir },
  );
  return { stack, dir, command };
}
