// Data sources: the few whose values the module's logic depends on answer fixed, AWS-shaped values
// (one account, one partition, the configured region); aws_iam_policy_document is rendered for real;
// any other gets placeholders for what it computes.
import { isObject, type Value } from './msgpack.js';
import { ACCOUNT_ID, conformBlock, conformValue, contextFor, placeholder } from './plan.js';
import { renderPolicyDocument } from './policy-document.js';
import type { BlockSchema } from './schema.js';

export const CALLER_ARN = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/offline-terraform/offline-check`;

function fixed(typeName: string, config: { [k: string]: Value }, region: string): { [k: string]: Value } {
  switch (typeName) {
    case 'aws_caller_identity':
      return { account_id: ACCOUNT_ID, arn: CALLER_ARN, id: ACCOUNT_ID, user_id: 'AROAOFFLINECHECK:offline-check' };
    case 'aws_partition':
      return { partition: 'aws', id: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws' };
    case 'aws_region': {
      const r = typeof config.region === 'string' ? config.region : typeof config.name === 'string' ? config.name : region;
      return { region: r, name: r, id: r, endpoint: `ec2.${r}.amazonaws.com`, description: `offline ${r}` };
    }
    case 'aws_availability_zones':
      return {
        id: region,
        names: ['a', 'b', 'c'].map((z) => `${region}${z}`),
        zone_ids: ['1', '2', '3'].map((z) => `euw1-az${z}`),
        group_names: [region],
      };
    case 'aws_iam_session_context': {
      const arn = typeof config.arn === 'string' ? config.arn : CALLER_ARN;
      const m = arn.match(/^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/);
      if (!m) return { issuer_arn: arn, issuer_id: '', issuer_name: '', session_name: '', id: arn };
      return { issuer_arn: `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`, issuer_id: 'AROAOFFLINECHECK', issuer_name: m[3]!, session_name: m[4]!, id: arn };
    }
    case 'aws_organizations_organization': {
      // An organization with all features and SCPs enabled, this account its management account.
      const org = 'o-offline0000';
      return {
        id: org,
        arn: `arn:aws:organizations::${ACCOUNT_ID}:organization/${org}`,
        feature_set: 'ALL',
        enabled_policy_types: ['SERVICE_CONTROL_POLICY'],
        aws_service_access_principals: ['cloudtrail.amazonaws.com'],
        master_account_id: ACCOUNT_ID,
        master_account_arn: `arn:aws:organizations::${ACCOUNT_ID}:account/${org}/${ACCOUNT_ID}`,
        master_account_email: 'management@example.com',
        master_account_name: 'management',
        roots: [{ id: 'r-offl', arn: `arn:aws:organizations::${ACCOUNT_ID}:root/${org}/r-offl`, name: 'Root', policy_types: [{ status: 'ENABLED', type: 'SERVICE_CONTROL_POLICY' }] }],
        accounts: [],
        non_master_accounts: [],
      };
    }
    case 'aws_iam_policy_document':
      return { ...renderPolicyDocument(config) };
    default:
      return {};
  }
}

/** The state of a data source read: its config, the fixed values, then placeholders for the rest it computes. */
export function readDataSource(typeName: string, block: BlockSchema, config: Value, region: string): Value {
  const cfg = isObject(config) ? config : {};
  const out = conformBlock(block, cfg) as { [k: string]: Value };
  const values = fixed(typeName, cfg, region);
  const ctx = contextFor(typeName, region, cfg);
  for (const [name, attr] of Object.entries(block.attributes)) {
    if (!attr.computed || (out[name] !== null && out[name] !== undefined)) continue;
    out[name] = name in values ? conformValue(attr.type, values[name]) : placeholder(attr.type, [name], ctx);
  }
  return out;
}
