// 4. Policy and safety tests on the parsed HCL: the IAM and key policies grant what the signer needs
// (docs/interfaces.md) and nothing more; no wildcard action anywhere; no wildcard resource in
// identity policies except the listed one; kms:Sign denied to every other principal; no lockout
// bypass; the table keeps PITR and deletion protection; the Function URL has both permissions; the
// private REST API is fenced by aws:SourceVpce.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allModules, moduleAt, rel, repoRoot, tfFilesText, unwrap, type TfModule } from './lib/policy.js';

const interfaces = readFileSync(join(repoRoot, 'docs/interfaces.md'), 'utf8');
const callsSection = interfaces.split('## AWS calls made by the handler')[1]!.split('\n## ')[0]!;
const documentedActions = [...new Set([...callsSection.matchAll(/`((?:kms|dynamodb|logs):[A-Za-z]+)`/g)].map((m) => m[1]!))].sort();

interface Statement {
  sid?: string;
  effect?: string;
  actions?: unknown;
  not_actions?: unknown;
  resources?: unknown;
  principals?: Array<{ type: string; identifiers: unknown }>;
  condition?: Array<{ test: string; variable: string; values: unknown }>;
  dynamic?: boolean;
}

/** Statements of a policy document, static and dynamic (content of dynamic "statement"). */
function statements(doc: Record<string, any>): Statement[] {
  const out: Statement[] = [...(doc.statement ?? [])];
  for (const dyn of doc.dynamic?.statement ?? []) for (const content of dyn.content ?? []) out.push({ ...content, dynamic: true });
  return out;
}

/**
 * A list attribute, resolving `${local.x}` to the local's literal list, and `${concat(local.x, cond ?
 * [] : local.y)}` to every action it can hold (all the literal lists it names).
 */
