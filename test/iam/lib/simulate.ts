// One request evaluated as AWS would, by @cloud-copilot/iam-simulate: the principal's identity
// policies, the SCPs of its account (none for the management account: SCPs never bind it), and the
// resource's own policy (key policy, trust policy, function policy). KMS semantics are the
// simulator's: a key policy must allow the principal, or allow the account and then an IAM policy
// must too; other services trust same-account IAM policies.
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './rendered.js';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Principal {
  /** What the row calls it. */
  label: string;
  /** The session ARN the request is signed with (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
  session: string;
  /** The role's ARN (aws:PrincipalArn). */
  roleArn: string;
  account: string;
  identityPolicies: Array<{ name: string; policy: PolicyDocument }>;
  /** SCPs bind the account's principals; empty for the management account. */
  scps: Array<{ orgIdentifier: string; policies: Array<{ name: string; policy: PolicyDocument }> }>;
  /** Context keys carried by the credentials themselves (lambda:SourceFunctionArn). */
  credentialContext: Record<string, string>;
  /** An unsigned request: no principal at all, only a resource policy can allow it. */
  anonymous?: boolean;
}

export interface Request {
  action: string;
  resource: string;
  resourceAccount: string;
  resourcePolicy?: PolicyDocument | undefined;
  context?: Record<string, string | string[]>;
}

export class SimulationError extends Error {}

/** The decision for one request; a request the simulator cannot evaluate (unknown action, resource
 * type, malformed policy, a context key the action ignores) is an error, never a decision. */
export async function decide(principal: Principal, request: Request): Promise<Decision> {
  const contextVariables = principal.anonymous
    ? { ...request.context }
    : {
        'aws:PrincipalArn': principal.roleArn,
        'aws:PrincipalAccount': principal.account,
        'aws:PrincipalType': 'AssumedRole',
        ...principal.credentialContext,
        ...request.context,
      };
  // A resource with no policy at all (a function without any permission) has no document to evaluate.
  const resourcePolicy = request.resourcePolicy?.Statement.length === 0 ? undefined : request.resourcePolicy;
  const result = await runSimulation(
    {
      request: { principal: principal.anonymous ? anonymousPrincipal : principal.session, action: request.action, resource: { resource: request.resource, accountId: request.resourceAccount }, contextVariables },
      identityPolicies: principal.identityPolicies,
      serviceControlPolicies: principal.scps,
      resourceControlPolicies: [],
      resourcePolicy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') throw new SimulationError(`${principal.label} ${request.action} ${request.resource}: ${JSON.stringify(result.errors)}`);
  if (result.resultType === 'single' && result.result.ignoredContextKeys?.length) {
    throw new SimulationError(`${principal.label} ${request.action}: context keys the action does not take: ${result.result.ignoredContextKeys.join(', ')}`);
  }
  return result.overallResult as Decision;
}

/** A call that needs several authorizations (CreateFunction also needs iam:PassRole of the role it
 * names) is allowed only if each is; otherwise the first refusal is its decision. */
export async function decideAll(principal: Principal, requests: Request[]): Promise<Decision> {
  for (const r of requests) {
    const d = await decide(principal, r);
    if (d !== 'Allowed') return d;
  }
  return 'Allowed';
}
