/** `canarykit argocd`: Argo CD Applications (one per app, plus the root app-of-apps) for the specs. */
import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import { urlCredential } from '../document/credentials';
import { synthAll, SynthesizedApp, SynthesizedLibrary } from '../constructs/synth';
import { appSourcePath, ARGOCD_OPTIONS, argocdFiles, ArgoCdSource } from '../targets/argocd';
import { CHECK_FLAG, loadAllOrFail, UserError, writeOrFail } from './common';

interface ArgoCdFlags {
  repoUrl: string; revision: string; project: string; destServer: string; source: ArgoCdSource;
  out: string; pathPrefix: string; distDir: string; chartsDir: string; argocdNamespace: string; rootName: string;
  automated: boolean; prune: boolean; selfHeal: boolean; finalizers: boolean; force: boolean; check?: boolean;
}

/** A flag for an Argo CD option: its help text and default come from the option's declaration. */
function flag(flags: string, option: keyof typeof ARGOCD_OPTIONS): Option {
  const { description, default: value } = ARGOCD_OPTIONS[option];
  return new Option(flags, description).default(value);
}

export function argocdCommand(cli: Command): void {
  cli.command('argocd')
    .description('write an Argo CD Application per app (<out>/apps/<app>.yaml) and per AnalysisLibrary (in an earlier sync wave), and the root app-of-apps (<out>/root.yaml)')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .requiredOption('--repo-url <url>', 'Git repository Argo CD syncs from')
    .addOption(flag('--revision <rev>', 'targetRevision'))
    .addOption(flag('--project <name>', 'project'))
    .addOption(flag('--dest-server <url>', 'destinationServer'))
    .addOption(flag('--source <kind>', 'source').choices(['dist', 'chart']))
    .addOption(flag('-o, --out <dir>', 'outPath'))
    .option('--path-prefix <path>', 'path of the current directory inside the Git repository', '')
    .addOption(flag('--dist-dir <dir>', 'distPath'))
    .addOption(flag('--charts-dir <dir>', 'chartsPath'))
    .addOption(flag('--argocd-namespace <ns>', 'argocdNamespace'))
    .addOption(flag('--root-name <name>', 'rootName'))
    .addOption(flag('--automated', 'automated'))
    .addOption(flag('--prune', 'prune'))
    .addOption(flag('--self-heal', 'selfHeal'))
    // The flag turns the option off, so its help says what that does.
    .addOption(new Option('--no-finalizers', 'deleting an Application leaves what it deployed in place').default(ARGOCD_OPTIONS.finalizers.default))
    .option('--force', 'overwrite files canarykit did not write', false)
    .option(...CHECK_FLAG)
    .action((inputs: string[], flags: ArgoCdFlags) => {
      // The Applications are meant to be committed: a token in the URL would be too.
      const repoCredential = urlCredential(flags.repoUrl);
      if (!repoCredential.ok) {
        throw new UserError(`--repo-url ${repoCredential.why}; give Argo CD the credential in a repository Secret (argocd repo add, or a Secret labelled argocd.argoproj.io/secret-type: repository) and pass the URL without it`);
      }
      const loaded = loadAllOrFail(inputs);
      const all = [...synthAll(loaded.apps.map((a) => a.model), loaded.libraries.map((l) => l.model))];
      const libraries = all.filter((u): u is SynthesizedLibrary => 'library' in u);
      const apps = all.filter((u): u is SynthesizedApp => !('library' in u));
      const repoPath = (option: string, dir: string) => {
        const rel = path.posix.join(flags.pathPrefix.split(path.sep).join('/'), dir.split(path.sep).join('/'));
        if (path.isAbsolute(dir) || rel === '..' || rel.startsWith('../')) {
          throw new UserError(`${option} ${dir}: must be a relative path inside the Git repository (Argo CD reads paths from the repository root)`);
        }
        return rel;
      };
      const options = {
        repoURL: flags.repoUrl, targetRevision: flags.revision, project: flags.project, destinationServer: flags.destServer,
        source: flags.source, distPath: repoPath('--dist-dir', flags.distDir), chartsPath: repoPath('--charts-dir', flags.chartsDir),
        outPath: repoPath('--out', flags.out), argocdNamespace: flags.argocdNamespace, rootName: flags.rootName,
        automated: flags.automated, prune: flags.prune, selfHeal: flags.selfHeal, finalizers: flags.finalizers,
      };
      // Applications may be written before the manifests, but one pointing at nothing is worth a word.
      const localDir = flags.source === 'chart' ? flags.chartsDir : flags.distDir;
      for (const app of all) {
        const { required } = appSourcePath(app.name, options);
        const local = flags.source === 'chart' ? path.join(localDir, app.name, required) : path.join(localDir, required);
        if (!fs.existsSync(local)) process.stderr.write(`warning: ${local} does not exist yet; Application ${app.name} syncs it from Git\n`);
      }
      writeOrFail(flags.out, argocdFiles(apps, options, libraries), flags);
    });
}
