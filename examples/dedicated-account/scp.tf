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

  # Who may raise a watermark by hand (`tezos-signer watermarks set`, docs/migration.md): the
  # signer role and the named break-glass roles, never anyone else.
  watermark_writer_arns = concat([local.signer_role_arn], var.watermark_admin_role_arns)

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

  # The signer role, used from anywhere but the signer function (a function it was passed to, or
  # its credentials taken elsewhere), may neither sign nor write watermarks. Lambda puts the
  # function's ARN in the role's credentials as lambda:SourceFunctionArn, a key SCPs can test
  # (https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html);
  # ArnNotLike is also true when the key is missing. The module's role policy has the same Deny.
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
      values   = [local.signer_function_arn, "${local.signer_function_arn}:*"]
    }
  }

  # Whoever may pass the signer role can create or reconfigure a Lambda function that runs as the
  # signer. Lambda has no condition key naming the role of CreateFunction or
  # UpdateFunctionConfiguration (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html:
  # their keys are lambda:CodeSigningConfigArn, lambda:Layer, lambda:SecurityGroupIds,
  # lambda:SubnetIds, lambda:VpcIds); both require iam:PassRole on the role they name
  # (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html). Denying
  # iam:PassRole of this role, to every service, is therefore what denies those calls when they
  # name it.
  statement {
    sid       = "DenyPassingTheSignerRoleToAllButAdmins"
    effect    = "Deny"
    actions   = ["iam:PassRole"]
    resources = [local.signer_role_arn]

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.admin_role_arns
    }
  }

  statement {
    sid    = "DenyKeyAdministrationToAllButAdmins"
    effect = "Deny"
    actions = [
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
    resources = local.key_arns

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.admin_role_arns
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
    sid    = "DenyTableAdministrationToAllButAdmins"
    effect = "Deny"
    actions = [
      "dynamodb:DeleteResourcePolicy",
      "dynamodb:DeleteTable",
      "dynamodb:PutResourcePolicy",
      "dynamodb:RestoreTableFromBackup",
      "dynamodb:RestoreTableToPointInTime",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTable",
      "dynamodb:UpdateTimeToLive",
    ]
    resources = [module.signer.table_arn]

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.admin_role_arns
    }
  }

  statement {
    sid    = "DenyFunctionChangesToAllButAdmins"
    effect = "Deny"
    actions = [
      "lambda:AddPermission",
      "lambda:CreateFunctionUrlConfig",
      "lambda:DeleteFunction",
      "lambda:DeleteFunctionConcurrency",
      "lambda:DeleteFunctionUrlConfig",
      "lambda:PublishVersion",
      "lambda:PutFunctionConcurrency",
      "lambda:RemovePermission",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:UpdateFunctionUrlConfig",
    ]
    resources = [local.signer_function_arn]

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = local.admin_role_arns
    }
  }

  # Whoever could change the signer role's trust or policies could sign through it.
  statement {
    sid    = "DenySignerRoleChangesToAllButAdmins"
    effect = "Deny"
    actions = [
      "iam:AttachRolePolicy",
      "iam:DeleteRole",
      "iam:DeleteRolePermissionsBoundary",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = [local.signer_role_arn]

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
  content     = data.aws_iam_policy_document.scp.json

  lifecycle {
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
