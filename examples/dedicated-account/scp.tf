################################################################################
# Service control policy on the signer account
################################################################################
# SCPs bind every IAM principal of the member account (not the management account, not service
# principals, not the anonymous callers of the Function URL). Each statement spares the principals
# that need the action: the signer role for signing and watermarks, the break-glass watermark
# roles for raising a watermark, the admin roles (Terraform) for administration. Nothing here
# denies the signer role what docs/interfaces.md says it calls, from inside the signer function.

# SCPs only apply once the policy type is enabled on the organization's root (Organizations
# console, Policies, Service control policies, Enable; or aws_organizations_organization's
# enabled_policy_types in the stack that owns the organization). Checked before the SCP is made.
data "aws_organizations_organization" "this" {}

locals {
  signer_role_arn     = module.signer.lambda_role_arn
  signer_function_arn = module.signer.lambda_function_arn
  key_arns            = values(module.signer.key_arns)

  # Lambda authorizes a function's actions on the function's ARN or, with a Qualifier, on a version's
  # or an alias's (function:NAME:QUALIFIER): the fence covers both.
  signer_function_arns = [local.signer_function_arn, "${local.signer_function_arn}:*"]

  # Who may raise a watermark by hand (`tezos-signer watermarks set`, docs/migration.md): the
  # signer role and the named break-glass roles, never anyone else.
  watermark_writer_arns = concat([local.signer_role_arn], var.watermark_admin_role_arns)

  # Roles whose trust or policies decide who signs, administers or writes watermarks: whoever could
  # create or change one of them would hold its powers.
  privileged_role_arns = distinct(concat([local.signer_role_arn], local.admin_role_arns, var.watermark_admin_role_arns))

  # What only the admin roles may do (one statement, DenyAdministrationToAllButAdmins, so that the SCP
  # stays under 5,120 characters; an action never matches another service's resource, so the
  # statement denies exactly each group on its own resources, and iam:PassRole also on the admin and
  # break-glass roles).

  # Passing the signer role: whoever may pass it can create or reconfigure a Lambda function that
  # runs as the signer. Lambda has no condition key naming the role of CreateFunction or
  # UpdateFunctionConfiguration (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html:
  # their keys are lambda:CodeSigningConfigArn, lambda:Layer, lambda:SecurityGroupIds,
  # lambda:SubnetIds, lambda:VpcIds); both require iam:PassRole on the role they name
  # (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html). Denying
  # iam:PassRole of this role, to every service, is therefore what denies those calls when they
  # name it.
  pass_role_actions = ["iam:PassRole"]

  # Key administration: policy, grants, enable/disable, deletion.
  key_admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateGrant",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:UpdateKeyDescription",
  ]

  # Table administration: deletion, restores (which could bring back lower watermarks), backups,
  # resource policy.
  table_admin_actions = [
    "dynamodb:DeleteResourcePolicy",
    "dynamodb:DeleteTable",
    "dynamodb:PutResourcePolicy",
    "dynamodb:RestoreTableFromBackup",
    "dynamodb:RestoreTableToPointInTime",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:UpdateTable",
    "dynamodb:UpdateTimeToLive",
  ]

  # Every Lambda action that changes what runs (code, configuration, layers, runtime, versions,
  # aliases, code signing, deletion) or who can invoke it and how (resource policy, Function URL,
  # asynchronous destinations, concurrency, recursion, replication), on the function and on each of
  # its versions and aliases.
  function_change_actions = [
    "lambda:AddPermission",
    "lambda:CreateAlias",
    "lambda:CreateFunctionUrlConfig",
    "lambda:DeleteAlias",
    "lambda:DeleteFunction",
    "lambda:DeleteFunctionCodeSigningConfig",
    "lambda:DeleteFunctionConcurrency",
    "lambda:DeleteFunctionEventInvokeConfig",
    "lambda:DeleteFunctionUrlConfig",
    "lambda:DeleteProvisionedConcurrencyConfig",
    "lambda:DeleteResourcePolicy",
    "lambda:DisableReplication",
    "lambda:EnableReplication",
    "lambda:PublishVersion",
    "lambda:PutFunctionCodeSigningConfig",
    "lambda:PutFunctionConcurrency",
    "lambda:PutFunctionEventInvokeConfig",
    "lambda:PutFunctionRecursionConfig",
    "lambda:PutFunctionScalingConfig",
    "lambda:PutProvisionedConcurrencyConfig",
    "lambda:PutResourcePolicy",
    "lambda:PutRuntimeManagementConfig",
    "lambda:RemovePermission",
    "lambda:UpdateAlias",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:UpdateFunctionEventInvokeConfig",
    "lambda:UpdateFunctionUrlConfig",
  ]

  # Whoever could create, or change the trust or policies of, the signer role, an admin role or a
  # break-glass watermark role could act as it: a deleted admin role recreated by anyone else would
  # be spared by every statement here.
  role_change_actions = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
  ]

  # Organizations refuses an SCP over 5,120 characters, whitespace included: rendered minified, and
  # checked before it is sent (test/iam measures it with the longest allowed names).
  scp_content = data.aws_iam_policy_document.scp.minified_json

  # Policy types enabled on the organization's root (read from the management account).
  scp_enabled = contains(data.aws_organizations_organization.this.enabled_policy_types, "SERVICE_CONTROL_POLICY")
}

