// What Terraform renders for modules/monitoring: a root calling the module with the given inputs is
// planned by the real terraform binary against the offline provider (scripts/tf-offline.mjs, newest
// committed schema), and `terraform show -json` of the plan is read back. The tests then judge the
// event patterns and targets as they would reach EventBridge, not the HCL that produces them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installOfflineProvider, repoRoot, schemaVersions, scratchCopy, terraform } from '../../../scripts/tf-offline.mjs';

export interface PlannedResource {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  values: Record<string, unknown>;
}

export type Rendered = { ok: true; resources: PlannedResource[] } | { ok: false; output: string };

let install: Promise<string> | undefined;

/** The CLI configuration of the newest schema, installed once per process in a cache of its own. */
function cliConfig(): Promise<string> {
  install ??= (async () => {
    const newest = schemaVersions().at(-1)!;
    const [done] = await installOfflineProvider([newest], join(repoRoot, 'node_modules/.cache/tf-offline-render'));
    return done!.cliConfig;
  })();
  return install;
}

/**
 * Plans modules/monitoring with `inputs` (module arguments) in `region` and returns the planned resources of the module, or Terraform's
 * output when the plan fails.
 */
export async function renderMonitoring(inputs: Record<string, unknown>, options: { region?: string } = {}): Promise<Rendered> {
  const config = await cliConfig();
  const copy = scratchCopy();
  try {
    const dir = join(copy.dir, '.render');
    mkdirSync(dir, { recursive: true });
    const root = {
      terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
      provider: { aws: [{ region: options.region ?? 'eu-west-1' }] },
      module: { monitoring: { source: '../modules/monitoring', ...inputs } },
    };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(root, null, 2));
    const init = await terraform(['init', '-backend=false', '-input=false'], { cwd: dir, cliConfig: config });
    if (init.code !== 0) return { ok: false, output: init.output };
    const plan = await terraform(['plan', '-input=false', '-lock=false', '-refresh=false', '-out=plan.bin'], { cwd: dir, cliConfig: config });
    if (plan.code !== 0) return { ok: false, output: plan.output };
    const show = await terraform(['show', '-json', 'plan.bin'], { cwd: dir, cliConfig: config });
    if (show.code !== 0) return { ok: false, output: show.output };
    // -no-color is appended by terraform(); the JSON is the one line that parses.
    const line = show.output.split('\n').find((l) => l.startsWith('{'));
    const json = JSON.parse(line!) as { planned_values: { root_module: { child_modules?: { resources?: PlannedResource[] }[] } } };
    const resources = (json.planned_values.root_module.child_modules ?? []).flatMap((m) => m.resources ?? []);
    return { ok: true, resources };
  } finally {
    copy.remove();
  }
}