function list(mod: TfModule, value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    const m = value.match(/^\$\{local\.(\w+)\}$/);
    if (m && Array.isArray(mod.locals[m[1]!])) return mod.locals[m[1]!].map(String);
    const names = /^\$\{concat\(/.test(value) ? [...value.matchAll(/local\.(\w+)/g)].map((r) => r[1]!) : [];
    if (names.length > 0 && names.every((n) => Array.isArray(mod.locals[n]))) return names.flatMap((n) => mod.locals[n].map(String));
    return [value];
  }
  return [];
}

async function allPolicyDocuments(): Promise<Array<{ mod: TfModule; name: string; doc: Record<string, any> }>> {
  const out = [];
  for (const mod of (await allModules()).values()) {
    for (const [name, doc] of Object.entries(mod.data.aws_iam_policy_document ?? {})) out.push({ mod, name, doc });
  }
  return out;
}

// Identity policies (attached to a principal): no "*" resource. The VPC statement is the one
// justified exception (ec2 network interface actions; see iam.tf).
const IDENTITY_POLICIES = new Set(['.:lambda', '.:vpc']);
const WILDCARD_RESOURCE_EXCEPTIONS = new Set(['.:vpc:VpcNetworkInterfaces']);

describe('every policy document', () => {
  it('has no wildcard action and no NotAction', async () => {
    const problems: string[] = [];
    for (const { mod, name, doc } of await allPolicyDocuments()) {
      for (const st of statements(doc)) {
        if (st.not_actions) problems.push(`${rel(mod.dir)} ${name}: NotAction`);
        for (const action of list(mod, st.actions)) {
          if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) problems.push(`${rel(mod.dir)} ${name} ${st.sid}: action "${action}"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a sid and an explicit effect on every statement', async () => {
    const problems: string[] = [];
    for (const { mod, name, doc } of await allPolicyDocuments()) {
      for (const st of statements(doc)) if (!st.sid || !['Allow', 'Deny'].includes(st.effect ?? '')) problems.push(`${rel(mod.dir)} ${name}`);
    }
    expect(problems).toEqual([]);
  });

  it('identity policies have no "*" resource except the justified, listed ones', async () => {
    const problems: string[] = [];
    for (const { mod, name, doc } of await allPolicyDocuments()) {
      if (!IDENTITY_POLICIES.has(`${rel(mod.dir)}:${name}`)) continue;
      for (const st of statements(doc)) {
        const resources = list(mod, st.resources);
        expect(resources.length, `${name} ${st.sid}: no resources`).toBeGreaterThan(0);
        if (resources.includes('*') && !WILDCARD_RESOURCE_EXCEPTIONS.has(`${rel(mod.dir)}:${name}:${st.sid}`)) problems.push(`${name} ${st.sid}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no "*" in any action of any .tf file, in any form (jsonencode policies included)', async () => {
    const offending = tfFilesText().flatMap(({ file, text }) =>
      [...text.matchAll(/"(?:[a-z0-9-]+:[A-Za-z]*\*[A-Za-z*]*|\*:\*)"/g)].map((m) => `${rel(file)}: ${m[0]}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('Lambda role (iam.tf)', async () => {
  const root = await moduleAt('.');
  const lambdaDoc = root.data.aws_iam_policy_document!.lambda!;
  const sts = statements(lambdaDoc);

  it('grants exactly the calls docs/interfaces.md lists', () => {
    expect(documentedActions).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'kms:GetPublicKey', 'kms:Sign', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    const granted = [...new Set(sts.filter((st) => st.effect === 'Allow').flatMap((st) => list(root, st.actions)))].sort();
    expect(granted).toEqual(documentedActions);
    // DescribeTable (the handler's check of a multi-Region table) only with multi_region.
    const describe = lambdaDoc.dynamic.statement.find((d: { content: Statement[] }) => d.content[0]!.sid === 'WatermarkTableConsistency');
    expect(describe.for_each).toBe('${local.multi_region ? [local.table_arns] : []}');
    expect(describe.content[0]).toMatchObject({ actions: ['dynamodb:DescribeTable'], resources: '${statement.value}' });
    expect(sts.filter((st) => st.effect !== 'Allow').map((st) => st.sid)).toEqual(['DenyOutsideTheSignerFunction']);
  });

  // Issue 9: the role, passed to another function (or its credentials used anywhere else), must
  // not sign or write watermarks. lambda:SourceFunctionArn is set by Lambda on the credentials it
  // gives the function's code; ArnNotLike is true when it is missing.
  it('denies kms:Sign and watermark writes to the role outside the signer function (lambda:SourceFunctionArn)', () => {
    const deny = sts.find((st) => st.sid === 'DenyOutsideTheSignerFunction')!;
    expect(deny).toMatchObject({ effect: 'Deny', actions: ['dynamodb:PutItem', 'kms:Sign'], resources: '${concat(local.role_key_arns, local.table_arns)}' });
    expect(deny.condition).toEqual([{ test: 'ArnNotLike', variable: 'lambda:SourceFunctionArn', values: '${flatten([for arn in local.function_arns : [arn, "${arn}:*"]])}' }]);
    // The ARNs are the functions' own: built from the same name, partition, Region and account.
    expect(root.locals.function_arn).toBe('arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:function:${local.function_name}');
    expect(root.locals.replica_function_arn).toBe('${local.multi_region ? "${local.arn_prefix}:lambda:${local.replica_region}:${data.aws_caller_identity.current.account_id}:function:${local.function_name}" : null}');
    expect(root.locals.function_arns).toBe('${compact([local.function_arn, local.replica_function_arn])}');
    expect(root.resource.aws_lambda_function!.this!.function_name).toBe('${local.function_name}');
    expect(root.resource.aws_lambda_function!.replica!.function_name).toBe('${local.function_name}');
  });

  it('kms:Sign only on the keys, with the signing algorithm and message type pinned', () => {
    const sign = sts.filter((st) => st.effect === 'Allow' && list(root, st.actions).includes('kms:Sign'));
    expect(sign).toHaveLength(1);
    const st = sign[0]!;
    expect(st.dynamic).toBe(true);
    expect(list(root, st.actions)).toEqual(['kms:Sign']);
    expect(st.resources).toBe('${statement.value.key_arns}');
    expect(lambdaDoc.dynamic.statement[0].for_each).toBe('${local.sign_groups}');
    const conditions = Object.fromEntries((st.condition ?? []).map((c) => [c.variable, c]));
    expect(conditions['kms:SigningAlgorithm']).toMatchObject({ test: 'StringEquals', values: ['${statement.value.algorithm}'] });
    expect(conditions['kms:MessageType']).toMatchObject({ test: 'StringEquals', values: ['${statement.value.message_type}'] });
  });

  it('signing parameters per key spec are the ones docs/interfaces.md gives', () => {
    const expected = {
      ECC_SECG_P256K1: { algorithm: 'ECDSA_SHA_256', message_type: 'DIGEST' },
      ECC_NIST_P256: { algorithm: 'ECDSA_SHA_256', message_type: 'DIGEST' },
      ECC_NIST_EDWARDS25519: { algorithm: 'ED25519_SHA_512', message_type: 'RAW' },
    };
    expect(root.locals.signing_parameters).toEqual(expected);
    expect(interfaces).toContain('`SigningAlgorithm = ECDSA_SHA_256`, `MessageType = DIGEST`');
    expect(interfaces).toContain('`SigningAlgorithm = ED25519_SHA_512`, `MessageType = RAW`');
  });

  it('the other statements name exactly the key ARNs, the table ARN and the log group', () => {
    const by = Object.fromEntries(sts.filter((st) => !st.dynamic).map((st) => [st.sid, st]));
    expect(by.KmsGetPublicKey).toMatchObject({ actions: ['kms:GetPublicKey'], resources: '${local.role_key_arns}' });
    expect(by.WatermarkTable).toMatchObject({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: '${local.table_arns}' });
    expect(by.Logs).toMatchObject({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: '${[for group in concat([aws_cloudwatch_log_group.lambda], aws_cloudwatch_log_group.replica) : "${group.arn}:*"]}' });
  });

  it('the VPC statement exists only in a VPC and holds only the ENI actions', () => {
    const vpc = root.data.aws_iam_policy_document!.vpc!;
    expect(vpc.count).toBe('${local.in_vpc ? 1 : 0}');
    expect(root.resource.aws_iam_role_policy!.vpc!.count).toBe('${local.in_vpc ? 1 : 0}');
    const [st, ...others] = statements(vpc);
    expect(others).toEqual([]);
    expect(list(root, st!.actions).every((a) => a.startsWith('ec2:') && /NetworkInterface|PrivateIpAddresses|DescribeSubnets/.test(a))).toBe(true);
    expect(Object.keys(root.resource.aws_iam_role_policy_attachment ?? {})).toEqual([]);
  });

  it('trust policy: only lambda.amazonaws.com may assume the role, without a condition Lambda does not document; permissions boundary is wired', () => {
    const [st, ...others] = statements(root.data.aws_iam_policy_document!.assume_role!);
    expect(others).toEqual([]);
    expect(st).toMatchObject({ effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] });
    // aws:SourceArn/aws:SourceAccount are not documented for execution-role trust policies (iam.tf
    // cites the Lambda page): a condition Lambda does not send would stop the signer.
    expect(st!.condition).toBeUndefined();
    expect(root.resource.aws_iam_role!.lambda!.permissions_boundary).toBe('${var.role_permissions_boundary_arn}');
  });

  it('the function waits for its permissions', () => {
    expect(root.resource.aws_lambda_function!.this!.depends_on).toEqual(['${aws_iam_role_policy.lambda}', '${aws_iam_role_policy.vpc}']);
  });
});

describe('KMS key policy (modules/kms-key)', async () => {
  const mod = await moduleAt('modules/kms-key');
  const sts = statements(mod.data.aws_iam_policy_document!.this!);
  const by = Object.fromEntries(sts.map((st) => [st.sid, st]));

  it('administrators cannot sign, grant or use wildcards', () => {
    expect(by.KeyAdministration!.actions).toBe('${concat(local.admin_actions, var.replica_region == null ? [] : local.replication_actions)}');
    // A multi-Region key's admins may also replicate it and move its primary Region: neither signs.
    expect(mod.locals.replication_actions).toEqual(['kms:ReplicateKey', 'kms:UpdatePrimaryRegion']);
    const admin: string[] = [...mod.locals.admin_actions, ...mod.locals.replication_actions];
    expect(admin).not.toContain('kms:Sign');
    expect(admin).not.toContain('kms:CreateGrant');
    expect(admin).toContain('kms:PutKeyPolicy');
    expect(by.KeyAdministration!.principals).toEqual([{ type: 'AWS', identifiers: '${var.admin_role_arns}' }]);
  });

  // Issue 19: a deleted admin role recreated at its ARN can still administer the key; kms:Sign and
  // kms:CreateGrant are never delegated to the account's IAM policies.
  it('break-glass: the same administration to the account, for the admin role ARNs only (aws:PrincipalArn), never signing', () => {
    const st = by.KeyAdministrationByRoleArn!;
    expect(st).toMatchObject({ effect: 'Allow', actions: '${concat(local.admin_actions, var.replica_region == null ? [] : local.replication_actions)}', resources: ['*'], principals: [{ type: 'AWS', identifiers: '${local.admin_accounts}' }] });
    expect(st.condition).toEqual([{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: '${var.admin_role_arns}' }]);
    expect(by.KeyAdministration!.actions).toBe('${concat(local.admin_actions, var.replica_region == null ? [] : local.replication_actions)}');
    expect(mod.locals.admin_accounts).toBe('${distinct([for arn in var.admin_role_arns : "${join(":", slice(split(":", arn), 0, 5))}:root"])}');
  });

  it('only the signer role may kms:Sign, with algorithm and message type pinned, and kms:GetPublicKey', () => {
    const allowSign = sts.filter((st) => st.effect === 'Allow' && list(mod, st.actions).includes('kms:Sign'));
    expect(allowSign.map((st) => st.sid)).toEqual(['SignerSign']);
    expect(by.SignerSign!.principals).toEqual([{ type: 'AWS', identifiers: '${var.signer_role_arns}' }]);
    const vars = (by.SignerSign!.condition ?? []).map((c: { test: string; variable: string; values: unknown }) => `${c.test} ${c.variable} ${JSON.stringify(c.values)}`);
    expect(vars).toEqual(['StringEquals kms:SigningAlgorithm ["${local.signing_algorithm}"]', 'StringEquals kms:MessageType ["${local.message_type}"]']);
    expect(by.SignerGetPublicKey).toMatchObject({ actions: ['kms:GetPublicKey'], principals: [{ type: 'AWS', identifiers: '${var.signer_role_arns}' }] });
    expect(mod.locals.signing_parameters).toEqual((moduleSigning as any));
  });

  it('explicitly denies kms:Sign to every other principal', () => {
    const deny = by.DenySignToEveryoneElse!;
    expect(deny).toMatchObject({ effect: 'Deny', actions: ['kms:Sign'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }] });
    expect(deny.condition).toEqual([{ test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: '${var.signer_role_arns}' }]);
  });

  it('no Allow statement has a "*" principal', () => {
    for (const st of sts.filter((s) => s.effect === 'Allow')) for (const p of st.principals ?? []) expect(p.identifiers).not.toEqual(['*']);
  });

  it('the key is asymmetric SIGN_VERIFY, not rotated, with the lockout check kept', () => {
    const key = mod.resource.aws_kms_key!.this!;
    expect(key).toMatchObject({ key_usage: 'SIGN_VERIFY', customer_master_key_spec: '${var.key_spec}', enable_key_rotation: false, deletion_window_in_days: '${var.deletion_window_in_days}' });
    expect(key).not.toHaveProperty('bypass_policy_lockout_safety_check');
  });
});

const moduleSigning = {
  ECC_SECG_P256K1: { algorithm: 'ECDSA_SHA_256', message_type: 'DIGEST' },
  ECC_NIST_P256: { algorithm: 'ECDSA_SHA_256', message_type: 'DIGEST' },
  ECC_NIST_EDWARDS25519: { algorithm: 'ED25519_SHA_512', message_type: 'RAW' },
};

describe('no lockout bypass anywhere', () => {
  it('no .tf file sets bypass_policy_lockout_safety_check', () => {
    expect(tfFilesText().filter(({ text }) => text.includes('bypass_policy_lockout_safety_check')).map(({ file }) => rel(file))).toEqual([]);
  });
});

describe('watermark table (modules/watermark-table)', async () => {
  const mod = await moduleAt('modules/watermark-table');
  const table = mod.resource.aws_dynamodb_table!.this!;

  it('is on demand, keyed by pk (S), with PITR, encryption and deletion protection on by default', () => {
    expect(table).toMatchObject({
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      point_in_time_recovery: [{ enabled: true }],
      server_side_encryption: [{ enabled: true, kms_key_arn: '${var.kms_key_arn}' }],
      deletion_protection_enabled: '${var.deletion_protection_enabled}',
    });
    expect(mod.variable.deletion_protection_enabled.default).toBe(true);
    expect(table).not.toHaveProperty('range_key');
    expect(table).not.toHaveProperty('ttl');
    expect(table).not.toHaveProperty('global_secondary_index');
  });

  it('the root module keeps deletion protection on by default', async () => {
    const root = await moduleAt('.');
    expect(root.variable.table_deletion_protection_enabled.default).toBe(true);
    expect(root.module.watermark_table.deletion_protection_enabled).toBe('${var.table_deletion_protection_enabled}');
  });
});

describe('exposure (modules/exposure)', async () => {
  const mod = await moduleAt('modules/exposure');
  const perms = mod.resource.aws_lambda_permission!;

  it('Function URL: authorization NONE and both lambda:InvokeFunctionUrl and lambda:InvokeFunction (via the URL only); with function_url_iam, AWS_IAM and no permission for `*`', () => {
    // NONE only for exposure = "function_url"; the public permissions exist only then
    // (modules/exposure/tests/exposure.tftest.hcl plans both).
    expect(mod.resource.aws_lambda_function_url!.this).toMatchObject({ authorization_type: '${local.is_public_url ? "NONE" : "AWS_IAM"}' });
    expect(perms.function_url).toMatchObject({ count: '${local.is_public_url ? 1 : 0}' });
    expect(perms.function_url_invoke).toMatchObject({ count: '${local.is_public_url ? 1 : 0}' });
    expect(perms.function_url).toMatchObject({ action: 'lambda:InvokeFunctionUrl', principal: '*', function_url_auth_type: 'NONE' });
    expect(perms.function_url_invoke).toMatchObject({ action: 'lambda:InvokeFunction', principal: '*', invoked_via_function_url: true });
    // Statement ids distinct from the ones the provider may add when it creates the URL.
    expect([perms.function_url!.statement_id, perms.function_url_invoke!.statement_id]).not.toContain('FunctionURLAllowPublicAccess');
  });

  it('API Gateway permissions are scoped to the API', () => {
    expect(perms.http_api).toMatchObject({ action: 'lambda:InvokeFunction', principal: 'apigateway.amazonaws.com', source_arn: '${aws_apigatewayv2_api.this[0].execution_arn}/*' });
    expect(perms.rest_api).toMatchObject({ action: 'lambda:InvokeFunction', principal: 'apigateway.amazonaws.com', source_arn: '${aws_api_gateway_rest_api.this[0].execution_arn}/*' });
  });

  it('HTTP API: payload format 2.0, throttling, access logs', () => {
    expect(mod.resource.aws_apigatewayv2_integration!.this).toMatchObject({ integration_type: 'AWS_PROXY', payload_format_version: '2.0' });
    const stage = mod.resource.aws_apigatewayv2_stage!.this!;
    expect(stage.default_route_settings[0]).toMatchObject({ throttling_burst_limit: '${var.throttling_burst_limit}', throttling_rate_limit: '${var.throttling_rate_limit}' });
    expect(stage.access_log_settings[0].destination_arn).toBe('${aws_cloudwatch_log_group.access[0].arn}');
  });

  it('private REST API: PRIVATE endpoint, invoke allowed only with aws:SourceVpce and denied otherwise', () => {
    expect(mod.resource.aws_api_gateway_rest_api!.this!.endpoint_configuration[0].types).toEqual(['PRIVATE']);
    const sts = statements(mod.data.aws_iam_policy_document!.private_api!);
    const allow = sts.filter((s) => s.effect === 'Allow');
    const deny = sts.filter((s) => s.effect === 'Deny');
    expect(allow).toHaveLength(1);
    expect(deny).toHaveLength(1);
    expect(allow[0]!.condition).toEqual([{ test: 'StringEquals', variable: 'aws:SourceVpce', values: '${var.vpc_endpoint_ids}' }]);
    expect(deny[0]!.condition).toEqual([{ test: 'StringNotEquals', variable: 'aws:SourceVpce', values: '${var.vpc_endpoint_ids}' }]);
    for (const st of sts) expect(st.actions).toEqual(['execute-api:Invoke']);
    for (const name of ['root', 'proxy']) expect(mod.resource.aws_api_gateway_integration![name]).toMatchObject({ type: 'AWS_PROXY', integration_http_method: 'POST' });
    expect(mod.resource.aws_api_gateway_method_settings!.this!.settings[0]).toMatchObject({ throttling_burst_limit: '${var.throttling_burst_limit}' });
    expect(mod.resource.aws_api_gateway_deployment!.this!.triggers).toBeDefined();
  });
});

describe('Lambda function (lambda.tf)', async () => {
  const root = await moduleAt('.');
  const fn = root.resource.aws_lambda_function!.this!;

  it('matches docs/interfaces.md: the runtime input, arm64, handler.handler, JSON logs, bundle hash', () => {
    expect(fn).toMatchObject({
      runtime: '${var.runtime}',
      architectures: ['arm64'],
      handler: 'handler.handler',
      source_code_hash: '${filebase64sha256(local.lambda_zip)}',
      filename: '${local.lambda_zip}',
      logging_config: [{ log_format: 'JSON', log_group: '${aws_cloudwatch_log_group.lambda.name}', system_log_level: 'WARN' }],
      reserved_concurrent_executions: '${var.lambda_reserved_concurrent_executions}',
    });
    expect(interfaces).toContain('runtime `nodejs24.x` by default (`runtime` input: `nodejs22.x` or `nodejs24.x`;');
    expect(interfaces).toContain('architecture `arm64`, handler `handler.handler`');
    expect(interfaces).toContain('JSON logs, system log level `WARN`');
  });

  // Issue 8: a new account's concurrency quota is 10 and Lambda keeps 100 unreserved, so any
  // reservation fails there; null (unreserved) is allowed and the default, 0 is still refused.
  it('reserved concurrency may be null (the default, so a new account works), never 0 or fractional', () => {
    const v = root.variable.lambda_reserved_concurrent_executions;
    expect(v.default).toBeNull();
    const condition = unwrap(v.validation[0].condition)!;
    expect(condition).toContain('var.lambda_reserved_concurrent_executions == null ||');
    expect(condition).toContain('var.lambda_reserved_concurrent_executions >= 1');
    expect(condition).toContain('floor(var.lambda_reserved_concurrent_executions) == var.lambda_reserved_concurrent_executions');
    expect(v.description).toContain('at least 100 + N');
    expect(v.description).toContain('quota starts at 10');
    const dedicated = allModules().then((m) => m.get(join(repoRoot, 'examples/dedicated-account'))!);
    return dedicated.then((mod) => {
      expect(mod.module.signer.lambda_reserved_concurrent_executions).toBe('${var.lambda_reserved_concurrent_executions}');
      expect(mod.variable.lambda_reserved_concurrent_executions.default).toBeNull();
    });
  });
});

describe('monitoring (modules/monitoring): alarms on the metrics the handler publishes or free ones', async () => {
  const monitoring = await moduleAt('modules/monitoring');
  const metricsSection = interfaces.split('## Embedded metrics')[1]!.split('\n## ')[0]!;
  const customMetrics = [...metricsSection.matchAll(/^\| `(\w+)` \| Count \|/gm)].map((m) => m[1]!);
  const sum = Object.entries((monitoring.locals as Record<string, unknown>)['sum_alarms'] ?? {}) as [string, Record<string, string>][];

  it('each custom-metric alarm watches a documented metric; the others are free AWS/Lambda metrics', () => {
    expect(customMetrics).toEqual(['WatermarkRefusals', 'AuthFailures', 'Errors']);
    const custom = sum.filter(([, a]) => a['namespace'] === '${var.metrics_namespace}').map(([, a]) => a['metric_name']).sort();
    expect(custom).toEqual([...customMetrics].sort());
    expect(sum.filter(([, a]) => a['namespace'] !== '${var.metrics_namespace}').map(([, a]) => [a['namespace'], a['metric_name']])).toEqual([
      ['AWS/Lambda', 'Errors'],
      ['AWS/Lambda', 'Throttles'],
    ]);
  });

  it('no signature for N minutes: the watermark table\'s free write metric, missing data breaching', () => {
    const alarm = monitoring.resource.aws_cloudwatch_metric_alarm!.no_signatures!;
    expect(alarm).toMatchObject({
      namespace: 'AWS/DynamoDB',
      metric_name: 'ConsumedWriteCapacityUnits',
      dimensions: { TableName: '${var.table_name}' },
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
    });
  });

  it('the dashboard graphs only documented custom metrics, with no extra dimension', () => {
    const text = readFileSync(join(repoRoot, 'modules/monitoring/dashboard.tf'), 'utf8');
    const graphed = [...text.matchAll(/\[local\.ns, "(\w+)", "FunctionName", local\.fn\]/g)].map((m) => m[1]!);
    expect(graphed.sort()).toEqual([...customMetrics].sort());
    expect(text).not.toMatch(/local\.ns, "\w+", "FunctionName", local\.fn, "/);
  });
});

describe('variable validations', async () => {
  const root = await moduleAt('.');

  function regexes(variable: string): RegExp[] {
    const text = JSON.stringify(root.variable[variable].validation);
    return [...text.matchAll(/regex\(\\"([^"\\]*(?:\\\\.[^"\\]*)*)\\"/g)].map((m) => new RegExp(m[1]!.replace(/\\\\/g, '\\')));
  }
  const matchesAny = (res: RegExp[], s: string) => res.some((re) => re.test(s));

  it('authorized keys: edpk 54, sppk 55, p2pk 55 characters of base58', () => {
    const res = regexes('authorized_keys');
    for (const ok of ['sppk7cCffHWaF2sWV2JjC7FWizcC2dWBmxVhf1Zr3KLVf4czXqaoGYt', 'p2pk67iS6y8pkvX5SUF1BigLH6MUT9p3ri5m3EyZ23ReUMoh9NweAef', 'edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9yav']) {
      expect(matchesAny(res, ok), ok).toBe(true);
    }
    for (const bad of ['edpkuBknW28nW72KG6RoHtYW7p12T6GKc7nAbwYX5m8Wd9sDVC9ya', 'sppk7cCffHWaF2sWV2JjC7FWizcC2dWBmxVhf1Zr3KLVf4czXqaoGY0', 'tz1abc', 'edsk...', '']) {
      expect(matchesAny(res, bad), bad).toBe(false);
    }
  });

  it('chain ids: Net + 12 base58 characters; mainnet by default', () => {
    const res = regexes('allowed_chain_ids');
    expect(matchesAny(res, 'NetXdQprcVkpaWU')).toBe(true);
    expect(matchesAny(res, 'NetXdQprcVkpaW')).toBe(false);
    expect(matchesAny(res, 'NetXdQprcVkpaW0')).toBe(false);
    expect(root.variable.allowed_chain_ids.default).toEqual(['NetXdQprcVkpaWU']);
  });

  it('key admins must be IAM role ARNs', () => {
    const res = regexes('key_admin_role_arns');
    expect(matchesAny(res, 'arn:aws:iam::123456789012:role/admin')).toBe(true);
    expect(matchesAny(res, 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123')).toBe(true);
    expect(matchesAny(res, 'arn:aws:iam::123456789012:user/alice')).toBe(false);
    expect(matchesAny(res, 'arn:aws:iam::123456789012:root')).toBe(false);
    expect(root.variable.key_admin_role_arns).not.toHaveProperty('default');
  });

  it('validation blocks guard every value that could make the signer unsafe', () => {
    for (const v of ['keys', 'existing_keys', 'key_admin_role_arns', 'key_deletion_window_in_days', 'authorized_keys', 'allowed_chain_ids', 'exposure', 'lambda_reserved_concurrent_executions', 'lambda_timeout', 'runtime']) {
      expect(root.variable[v]?.validation, v).toBeDefined();
    }
    expect(JSON.stringify(root.variable.key_deletion_window_in_days.validation)).toMatch(/>= 7 .*<= 30/);
    expect(root.variable.authorized_keys).not.toHaveProperty('default');
  });
});

describe('dedicated-account SCP', async () => {
  const mod = await moduleAt('examples/dedicated-account');
  const sts = statements(mod.data.aws_iam_policy_document!.scp!);
  const by = Object.fromEntries(sts.map((st) => [st.sid, st]));
  const spared = (st: Statement) => st.condition!.find((c) => c.variable === 'aws:PrincipalArn')!;

  it('only denies, never on "*", each statement sparing a named principal set or naming the one it binds', () => {
    for (const st of sts) {
      expect(st.effect, st.sid).toBe('Deny');
      expect(list(mod, st.resources).includes('*'), st.sid).toBe(false);
      const principal = spared(st);
      expect(['ArnNotEquals', 'ArnEquals'], st.sid).toContain(principal.test);
      if (principal.test === 'ArnEquals') expect(st.sid).toBe('DenySignerRoleOutsideTheSignerFunction');
      else expect(st.condition, st.sid).toHaveLength(1);
    }
  });

  it('does not lock out the signer role: every action it needs is spared for it', () => {
    for (const action of documentedActions) {
      for (const st of sts.filter((s) => list(mod, s.actions).includes(action) && spared(s).test === 'ArnNotEquals')) {
        const values = spared(st).values;
        expect(values === '${local.signer_role_arn}' || (Array.isArray(values) && values.includes('${local.signer_role_arn}')) || values === '${local.watermark_writer_arns}', `${st.sid} denies ${action}`).toBe(true);
      }
    }
    expect(mod.locals.watermark_writer_arns).toBe('${concat([local.signer_role_arn], var.watermark_admin_role_arns)}');
  });

  it('does not lock out the admin roles from administration', () => {
    const adminStatements = ['DenyAdministrationToAllButAdmins'];
    for (const sid of adminStatements) expect(spared(by[sid]!).values, sid).toBe('${local.admin_role_arns}');
    expect(mod.locals.admin_role_arns).toBe('${concat([local.access_role_arn], var.extra_key_admin_role_arns)}');
    expect(mod.module.signer.key_admin_role_arns).toBe('${local.admin_role_arns}');
  });

  // Issue 9, point 1: the signer role cannot be borrowed.
  it('denies iam:PassRole of the signer role to all but the admins (what CreateFunction/UpdateFunctionConfiguration naming it need)', () => {
    const admin = by.DenyAdministrationToAllButAdmins!;
    expect(admin.actions).toBe('${concat(local.pass_role_actions, local.key_admin_actions, local.table_admin_actions, local.function_change_actions, local.role_change_actions)}');
    expect(admin.resources).toBe('${concat(local.key_arns, [module.signer.table_arn], local.signer_function_arns, local.privileged_role_arns)}');
    expect(mod.locals.pass_role_actions).toEqual(['iam:PassRole']);
    expect(mod.locals.privileged_role_arns).toBe('${distinct(concat([local.signer_role_arn], local.admin_role_arns, var.watermark_admin_role_arns))}');
    const text = readFileSync(join(repoRoot, 'examples/dedicated-account/scp.tf'), 'utf8');
    expect(text).toContain('https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html');
    expect(text).toContain('https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html');
  });

  it('denies the signer role kms:Sign and watermark writes outside the signer function (lambda:SourceFunctionArn)', () => {
    const st = by.DenySignerRoleOutsideTheSignerFunction!;
    expect(st.actions).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'kms:Sign']);
    expect(st.resources).toBe('${concat(local.key_arns, [module.signer.table_arn])}');
    expect(st.condition).toEqual([
      { test: 'ArnEquals', variable: 'aws:PrincipalArn', values: ['${local.signer_role_arn}'] },
      { test: 'ArnNotLike', variable: 'lambda:SourceFunctionArn', values: '${local.signer_function_arns}' },
    ]);
    expect(mod.locals.signer_function_arns).toEqual(['${local.signer_function_arn}', '${local.signer_function_arn}:*']);
    expect(mod.locals.signer_function_arn).toBe('${module.signer.lambda_function_arn}');
  });

  // Issue 9, point 7: `watermarks set` (PutItem) by a named break-glass role, nobody else.
  it('spares PutItem/UpdateItem on the table for the signer and the break-glass roles only; deletes for nobody else', () => {
    expect(by.DenyWatermarkWritesToAllButTheSignerAndBreakGlass).toMatchObject({ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: ['${module.signer.table_arn}'] });
    expect(spared(by.DenyWatermarkWritesToAllButTheSignerAndBreakGlass!).values).toBe('${local.watermark_writer_arns}');
    const deletes = by.DenyWatermarkDeletesToAllButTheSigner!;
    expect(list(mod, deletes.actions)).toEqual(expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLDelete']));
    expect(spared(deletes).values).toEqual(['${local.signer_role_arn}']);
    const breakGlass = sts.filter((st) => JSON.stringify(st.condition).includes('watermark_writer_arns') || JSON.stringify(st.condition).includes('watermark_admin_role_arns'));
    expect(breakGlass.map((st) => st.sid)).toEqual(['DenyWatermarkWritesToAllButTheSignerAndBreakGlass']);
    expect(mod.variable.watermark_admin_role_arns.default).toEqual([]);
    expect(mod.variable.watermark_admin_role_arns.validation).toBeDefined();
  });

  it('is a service control policy attached to the signer account, refused when SCPs are not enabled, and the module uses the assumed-role provider', () => {
    const policy = mod.resource.aws_organizations_policy!.signer!;
    expect(policy.type).toBe('SERVICE_CONTROL_POLICY');
    expect(policy.lifecycle[0].precondition.map((p: { condition: string }) => p.condition)).toEqual(['${length(local.scp_content) <= 5120}', '${local.scp_enabled}']);
    expect(policy.content).toBe('${local.scp_content}');
    expect(mod.locals.scp_content).toBe('${data.aws_iam_policy_document.scp.minified_json}');
    expect(mod.locals.scp_enabled).toBe('${contains(data.aws_organizations_organization.this.enabled_policy_types, "SERVICE_CONTROL_POLICY")}');
    expect(mod.resource.aws_organizations_policy_attachment!.signer!.target_id).toBe('${local.account_id}');
    expect(mod.module.signer.providers).toEqual({ aws: '${aws.signer}' });
  });

  // Issue 8: one pass per stack. The signer stack's providers depend only on inputs, never on a
  // resource of the same apply; the account is vended by its own stack.
  it('applies unattended: the account is vended by its own stack and the signer stack takes existing_account_id', async () => {
    expect(mod.resource.aws_organizations_account).toBeUndefined();
    expect(mod.variable.existing_account_id).not.toHaveProperty('default');
    expect(mod.locals.account_id).toBe('${var.existing_account_id}');
    const signerProvider = mod.provider.aws!.find((p) => p.alias === 'signer')!;
    expect(signerProvider.assume_role[0].role_arn).toBe('${local.access_role_arn}');
    expect(mod.locals.access_role_arn).toBe('arn:${data.aws_partition.current.partition}:iam::${local.account_id}:role/${var.account_access_role_name}');
    const account = await moduleAt('examples/dedicated-account/account');
    expect(account.resource.aws_organizations_account!.signer!.close_on_deletion).toBe(false);
    expect(Object.keys(account.output)).toContain('account_id');
    const readme = readFileSync(join(repoRoot, 'examples/dedicated-account/README.md'), 'utf8');
    expect(readme).not.toContain('-target');
    expect(readme).toContain('SERVICE_CONTROL_POLICY');
    expect(readFileSync(join(repoRoot, 'examples/dedicated-account/account/README.md'), 'utf8')).toContain('close_on_deletion = false');
  });
});

describe('examples', async () => {
  for (const name of ['public', 'vpc-only', 'dedicated-account', 'multi-region']) {
    it(`${name} uses the root module by relative path`, async () => {
      const mod = await moduleAt(`examples/${name}`);
      expect(mod.module.signer.source).toBe('../../');
    });
  }

  it('multi-region: one provider in primary_region, the module told the same Region, a witness or a third replica', async () => {
    const mod = await moduleAt('examples/multi-region');
    expect(mod.provider.aws).toEqual([expect.objectContaining({ region: '${var.primary_region}' })]);
    expect(mod.module.signer.multi_region).toEqual({
      primary_region: '${var.primary_region}',
      replica_region: '${var.replica_region}',
      witness_region: '${var.third_region_holds_replica ? null : var.third_region}',
      third_replica_region: '${var.third_region_holds_replica ? var.third_region : null}',
    });
    expect(mod.module.signer.providers).toBeUndefined();
  });

  it('vpc-only: private REST API through the execute-api endpoint, Lambda in the private subnets with KMS and DynamoDB endpoints', async () => {
    const mod = await moduleAt('examples/vpc-only');
    expect(mod.module.signer).toMatchObject({
      exposure: 'private_rest_api',
      private_api_vpc_endpoint_ids: ['${aws_vpc_endpoint.execute_api.id}'],
      subnet_ids: '${aws_subnet.private[*].id}',
    });
    const endpoints = mod.resource.aws_vpc_endpoint!;
    expect(endpoints.kms!.service_name).toContain('.kms');
    expect(endpoints.dynamodb!.service_name).toContain('.dynamodb');
    expect(endpoints.execute_api!.service_name).toContain('.execute-api');
    expect(mod.resource.aws_internet_gateway).toBeUndefined();
    expect(mod.resource.aws_nat_gateway).toBeUndefined();
  });
});
