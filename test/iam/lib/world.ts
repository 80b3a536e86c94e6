// The table of requests the evaluator decides: who (principal), what (action, resource, context) and
// the expected decision, each row naming the line of docs/security.md's threat table it proves.
// Principals not rendered by Terraform (another role of the account, the admin role's own IAM policy,
// the management account) are modelled here with the broadest rights they could plausibly hold.
import type { PolicyDocument, RenderedStack, Statement } from './rendered.js';
import { decideAll, type Decision, type Principal, type Request } from './simulate.js';

/** The lines of the threat table (docs/security.md) the rows prove, by the text their first cell holds. */
export const THREATS = {
  sign: '`kms:Sign` by any principal but the signer role; grants; a key policy change',
  borrow: '**The signer role borrowed**',
  stolen: 'Credentials taken from the signer function itself',
  function: '**The signer function changed** by anyone but its admins',
  watermarks: 'The dedicated-account SCP and the documented `watermarks set` disagree',
  keyBreakGlass: 'The keys unmanageable once their admin roles are deleted',
  management: "The organization's management account",
  shared: 'The shared-account residual risk',
  floods: '**A flood billed**',
} as const;

export type Layout = 'dedicated' | 'shared' | 'urlIam';

/** The policies a row is evaluated against: as deployed, or with one Deny removed (mutation). */
export interface Policies {
  scp: PolicyDocument | undefined;
  keyPolicies: Map<string, PolicyDocument>;
  signerRolePolicies: Array<{ name: string; policy: PolicyDocument }>;
  signerTrustPolicy: PolicyDocument;
  functionPolicy: PolicyDocument;
}

export function deployedPolicies(stack: RenderedStack): Policies {
  return {
    scp: stack.scp === undefined ? undefined : (JSON.parse(stack.scp) as PolicyDocument),
    keyPolicies: stack.keyPolicies,
    signerRolePolicies: stack.signerRolePolicies,
    signerTrustPolicy: stack.signerTrustPolicy,
    functionPolicy: stack.functionPolicy,
  };
}

export const MANAGEMENT_ACCOUNT = '999999999999';
const ADMINISTRATOR_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }] };
const FULL_AWS_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' }] };

/** A row: one call (or the several authorizations one API call needs), and what AWS must decide. */
export interface Row {
  id: string;
  threat: keyof typeof THREATS;
  /** What the row shows, in words. */
  says: string;
  who: PrincipalKey;
  /** How the policies were changed before the call by someone the account lets change them. */
  after?: Tamper;
  requests: (w: World) => Request[];
  expect: Decision;
}

type PrincipalKey = 'signer' | 'signerViaAlias' | 'signerInAnotherFunction' | 'signerWithoutFunction' | 'signerCredentialsStolen' | 'operator' | 'admin' | 'recreatedAdmin' | 'recreatedAdminWithoutIamPolicy' | 'watermarkBreakGlass' | 'management' | 'urlInvoker' | 'bakerHost' | 'anonymous';
type Tamper = 'keyPolicyLetsTheAdminSign' | 'roleDenyRemoved' | 'adminRoleDeletedAndRecreated' | 'scpDetached';

export interface World {
  stack: RenderedStack;
  account: string;
  region: string;
  key: string;
  table: string;
  fn: string;
  fnAlias: string;
  otherFn: string;
  signerRole: string;
  adminRole: string;
  operatorRole: string;
  watermarkRole: string;
  organizationAccessRole: string;
  policies: Policies;
  keyPolicy: (tamper?: Tamper) => PolicyDocument;
  functionPolicy: () => PolicyDocument;
  principal: (key: PrincipalKey, tamper?: Tamper) => Principal;
}

/** The baker host's own role: what examples/public's function_url_iam application names as invoker principal. */
export const BAKER_HOST_ROLE = (account: string) => `arn:aws:iam::${account}:role/baker-host`;