data "aws_iam_policy_document" "scp" {
  statement {
    sid       = "DenySigningToAllButTheSigner"
    effect    = "Deny"
    actions   = ["kms:Sign"]
    resources = local.key_arns

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [local.signer_role_arn]
    }
  }

  # The signer role, used from any function but the signer (one it was passed to), may neither
  # sign nor write watermarks. Lambda puts the ARN of the function in the credentials it gives the
  # function's code, as lambda:SourceFunctionArn, a key SCPs can test
  # (https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html), and
  # ArnNotLike is also true when the key is missing (the role's credentials from no function). What
  # it does not stop: credentials taken from the signer function itself (its code, its runtime
  # environment) carry the signer's ARN wherever they are used, and pass. Only the function's code,
  # fenced by DenyAdministrationToAllButAdmins, keeps them in. The module's role policy has the
  # same Deny.
  statement {
    sid       = "DenySignerRoleOutsideTheSignerFunction"
    effect    = "Deny"
    actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem", "kms:Sign"]
    resources = concat(local.key_arns, [module.signer.table_arn])

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [local.signer_role_arn]
    }

    condition {
      test     = "ArnNotLike"
      variable = "lambda:SourceFunctionArn"
      values   = local.signer_function_arns
    }
  }
  # Conditional puts only ever raise a watermark (the signer and `watermarks set` use the same
  # condition). The break-glass roles may do that, and nothing else, on the table.
  statement {
    sid       = "DenyWatermarkWritesToAllButTheSignerAndBreakGlass"
    effect    = "Deny"
    actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [module.signer.table_arn]

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.watermark_writer_arns
    }
  }

  # Deleting or batch-writing items could lower a watermark: nobody but the signer role (which
  # its own policy does not allow to either).
  statement {
    sid    = "DenyWatermarkDeletesToAllButTheSigner"
    effect = "Deny"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:PartiQLDelete",
      "dynamodb:PartiQLInsert",
      "dynamodb:PartiQLUpdate",
    ]
    resources = [module.signer.table_arn]

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [local.signer_role_arn]
    }
  }
  statement {
    sid       = "DenyAdministrationToAllButAdmins"
    effect    = "Deny"
    actions   = concat(local.pass_role_actions, local.key_admin_actions, local.table_admin_actions, local.function_change_actions, local.role_change_actions)
    resources = concat(local.key_arns, [module.signer.table_arn], local.signer_function_arns, local.privileged_role_arns)

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.admin_role_arns
    }
  }

}

resource "aws_organizations_policy" "signer" {
  name        = "${var.name}-protect-signer"
  description = "Only the Tezos signer function signs with its keys and writes its watermarks; only its admin roles change it."
  type        = "SERVICE_CONTROL_POLICY"
  content     = local.scp_content

  lifecycle {
    precondition {
      condition     = length(local.scp_content) <= 5120
      error_message = "The SCP is longer than the 5,120 characters Organizations accepts: shorten the names, or list fewer extra admin or watermark admin roles."
    }

    precondition {
      condition     = local.scp_enabled
      error_message = "The SERVICE_CONTROL_POLICY policy type is not enabled on the organization's root: enable it (Organizations, Policies, Service control policies) before applying, or the SCP would not apply."
    }
  }
}

resource "aws_organizations_policy_attachment" "signer" {
  policy_id = aws_organizations_policy.signer.id
  target_id = local.account_id
}
