// The policies as Terraform renders them: an example applied against the offline provider (no AWS,
// no registry; docs/offline-terraform.md) in a scratch copy, read back with `terraform show -json`.
// Every ARN is then known, in its resource type's real format (test/terraform/provider/src/plan.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installOfflineProvider, scratchCopy, terraform, terraformVersion } from '../../../scripts/tf-offline.mjs';

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface StateResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

/** One applied stack: its resources by address, and the policies the evaluator reads. */
export interface RenderedStack {
  example: string;
  resources: StateResource[];
  signerRoleArn: string;
  functionArn: string;
  tableArn: string;
  keyArns: string[];
  /** The SCP content, exactly as sent to Organizations, or undefined without one. */
  scp: string | undefined;
  scpArn: string | undefined;
  keyPolicies: Map<string, PolicyDocument>;
  signerRolePolicies: Array<{ name: string; policy: PolicyDocument }>;
  signerTrustPolicy: PolicyDocument;
  /** The function's resource-based policy, as Lambda builds it from the aws_lambda_permission resources. */
  functionPolicy: PolicyDocument;
  /** The Function URL's authorization type (NONE, AWS_IAM), or undefined without a Function URL. */
  functionUrlAuthType: string | undefined;
  /** With exposure = "function_url_iam": the baker host's invoker role, its trust policy and its policies. */
  urlInvoker: { roleArn: string; trustPolicy: PolicyDocument; policies: Array<{ name: string; policy: PolicyDocument }> } | undefined;
}

function flatten(module: { resources?: StateResource[]; child_modules?: unknown[] }, out: StateResource[] = []): StateResource[] {
  for (const r of module.resources ?? []) out.push(r);
  for (const c of module.child_modules ?? []) flatten(c as typeof module, out);
  return out;
}

function one(resources: StateResource[], type: string, name?: string): StateResource {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.address.endsWith(`${type}.${name}`) || r.address.includes(`${type}.${name}[`)));
  if (found.length !== 1) throw new Error(`expected one ${type}${name ? `.${name}` : ''}, found ${found.map((r) => r.address).join(', ') || 'none'}`);
  return found[0]!;
}

function str(r: StateResource, attr: string): string {
  const v = r.values[attr];
  if (typeof v !== 'string' || v === '') throw new Error(`${r.address}.${attr} is not a known string`);
  return v;
}

export function parsePolicy(text: string): PolicyDocument {
  const doc = JSON.parse(text) as PolicyDocument;
  if (!Array.isArray(doc.Statement)) doc.Statement = [doc.Statement as unknown as Statement];
  return doc;
}

