// Monitoring (modules/monitoring) and how the root and the examples wire it: issue 8 (a known
// boolean decides the alarm wiring, the trail, the options reachable from the root) and issue 9
// (rules on the signer role being passed or used by another function).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allModules, moduleAt, rel, repoRoot, stringsIn, unwrap } from './lib/tf.js';

interface EventPattern {
  source: string[];
  detail: Record<string, any>;
}

/** The event rules of modules/monitoring, their patterns evaluated with the given variables. */
async function rules(vars: Record<string, unknown>): Promise<Record<string, { enabled: unknown; pattern: EventPattern; state: string }>> {
  const mod = await moduleAt('modules/monitoring');
  const raw = mod.locals.event_rules as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [key, rule] of Object.entries(raw)) {
    // jsonencode({...}) of HCL: hcl2json keeps it as one expression; check it as text.
    out[key] = { enabled: rule.enabled, state: rule.state, pattern: unwrap(rule.pattern) ?? rule.pattern, vars };
  }
  return out;
}

describe('alarm and event wiring is decided at plan time (issue 8)', () => {
  it('no count, for_each or dynamic block anywhere depends on alarm_sns_topic_arn', async () => {
    const offending: string[] = [];
    for (const mod of (await allModules()).values()) {
      for (const kind of ['resource', 'data', 'module'] as const) {
        const blocks = kind === 'module' ? { module: mod.module } : mod[kind];
        for (const [type, byName] of Object.entries<any>(blocks)) {
          for (const [name, body] of Object.entries<any>(byName)) {
            for (const meta of ['count', 'for_each']) {
              if (typeof body[meta] === 'string' && body[meta].includes('alarm_sns_topic_arn')) offending.push(`${rel(mod.dir)} ${type}.${name}.${meta}`);
            }
            for (const dyn of stringsIn(body.dynamic ?? {})) if (dyn.includes('alarm_sns_topic_arn') && /for_each/.test(JSON.stringify(body.dynamic))) offending.push(`${rel(mod.dir)} ${type}.${name} dynamic`);
          }
        }
      }
      for (const [name, value] of Object.entries<any>(mod.locals)) {
        // A local that turns the ARN's nullness into a list length is the same mistake in disguise.
        if (typeof value === 'string' && /alarm_sns_topic_arn\s*[!=]=\s*null/.test(value)) offending.push(`${rel(mod.dir)} local.${name}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('modules/monitoring: the EventBridge targets and the alarm actions follow alarm_actions_enabled, a plain bool', async () => {
    const mod = await moduleAt('modules/monitoring');
    expect(mod.variable.alarm_actions_enabled).toMatchObject({ type: '${bool}', default: false });
    expect(mod.resource.aws_cloudwatch_event_target!.sns!.for_each).toBe('${{ for key, rule in aws_cloudwatch_event_rule.this : key => rule.name if var.alarm_actions_enabled }}');
    expect(mod.locals.alarm_actions).toBe('${var.alarm_actions_enabled ? [var.alarm_sns_topic_arn] : []}');
    expect(mod.resource.aws_cloudwatch_event_target!.sns!.lifecycle[0].precondition[0].condition).toBe('${var.alarm_sns_topic_arn != null}');
  });

  it('the root passes alarm_actions_enabled, a root variable (never derived from the topic ARN), and warns when a topic is set without it', async () => {
    const root = await moduleAt('.');
    expect(root.module.monitoring.alarm_actions_enabled).toBe('${var.alarm_actions_enabled}');
    expect(root.variable.alarm_actions_enabled).toMatchObject({ type: '${bool}', default: false });
    const text = readFileSync(join(repoRoot, 'monitoring.tf'), 'utf8');
    expect(text).toMatch(/check "alarm_wiring" \{\s+assert \{\s+condition\s+= var\.alarm_actions_enabled \|\| var\.alarm_sns_topic_arn == null/);
  });

  it('every example wires its alarms to an SNS topic, with the plain boolean, and says which trail feeds the rules', async () => {
    for (const name of ['public', 'vpc-only', 'dedicated-account', 'multi-region']) {
      const mod = await moduleAt(`examples/${name}`);
      expect(mod.module.signer, name).toMatchObject({
        alarm_sns_topic_arn: '${aws_sns_topic.alarms.arn}',
        alarm_actions_enabled: true,
        create_trail: '${var.create_trail}',
        table_data_event_rule_enabled: '${var.create_trail}',
      });
      expect(mod.resource.aws_sns_topic_policy?.alarms, name).toBeDefined();
      expect(mod.variable.create_trail.default, name).toBe(true);
    }
  });

  it('docs/terraform.md usage snippet sets alarm_actions_enabled next to a topic ARN', () => {
    const doc = readFileSync(join(repoRoot, 'docs/terraform.md'), 'utf8');
    const usage = doc.split('## Usage')[1]!.split('\n## ')[0]!;
    expect(usage).toContain('alarm_sns_topic_arn');
    expect(usage).toMatch(/alarm_actions_enabled\s+= true/);
  });

  it('no module call has depends_on (it would defer every data source inside to apply time)', async () => {
    const offending: string[] = [];
    for (const mod of (await allModules()).values()) for (const [name, call] of Object.entries<any>(mod.module)) if (call.depends_on) offending.push(`${rel(mod.dir)} module.${name}`);
    expect(offending).toEqual([]);
  });
});

describe('options of the submodules reachable from the root (issue 8)', () => {
  it('the root exposes and passes REST API access logs, the data-event rule, the trail, the alarm period and thresholds', async () => {
    const root = await moduleAt('.');
    expect(root.module.exposure.rest_api_access_logs_enabled).toBe('${var.rest_api_access_logs_enabled}');
    for (const name of ['alarm_period_seconds', 'auth_failures_threshold', 'watermark_refusals_threshold', 'handler_errors_threshold', 'lambda_errors_threshold', 'lambda_throttles_threshold', 'table_data_event_rule_enabled', 'create_trail', 'alarm_actions_enabled']) {
      expect(root.module.monitoring[name], name).toBe(`\${var.${name}}`);
      expect(root.variable[name]?.description, name).toBeTruthy();
    }
    // Every input of modules/monitoring and modules/exposure that changes behaviour is passed.
    const monitoring = await moduleAt('modules/monitoring');
    const notPassed = Object.keys(monitoring.variable).filter((v) => !(v in root.module.monitoring));
    expect(notPassed).toEqual([]);
    const exposure = await moduleAt('modules/exposure');
    // region: the provider's for the first exposure, the second signing Region's for exposure_replica.
    expect(Object.keys(exposure.variable).filter((v) => !(v in root.module.exposure))).toEqual(['region']);
    expect(root.module.exposure_replica.region).toBe('${local.replica_region}');
  });

  it('the data-event rule is off by default and says it needs data events; the module trail records them only then', async () => {
    for (const dir of ['.', 'modules/monitoring']) {
      const mod = await moduleAt(dir);
      expect(mod.variable.table_data_event_rule_enabled.default, dir).toBe(false);
      expect(mod.variable.table_data_event_rule_enabled.description, dir).toMatch(/data events/);
    }
    // The trail's selectors as rendered are judged in event-patterns.test.ts; here, that the table's
    // data events depend on the rule being enabled.
    const monitoring = await moduleAt('modules/monitoring');
    const dyn = monitoring.resource.aws_cloudtrail!.this!.dynamic.advanced_event_selector;
    expect(dyn.map((d: any) => d.for_each.startsWith('${var.table_data_event_rule_enabled ?'))).toEqual([true, true]);
    expect(monitoring.resource.aws_cloudtrail!.this!.event_selector).toBeUndefined();
  });
});

describe('the trail (modules/monitoring/trail.tf, issue 8)', async () => {
  const mod = await moduleAt('modules/monitoring');

  it('is optional and off by default; the trail waits for its bucket policy through a reference, not depends_on', () => {
    expect(mod.variable.create_trail.default).toBe(false);
    const trail = mod.resource.aws_cloudtrail!.this!;
    expect(trail.count).toBe('${var.create_trail ? 1 : 0}');
    expect(trail.s3_bucket_name).toBe('${aws_s3_bucket_policy.trail[0].bucket}');
    expect(trail.depends_on).toBeUndefined();
    expect(trail).toMatchObject({ enable_log_file_validation: true, include_global_service_events: true });
  });

  it('the bucket policy is CloudTrail\'s, scoped to this trail by aws:SourceArn, and the bucket is private', () => {
    const doc = mod.data.aws_iam_policy_document!.trail_bucket!;
    const by = Object.fromEntries(doc.statement.map((st: any) => [st.sid, st]));
    expect(by.AWSCloudTrailAclCheck).toMatchObject({ effect: 'Allow', actions: ['s3:GetBucketAcl'], principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }] });
    expect(by.AWSCloudTrailWrite).toMatchObject({ effect: 'Allow', actions: ['s3:PutObject'], resources: ['${aws_s3_bucket.trail[0].arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*'] });
    for (const sid of ['AWSCloudTrailAclCheck', 'AWSCloudTrailWrite']) {
      expect(by[sid].condition).toContainEqual({ test: 'StringEquals', variable: 'aws:SourceArn', values: ['${local.trail_arn}'] });
    }
    expect(by.AWSCloudTrailWrite.condition).toContainEqual({ test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] });
    expect(by.DenyInsecureTransport).toMatchObject({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
    expect(mod.resource.aws_s3_bucket_public_access_block!.trail).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(mod.locals.trail_arn).toContain(':trail/${local.trail_name}');
  });
});

describe('EventBridge rules on the signer role (issue 9)', async () => {
  const mod = await moduleAt('modules/monitoring');
  const text = readFileSync(join(repoRoot, 'modules/monitoring/events.tf'), 'utf8');
  const all = await rules({});

  it('a rule reports CreateFunction*/UpdateFunctionConfiguration* naming the signer role for another function', () => {
    const rule = all['signer-role-passed']!;
    expect(rule.enabled).toBe(true);
    const pattern = String(rule.pattern);
    expect(pattern).toContain('eventName   = [{ prefix = "CreateFunction" }, { prefix = "UpdateFunctionConfiguration" }]');
    expect(pattern).toMatch(/role\s+= \[var\.signer_role_arn\]/);
    // Every form of the signer's own name (name, ARN, partial ARN, each with a qualifier) is spared;
    // event-patterns.test.ts evaluates the rendered pattern against each form.
    expect(pattern).toMatch(/functionName = \[\{ "anything-but" = \{ wildcard = local\.function_name_wildcards \} \}\]/);
  });

  it('"by others" also matches a session of the signer role opened for another function (session name = function name)', () => {
    const notTheSigner = JSON.stringify(mod.locals.not_the_signer);
    expect(notTheSigner).toContain('anything-but');
    expect(mod.locals.signer_session_suffix).toBe(':assumed-role/${local.signer_role_name}/${var.function_name}');
    expect(mod.locals.signer_role_name).toBe('${element(split("/", var.signer_role_arn), length(split("/", var.signer_role_arn)) - 1)}');
    expect(text).toMatch(/arn\s+= \[\{ "anything-but" = \{ suffix = local\.signer_session_suffix \} \}\]/);
    expect(text).toContain('sessionContext = { sessionIssuer = { arn = [var.signer_role_arn] } }');
    // Sources cited for the session name.
    expect(text).toContain('cloud-custodian/cloud-custodian#306');
    for (const key of ['kms-sign-by-others', 'table-writes-by-others']) expect(String(all[key]!.pattern), key).toContain('local.not_the_signer');
  });
});

describe('resource names stay within AWS limits at the longest allowed name', () => {
  it('every EventBridge rule name (<name>-<rule>) is at most 64 characters, the forwarding role name at most 64, with the root and the module at their longest name', async () => {
    const { moduleAt } = await import('./lib/tf.js');
    const longest = (mod: { variable: Record<string, { validation?: { condition: string }[] | { condition: string } }> }) => {
      const validations = [mod.variable.name!.validation ?? []].flat() as { condition: string }[];
      const bound = validations.map((v) => /\{(?:0|1),(\d+)\}/.exec(v.condition)).find((m) => m !== null);
      expect(bound, 'a length bound in the name validation').toBeDefined();
      // The root's regex is ^[a-zA-Z][a-zA-Z0-9-]{0,39}$: one character more than its bound.
      return Number(bound![1]) + (/\{0,/.test(bound![0]) ? 1 : 0);
    };
    const root = longest(await moduleAt('.'));
    const monitoring = await moduleAt('modules/monitoring');
    const max = Math.max(root, longest(monitoring));
    expect(max).toBeGreaterThanOrEqual(40);
    const rules = Object.keys((monitoring.locals.event_rules ?? {}) as Record<string, unknown>);
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) expect(`${'n'.repeat(max)}-${rule}`.length, rule).toBeLessThanOrEqual(64);
    expect(`${'n'.repeat(max)}-events-forward`.length).toBeLessThanOrEqual(64);
  });
});