const session = (roleArn: string, name: string) => roleArn.replace(/^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/, `arn:$1:sts::$2:assumed-role/$3/${name}`);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function buildWorld(stack: RenderedStack, policies: Policies, adminRole: string, watermarkRole: string): World {
  const [, , , region, account] = stack.functionArn.split(':') as [string, string, string, string, string];
  const key = stack.keyArns[0]!;
  const operatorRole = `arn:aws:iam::${account}:role/platform-operator`;
  const organizationAccessRole = `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;
  const scps = (acct: string, tamper?: Tamper) =>
    policies.scp === undefined || tamper === 'scpDetached' // the management account may detach it (D74)
      ? []
      : [
          { orgIdentifier: 'r-offl', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
          { orgIdentifier: acct, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, { name: 'protect-signer', policy: policies.scp }] },
        ];

  const keyPolicy = (tamper?: Tamper): PolicyDocument => {
    const doc = clone(policies.keyPolicies.get(key)!);
    if (tamper === 'keyPolicyLetsTheAdminSign') {
      // An admin may PutKeyPolicy: it drops the Deny and allows itself kms:Sign.
      doc.Statement = doc.Statement.filter((s) => s.Effect !== 'Deny');
      doc.Statement.push({ Sid: 'AdminSigns', Effect: 'Allow', Principal: { AWS: adminRole }, Action: 'kms:Sign', Resource: '*' });
    }
    if (tamper === 'adminRoleDeletedAndRecreated') {
      // KMS keeps a role named in Principal as its unique id: once the role is deleted, that
      // principal matches nobody, a role recreated with the same name included.
      for (const s of doc.Statement) {
        if (s.Principal && s.Principal !== '*' && 'AWS' in s.Principal) {
          s.Principal.AWS = asList(s.Principal.AWS).map((p) => (p === adminRole ? `arn:aws:iam::${account}:role/deleted-AROAEXAMPLEDELETEDROLE` : p));
        }
      }
    }
    return doc;
  };

  const signerPolicies = (tamper?: Tamper) => {
    if (tamper !== 'roleDenyRemoved') return policies.signerRolePolicies;
    // An admin may PutRolePolicy: it drops the role's own Deny.
    return policies.signerRolePolicies.map(({ name, policy }) => ({ name, policy: { ...policy, Statement: policy.Statement.filter((s: Statement) => s.Effect !== 'Deny') } }));
  };

  const principal = (who: PrincipalKey, tamper?: Tamper): Principal => {
    const signer = (label: string, source: string | undefined): Principal => ({
      label,
      session: session(stack.signerRoleArn, stack.functionArn.split(':').pop()!),
      roleArn: stack.signerRoleArn,
      account,
      identityPolicies: signerPolicies(tamper),
      scps: scps(account, tamper),
      credentialContext: source === undefined ? {} : { 'lambda:SourceFunctionArn': source },
    });
    const role = (label: string, roleArn: string, identityPolicies: Principal['identityPolicies']): Principal => ({
      label,
      session: session(roleArn, 'someone'),
      roleArn,
      account,
      identityPolicies,
      scps: scps(account, tamper),
      credentialContext: {},
    });
    switch (who) {
      case 'signer':
        return signer('the signer role in the signer function', stack.functionArn);
      case 'signerViaAlias':
        return signer('the signer role in a version or alias of the signer function', `${stack.functionArn}:live`);
      case 'signerInAnotherFunction':
        return signer('the signer role passed to another function', `arn:aws:lambda:${region}:${account}:function:borrowed`);
      case 'signerWithoutFunction':
        return signer("the signer role's credentials from no function", undefined);
      case 'signerCredentialsStolen':
        return signer('credentials taken from the signer function, used elsewhere', stack.functionArn);
      case 'operator':
        return role('another role of the account with AdministratorAccess', operatorRole, [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_ACCESS }]);
      case 'admin':
        return role('a key admin role with AdministratorAccess', adminRole, [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_ACCESS }]);
      case 'recreatedAdmin':
        return role('an admin role deleted, then recreated at its ARN with AdministratorAccess', adminRole, [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_ACCESS }]);
      case 'recreatedAdminWithoutIamPolicy':
        return role('an admin role recreated at its ARN with no IAM policy', adminRole, []);
      case 'watermarkBreakGlass':
        return role('the break-glass watermark role (GetItem/PutItem on the table, docs/security.md)', watermarkRole, [
          { name: 'watermarks', policy: { Version: '2012-10-17', Statement: [{ Sid: 'Watermarks', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: stack.tableArn }] } },
        ]);
      case 'urlInvoker': {
        const invoker = stack.urlInvoker;
        if (invoker === undefined) throw new Error(`${stack.example}: no invoker role (exposure is not function_url_iam)`);
        return role('the invoker role of exposure function_url_iam, with its own policy only', invoker.roleArn, invoker.policies);
      }
      case 'bakerHost':
        return role('the baker host role named in function_url_invoker_principal_arns (no IAM policy of its own)', BAKER_HOST_ROLE(account), []);
      case 'anonymous':
        return { label: 'an unsigned request (no AWS credentials at all)', session: '', roleArn: '', account: '', identityPolicies: [], scps: [], credentialContext: {}, anonymous: true };
      case 'management':
        return {
          label: 'an administrator of the management account',
          session: `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/OrganizationAdmin/someone`,
          roleArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/OrganizationAdmin`,
          account: MANAGEMENT_ACCOUNT,
          identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_ACCESS }],
          scps: [], // SCPs never bind the management account
          credentialContext: {},
        };
    }
  };

  return {
    stack,
    account,
    region,
    key,
    table: stack.tableArn,
    fn: stack.functionArn,
    fnAlias: `${stack.functionArn}:live`,
    otherFn: `arn:aws:lambda:${region}:${account}:function:borrowed`,
    signerRole: stack.signerRoleArn,
    adminRole,
    operatorRole,
    watermarkRole,
    organizationAccessRole,
    policies,
    keyPolicy,
    functionPolicy: () => policies.functionPolicy,
    principal,
  };
}