/** The statement Lambda adds to the function's policy for one aws_lambda_permission (AddPermission). */
export function permissionStatement(p: Record<string, unknown>, functionArn: string): Statement {
  const principal = String(p.principal);
  const condition: NonNullable<Statement['Condition']> = {};
  const add = (op: string, key: string, value: string) => ((condition[op] ??= {})[key] = value);
  if (typeof p.source_arn === 'string' && p.source_arn) add('ArnLike', 'AWS:SourceArn', p.source_arn);
  if (typeof p.source_account === 'string' && p.source_account) add('StringEquals', 'AWS:SourceAccount', p.source_account);
  if (typeof p.function_url_auth_type === 'string' && p.function_url_auth_type) add('StringEquals', 'lambda:FunctionUrlAuthType', p.function_url_auth_type);
  if (p.invoked_via_function_url === true) add('Bool', 'lambda:InvokedViaFunctionUrl', 'true');
  const qualifier = typeof p.qualifier === 'string' && p.qualifier ? `:${p.qualifier}` : '';
  return {
    Sid: String(p.statement_id),
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
    Action: String(p.action),
    Resource: `${functionArn}${qualifier}`,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

const POLICY_ATTRIBUTES = ['policy', 'assume_role_policy', 'content'];

/** One applied root: its managed resources and every JSON policy they hold, by "address.attribute". */
export interface AppliedRoot {
  example: string;
  resources: StateResource[];
  policies: Map<string, PolicyDocument>;
  /** The signer's policies, where the root deploys a signer (not the account-vending stack). */
  signer: RenderedStack | undefined;
}

export function applied(example: string, state: { values: { root_module: Parameters<typeof flatten>[0] } }): AppliedRoot {
  const resources = flatten(state.values.root_module).filter((r) => !r.address.startsWith('data.') && !r.address.includes('.data.'));
  const policies = new Map<string, PolicyDocument>();
  for (const r of resources) {
    for (const attr of POLICY_ATTRIBUTES) {
      const v = r.values[attr];
      if (typeof v === 'string' && v.trim().startsWith('{')) policies.set(`${r.address}.${attr}`, parsePolicy(v));
    }
  }
  const hasSigner = resources.some((r) => r.type === 'aws_lambda_function');
  return { example, resources, policies, signer: hasSigner ? extract(example, resources) : undefined };
}

export function extract(example: string, resources: StateResource[]): RenderedStack {
  const role = one(resources, 'aws_iam_role', 'lambda');
  const fn = one(resources, 'aws_lambda_function', 'this');
  const table = one(resources, 'aws_dynamodb_table', 'this');
  const keys = resources.filter((r) => r.type === 'aws_kms_key');
  const scpResource = resources.find((r) => r.type === 'aws_organizations_policy');
  const functionArn = str(fn, 'arn');
  const roleName = str(role, 'name');
  const keyPolicies = new Map(keys.map((k) => [str(k, 'arn'), parsePolicy(str(k, 'policy'))] as const));
  const signerRolePolicies = resources
    .filter((r) => r.type === 'aws_iam_role_policy' && r.values.role === roleName)
    .map((r) => ({ name: str(r, 'name'), policy: parsePolicy(str(r, 'policy')) }));
  const url = resources.find((r) => r.type === 'aws_lambda_function_url' && r.address.startsWith('module.signer.module.exposure.'));
  const invoker = resources.find((r) => r.type === 'aws_iam_role' && r.address.endsWith('aws_iam_role.url_invoker[0]'));
  const urlInvoker = invoker
    ? {
        roleArn: str(invoker, 'arn'),
        trustPolicy: parsePolicy(str(invoker, 'assume_role_policy')),
        policies: resources.filter((r) => r.type === 'aws_iam_role_policy' && r.values.role === str(invoker, 'name')).map((r) => ({ name: str(r, 'name'), policy: parsePolicy(str(r, 'policy')) })),
      }
    : undefined;
  const functionPolicy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: resources.filter((r) => r.type === 'aws_lambda_permission').map((r) => permissionStatement(r.values, functionArn)),
  };
  return {
    example,
    resources,
    signerRoleArn: str(role, 'arn'),
    functionArn,
    tableArn: str(table, 'arn'),
    keyArns: [...keyPolicies.keys()].sort(),
    scp: scpResource ? str(scpResource, 'content') : undefined,
    scpArn: scpResource ? str(scpResource, 'arn') : undefined,
    keyPolicies,
    signerRolePolicies,
    signerTrustPolicy: parsePolicy(str(role, 'assume_role_policy')),
    functionPolicy,
    functionUrlAuthType: url ? str(url, 'authorization_type') : undefined,
    urlInvoker,
  };
}

export interface ApplyOptions {
  /** Extra tfvars (HCL) appended to the example's sample.tfvars. */
  tfvars?: string;
  /** The example's folder, when the key names another application of it (the same example, other tfvars). */
  dir?: string;
}

/**
 * Applies each example against the offline provider (the newest committed schema) and returns what
 * it rendered; null when there is no terraform binary. Nothing but loopback and local files.
 */
export async function applyExamples(examples: Record<string, ApplyOptions>): Promise<Map<string, AppliedRoot> | null> {
  if (terraformVersion() === null) return null;
  const installs = await installOfflineProvider();
  const install = installs[installs.length - 1]!;
  const copy = scratchCopy();
  try {
    const out = new Map<string, AppliedRoot>();
    for (const [example, options] of Object.entries(examples)) {
      const cwd = join(copy.dir, 'examples', options.dir ?? example);
      writeFileSync(join(cwd, 'evaluator.tfvars'), options.tfvars ?? '');
      const run = async (args: string[]) => {
        const r = await terraform(args, { cwd, cliConfig: install.cliConfig, timeoutMs: 300_000 });
        if (r.code !== 0) throw new Error(`terraform ${args[0]} (${example}) failed:\n${r.output.slice(-4000)}`);
        return r.output;
      };
      await run(['init', '-backend=false', '-input=false']);
      await run(['apply', '-auto-approve', '-input=false', '-lock=false', '-var-file=sample.tfvars', '-var-file=evaluator.tfvars']);
      const shown = await run(['show', '-json']);
      out.set(example, applied(example, JSON.parse(shown)));
    }
    return out;
  } finally {
    copy.remove();
  }
}