// ---------------------------------------------------------------------------------------------------
// requests

const SIGN_CONTEXT = { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' };

const kms = (action: string, context: Record<string, string> = {}) => (w: World): Request => ({
  action: `kms:${action}`,
  resource: w.key,
  resourceAccount: w.account,
  resourcePolicy: w.keyPolicy(),
  context: { 'kms:CallerAccount': w.account, ...context },
});
const table = (action: string) => (w: World): Request => ({ action: `dynamodb:${action}`, resource: w.table, resourceAccount: w.account });
const fn = (action: string, qualified = false) => (w: World): Request => ({
  action: `lambda:${action}`,
  resource: qualified ? w.fnAlias : w.fn,
  resourceAccount: w.account,
  resourcePolicy: w.functionPolicy(),
});
/** A Function URL call as Lambda authorizes it: lambda:InvokeFunctionUrl, then lambda:InvokeFunction through the URL. */
const viaUrl = (authType: 'NONE' | 'AWS_IAM', target: 'signer' | 'other' = 'signer') => (w: World): Request[] => {
  const resource = target === 'signer' ? w.fn : w.otherFn;
  const resourcePolicy = target === 'signer' ? w.functionPolicy() : undefined;
  return [
    { action: 'lambda:InvokeFunctionUrl', resource, resourceAccount: w.account, resourcePolicy, context: { 'lambda:FunctionUrlAuthType': authType } },
    { action: 'lambda:InvokeFunction', resource, resourceAccount: w.account, resourcePolicy, context: { 'lambda:InvokedViaFunctionUrl': 'true' } },
  ];
};
const invokeApi = (w: World): Request => ({ action: 'lambda:InvokeFunction', resource: w.fn, resourceAccount: w.account, resourcePolicy: w.functionPolicy(), context: { 'lambda:InvokedViaFunctionUrl': 'false' } });
const assumeInvoker = (w: World): Request => {
  const invoker = w.stack.urlInvoker;
  if (invoker === undefined) throw new Error(`${w.stack.example}: no invoker role`);
  return { action: 'sts:AssumeRole', resource: invoker.roleArn, resourceAccount: w.account, resourcePolicy: invoker.trustPolicy };
};
const passSignerRole = (w: World): Request => ({ action: 'iam:PassRole', resource: w.signerRole, resourceAccount: w.account, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
const iamOn = (action: string, roleOf: (w: World) => string) => (w: World): Request => ({ action: `iam:${action}`, resource: roleOf(w), resourceAccount: w.account });

/** Evaluates one row against a world (as deployed, or mutated). */
export async function evaluate(row: Row, w: World): Promise<Decision> {
  const p = w.principal(row.who, row.after);
  const requests = row.requests({ ...w, keyPolicy: (t?: Tamper) => w.keyPolicy(t ?? row.after) });
  return decideAll(p, requests);
}

// ---------------------------------------------------------------------------------------------------
// the table

export const DEDICATED_ROWS: Row[] = [
  // the signer role, inside and outside its function
  { id: 'D01', threat: 'sign', who: 'signer', says: 'the signer signs, with the pinned algorithm and message type', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'Allowed' },
  { id: 'D02', threat: 'sign', who: 'signer', says: 'the signer cannot sign with another algorithm', requests: (w) => [kms('Sign', { 'kms:SigningAlgorithm': 'ECDSA_SHA_384', 'kms:MessageType': 'DIGEST' })(w)], expect: 'ImplicitlyDenied' },
  { id: 'D03', threat: 'sign', who: 'signer', says: 'the signer cannot sign a raw message with an ECDSA key', requests: (w) => [kms('Sign', { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'RAW' })(w)], expect: 'ImplicitlyDenied' },
  { id: 'D04', threat: 'sign', who: 'signer', says: 'the signer cannot create a grant', requests: (w) => [kms('CreateGrant')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D05', threat: 'watermarks', who: 'signer', says: 'the signer writes its watermarks', requests: (w) => [table('PutItem')(w)], expect: 'Allowed' },
  { id: 'D06', threat: 'watermarks', who: 'signer', says: 'the signer cannot delete a watermark', requests: (w) => [table('DeleteItem')(w)], expect: 'ImplicitlyDenied' },
  { id: 'D07', threat: 'borrow', who: 'signerViaAlias', says: 'the signer signs from a version or alias of its function', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'Allowed' },
  { id: 'D08', threat: 'borrow', who: 'signerInAnotherFunction', says: 'the signer role in another function cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D09', threat: 'borrow', who: 'signerInAnotherFunction', says: 'the signer role in another function cannot write a watermark', requests: (w) => [table('PutItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D10', threat: 'borrow', who: 'signerWithoutFunction', says: "the signer role's credentials outside any function cannot sign", requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D11', threat: 'borrow', who: 'signerInAnotherFunction', after: 'roleDenyRemoved', says: "with the role's own Deny removed by an admin, the SCP still refuses kms:Sign outside the signer function", requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D12', threat: 'borrow', who: 'signerInAnotherFunction', after: 'roleDenyRemoved', says: "with the role's own Deny removed by an admin, the SCP still refuses watermark writes outside the signer function", requests: (w) => [table('PutItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D13', threat: 'stolen', who: 'signerCredentialsStolen', says: 'credentials taken from the signer function itself still sign: lambda:SourceFunctionArn travels with them (residual risk)', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'Allowed' },
  { id: 'D14', threat: 'borrow', who: 'signerInAnotherFunction', after: 'scpDetached', says: "with the SCP detached (management account), the role's own Deny still refuses kms:Sign outside the signer function", requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D15', threat: 'borrow', who: 'signerInAnotherFunction', after: 'scpDetached', says: "with the SCP detached, the role's own Deny still refuses watermark writes outside the signer function", requests: (w) => [table('PutItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D16', threat: 'sign', who: 'admin', after: 'scpDetached', says: 'with the SCP detached, the key policy still refuses kms:Sign to an admin', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  // another role of the account with broad IAM/Lambda rights
  { id: 'D20', threat: 'borrow', who: 'operator', says: 'cannot CreateFunction with the signer role (needs iam:PassRole of it)', requests: (w) => [{ ...fn('CreateFunction')(w), resource: w.otherFn, resourcePolicy: undefined }, passSignerRole(w)], expect: 'ExplicitlyDenied' },
  { id: 'D21', threat: 'borrow', who: 'operator', says: 'cannot give its own function the signer role (UpdateFunctionConfiguration + iam:PassRole)', requests: (w) => [{ ...fn('UpdateFunctionConfiguration')(w), resource: w.otherFn, resourcePolicy: undefined }, passSignerRole(w)], expect: 'ExplicitlyDenied' },
  { id: 'D22', threat: 'borrow', who: 'operator', says: 'cannot assume the signer role (trusted by Lambda only)', requests: (w) => [{ action: 'sts:AssumeRole', resource: w.signerRole, resourceAccount: w.account, resourcePolicy: w.policies.signerTrustPolicy }], expect: 'ImplicitlyDenied' },
  { id: 'D23', threat: 'borrow', who: 'operator', says: "cannot change the signer role's policy", requests: (w) => [iamOn('PutRolePolicy', (x) => x.signerRole)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D24', threat: 'borrow', who: 'operator', says: "cannot change the signer role's trust policy", requests: (w) => [iamOn('UpdateAssumeRolePolicy', (x) => x.signerRole)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D25', threat: 'function', who: 'operator', says: "cannot update the signer's code", requests: (w) => [fn('UpdateFunctionCode')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D26', threat: 'function', who: 'operator', says: "cannot update the signer's configuration", requests: (w) => [fn('UpdateFunctionConfiguration')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D27', threat: 'function', who: 'operator', says: 'cannot create an alias', requests: (w) => [fn('CreateAlias')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D28', threat: 'function', who: 'operator', says: 'cannot point an alias at another version', requests: (w) => [fn('UpdateAlias', true)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D29', threat: 'function', who: 'operator', says: 'cannot publish a version', requests: (w) => [fn('PublishVersion')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D30', threat: 'function', who: 'operator', says: 'cannot add a permission to an alias (Qualifier)', requests: (w) => [fn('AddPermission', true)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D31', threat: 'function', who: 'operator', says: 'cannot add a permission to the function', requests: (w) => [fn('AddPermission')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D32', threat: 'function', who: 'operator', says: 'cannot create a Function URL on an alias (Qualifier)', requests: (w) => [fn('CreateFunctionUrlConfig', true)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D33', threat: 'function', who: 'operator', says: 'cannot change the Function URL of an alias (Qualifier)', requests: (w) => [fn('UpdateFunctionUrlConfig', true)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D34', threat: 'function', who: 'operator', says: 'cannot send asynchronous results elsewhere', requests: (w) => [fn('PutFunctionEventInvokeConfig')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D35', threat: 'function', who: 'operator', says: 'cannot change the runtime version', requests: (w) => [fn('PutRuntimeManagementConfig')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D36', threat: 'function', who: 'operator', says: "cannot replace the function's resource policy", requests: (w) => [fn('PutResourcePolicy')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D37', threat: 'sign', who: 'operator', says: 'cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D38', threat: 'sign', who: 'operator', says: 'cannot change the key policy', requests: (w) => [kms('PutKeyPolicy')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D39', threat: 'sign', who: 'operator', says: 'cannot schedule the key deletion', requests: (w) => [kms('ScheduleKeyDeletion')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D40', threat: 'sign', who: 'operator', says: 'cannot create a grant', requests: (w) => [kms('CreateGrant')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D41', threat: 'watermarks', who: 'operator', says: 'cannot write a watermark', requests: (w) => [table('PutItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D42', threat: 'watermarks', who: 'operator', says: 'cannot update a watermark', requests: (w) => [table('UpdateItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D43', threat: 'watermarks', who: 'operator', says: 'cannot delete a watermark', requests: (w) => [table('DeleteItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D44', threat: 'watermarks', who: 'operator', says: 'cannot restore the table to an earlier point', requests: (w) => [table('RestoreTableToPointInTime')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D45', threat: 'keyBreakGlass', who: 'operator', says: 'cannot recreate a deleted admin role to take its place', requests: (w) => [iamOn('CreateRole', (x) => x.adminRole)(w)], expect: 'ExplicitlyDenied' },
  // the admin role
  { id: 'D50', threat: 'sign', who: 'admin', says: 'an admin cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D51', threat: 'sign', who: 'admin', after: 'keyPolicyLetsTheAdminSign', says: 'an admin who rewrote the key policy to let itself sign still cannot sign (the SCP)', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D52', threat: 'sign', who: 'admin', says: 'an admin administers the key', requests: (w) => [kms('PutKeyPolicy')(w)], expect: 'Allowed' },
  { id: 'D53', threat: 'sign', who: 'admin', says: 'an admin cannot create a grant', requests: (w) => [kms('CreateGrant')(w)], expect: 'ImplicitlyDenied' },
  { id: 'D54', threat: 'watermarks', who: 'admin', says: 'an admin cannot write a watermark', requests: (w) => [table('PutItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D55', threat: 'function', who: 'admin', says: "an admin updates the signer's code (Terraform)", requests: (w) => [fn('UpdateFunctionCode')(w)], expect: 'Allowed' },
  { id: 'D56', threat: 'borrow', who: 'admin', says: 'an admin passes the signer role (Terraform)', requests: (w) => [passSignerRole(w)], expect: 'Allowed' },
  // the break-glass roles
  { id: 'D60', threat: 'watermarks', who: 'watermarkBreakGlass', says: 'the break-glass watermark role raises a watermark', requests: (w) => [table('PutItem')(w)], expect: 'Allowed' },
  { id: 'D61', threat: 'watermarks', who: 'watermarkBreakGlass', says: 'the break-glass watermark role cannot delete a watermark', requests: (w) => [table('DeleteItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'D62', threat: 'sign', who: 'watermarkBreakGlass', says: 'the break-glass watermark role cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D63', threat: 'keyBreakGlass', who: 'recreatedAdmin', after: 'adminRoleDeletedAndRecreated', says: 'a deleted admin role, recreated at its ARN, administers the key again', requests: (w) => [kms('PutKeyPolicy')(w)], expect: 'Allowed' },
  { id: 'D64', threat: 'keyBreakGlass', who: 'recreatedAdmin', after: 'adminRoleDeletedAndRecreated', says: 'the recreated admin role cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D65', threat: 'keyBreakGlass', who: 'recreatedAdmin', after: 'adminRoleDeletedAndRecreated', says: 'the recreated admin role cannot create a grant', requests: (w) => [kms('CreateGrant')(w)], expect: 'ImplicitlyDenied' },
  { id: 'D66', threat: 'keyBreakGlass', who: 'recreatedAdminWithoutIamPolicy', after: 'adminRoleDeletedAndRecreated', says: 'the recreated role needs an IAM policy as well (the key policy delegates to IAM)', requests: (w) => [kms('PutKeyPolicy')(w)], expect: 'ImplicitlyDenied' },
  // the organization's management account
  { id: 'D70', threat: 'management', who: 'management', says: 'cannot sign across accounts', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'D71', threat: 'management', who: 'management', says: 'cannot write a watermark across accounts', requests: (w) => [table('PutItem')(w)], expect: 'ImplicitlyDenied' },
  { id: 'D72', threat: 'management', who: 'management', says: "cannot change the signer's code across accounts", requests: (w) => [fn('UpdateFunctionCode')(w)], expect: 'ImplicitlyDenied' },
  {
    id: 'D73', threat: 'management', who: 'management', says: 'enters the account as OrganizationAccountAccessRole (its trust policy as Organizations creates it): an admin there',
    requests: (w) => [{ action: 'sts:AssumeRole', resource: w.organizationAccessRole, resourceAccount: w.account, resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] } }],
    expect: 'Allowed',
  },
  {
    id: 'D74', threat: 'management', who: 'management', says: 'may detach the SCP: SCPs never bind the management account (loud, not impossible)',
    requests: (w) => [{ action: 'organizations:DetachPolicy', resource: w.stack.scpArn!.replace(/::\d{12}:/, `::${MANAGEMENT_ACCOUNT}:`), resourceAccount: MANAGEMENT_ACCOUNT }],
    expect: 'Allowed',
  },
];

export const SHARED_ROWS: Row[] = [
  { id: 'S01', threat: 'sign', who: 'signer', says: 'the signer signs', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'Allowed' },
  { id: 'S02', threat: 'borrow', who: 'signerInAnotherFunction', says: 'the signer role in another function cannot sign (the role\'s own Deny)', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'S03', threat: 'borrow', who: 'signerInAnotherFunction', says: 'the signer role in another function cannot write a watermark', requests: (w) => [table('PutItem')(w)], expect: 'ExplicitlyDenied' },
  { id: 'S04', threat: 'borrow', who: 'signerWithoutFunction', says: "the signer role's credentials outside any function cannot sign", requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'S05', threat: 'stolen', who: 'signerCredentialsStolen', says: 'credentials taken from the signer function itself still sign (residual risk)', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'Allowed' },
  { id: 'S06', threat: 'sign', who: 'operator', says: 'another role with AdministratorAccess cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'S07', threat: 'sign', who: 'operator', says: 'another role with AdministratorAccess cannot change the key policy (not delegated to IAM)', requests: (w) => [kms('PutKeyPolicy')(w)], expect: 'ImplicitlyDenied' },
  { id: 'S08', threat: 'sign', who: 'admin', says: 'the key admin cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'S09', threat: 'shared', who: 'operator', says: 'an account administrator can create a function with the signer role (residual: its kms:Sign is refused, S02)', requests: (w) => [{ ...fn('CreateFunction')(w), resource: w.otherFn, resourcePolicy: undefined }, passSignerRole(w)], expect: 'Allowed' },
  { id: 'S10', threat: 'shared', who: 'operator', says: "an account administrator can change the signer's code (residual: loud, not impossible)", requests: (w) => [fn('UpdateFunctionCode')(w)], expect: 'Allowed' },
  { id: 'S11', threat: 'shared', who: 'operator', says: 'an account administrator can write the watermark table (residual: loud, not impossible)', requests: (w) => [table('PutItem')(w)], expect: 'Allowed' },
  { id: 'S12', threat: 'keyBreakGlass', who: 'recreatedAdmin', after: 'adminRoleDeletedAndRecreated', says: 'a deleted admin role, recreated at its ARN, administers the key again', requests: (w) => [kms('PutKeyPolicy')(w)], expect: 'Allowed' },
  { id: 'S13', threat: 'keyBreakGlass', who: 'recreatedAdmin', after: 'adminRoleDeletedAndRecreated', says: 'the recreated admin role cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  // The control of U07: the same unsigned call is let in by the public URL (NONE), so every request is an invocation.
  { id: 'S14', threat: 'floods', who: 'anonymous', says: 'an unsigned request is let in by the public Function URL (NONE): a flood is invoked and billed', requests: viaUrl('NONE'), expect: 'Allowed' },
];

/** examples/public applied with exposure = "function_url_iam": the invoker role and the URL it may invoke. */
export const URL_IAM_ROWS: Row[] = [
  { id: 'U01', threat: 'floods', who: 'urlInvoker', says: 'the invoker role invokes the Function URL (InvokeFunctionUrl with AWS_IAM, then InvokeFunction through the URL)', requests: viaUrl('AWS_IAM'), expect: 'Allowed' },
  { id: 'U02', threat: 'floods', who: 'urlInvoker', says: 'the invoker role cannot invoke the function through the Invoke API', requests: (w) => [invokeApi(w)], expect: 'ImplicitlyDenied' },
  { id: 'U03', threat: 'floods', who: 'urlInvoker', says: 'the invoker role cannot sign', requests: (w) => [kms('Sign', SIGN_CONTEXT)(w)], expect: 'ExplicitlyDenied' },
  { id: 'U04', threat: 'floods', who: 'urlInvoker', says: 'the invoker role cannot write a watermark', requests: (w) => [table('PutItem')(w)], expect: 'ImplicitlyDenied' },
  { id: 'U05', threat: 'floods', who: 'urlInvoker', says: 'the invoker role cannot invoke another function, through its URL or not', requests: viaUrl('AWS_IAM', 'other'), expect: 'ImplicitlyDenied' },
  { id: 'U06', threat: 'floods', who: 'urlInvoker', says: "the invoker role cannot change the signer's code", requests: (w) => [fn('UpdateFunctionCode')(w)], expect: 'ImplicitlyDenied' },
  { id: 'U07', threat: 'floods', who: 'anonymous', says: 'an unsigned request is not let in: no resource policy allows anyone (a flood is refused before any invocation)', requests: viaUrl('AWS_IAM'), expect: 'ImplicitlyDenied' },
  { id: 'U08', threat: 'floods', who: 'bakerHost', says: 'the baker host role named in function_url_invoker_principal_arns assumes the invoker role', requests: (w) => [assumeInvoker(w)], expect: 'Allowed' },
  { id: 'U09', threat: 'floods', who: 'operator', says: 'another role of the account with AdministratorAccess, not named in the trust policy, cannot assume the invoker role', requests: (w) => [assumeInvoker(w)], expect: 'ImplicitlyDenied' },
];

/** Every Deny statement of the policies, and the policies with that one statement removed. */
export function denyMutations(p: Policies): Array<{ name: string; policies: Policies }> {
  const out: Array<{ name: string; policies: Policies }> = [];
  const without = (doc: PolicyDocument, i: number): PolicyDocument => ({ ...doc, Statement: doc.Statement.filter((_, j) => j !== i) });
  p.scp?.Statement.forEach((s, i) => {
    if (s.Effect === 'Deny') out.push({ name: `SCP ${s.Sid}`, policies: { ...p, scp: without(p.scp!, i) } });
  });
  for (const [arn, doc] of p.keyPolicies) {
    doc.Statement.forEach((s, i) => {
      if (s.Effect === 'Deny') out.push({ name: `key policy ${s.Sid}`, policies: { ...p, keyPolicies: new Map([...p.keyPolicies, [arn, without(doc, i)]]) } });
    });
  }
  p.signerRolePolicies.forEach(({ name, policy }, k) => {
    policy.Statement.forEach((s, i) => {
      if (s.Effect === 'Deny') {
        const rolePolicies = p.signerRolePolicies.map((rp, j) => (j === k ? { name: rp.name, policy: without(policy, i) } : rp));
        out.push({ name: `role policy ${name} ${s.Sid}`, policies: { ...p, signerRolePolicies: rolePolicies } });
      }
    });
  });
  for (const [label, doc] of [['trust policy', p.signerTrustPolicy], ['function policy', p.functionPolicy]] as const) {
    if (doc.Statement.some((s) => s.Effect === 'Deny')) throw new Error(`${label} has a Deny statement: add it to the mutations`);
  }
  return out;
}
