# The default provider works in the organization's management account.
provider "aws" {
  region = var.region
}

data "aws_partition" "current" {}

resource "aws_organizations_account" "signer" {
  count = var.existing_account_id == null ? 1 : 0

  name              = var.account_name
  email             = var.account_email
  parent_id         = var.account_parent_id
  role_name         = var.account_access_role_name
  close_on_deletion = false

  lifecycle {
    # Organizations does not return role_name: ignore it after creation, as the provider advises.
    ignore_changes = [role_name]

    precondition {
      condition     = var.account_email != null
      error_message = "account_email is required to create the signer account (or set existing_account_id)."
    }
  }
}

locals {
  account_id      = coalesce(var.existing_account_id, one(aws_organizations_account.signer[*].id))
  access_role_arn = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:role/${var.account_access_role_name}"
  admin_role_arns = concat([local.access_role_arn], var.extra_key_admin_role_arns)
}

# Works in the signer account. With a new account, its id is unknown until the account exists:
# apply in two steps, `terraform apply -target=aws_organizations_account.signer` first.
provider "aws" {
  alias  = "signer"
  region = var.region

  assume_role {
    role_arn     = local.access_role_arn
    session_name = "terraform-tezos-signer"
  }
}

module "signer" {
  source = "../../"

  providers = {
    aws = aws.signer
  }

  name                              = var.name
  authorized_keys                   = var.authorized_keys
  allowed_chain_ids                 = var.allowed_chain_ids
  key_admin_role_arns               = local.admin_role_arns
  key_deletion_window_in_days       = var.key_deletion_window_in_days
  table_deletion_protection_enabled = var.table_deletion_protection_enabled
  exposure                          = "function_url"

  tags = {
    Project = "tezos-signer"
  }
}

################################################################################
# Service control policy on the signer account
################################################################################
# SCPs bind every IAM principal of the member account (not the management account, not service
# principals, not the anonymous callers of the Function URL). Each statement spares the principals
# that need the action: the signer role for signing and watermarks, the admin roles (Terraform) for
# administration. Nothing here denies the signer role what docs/interfaces.md says it calls.

locals {
  signer_role_arn = module.signer.lambda_role_arn
  key_arns        = values(module.signer.key_arns)
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

  statement {
    sid    = "DenyWatermarkItemsToAllButTheSigner"
    effect = "Deny"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:PartiQLDelete",
      "dynamodb:PartiQLInsert",
      "dynamodb:PartiQLUpdate",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
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
    resources = [module.signer.lambda_function_arn]

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
  description = "Only the Tezos signer signs with its keys and writes its watermarks; only its admin roles change it."
  type        = "SERVICE_CONTROL_POLICY"
  content     = data.aws_iam_policy_document.scp.json
}

resource "aws_organizations_policy_attachment" "signer" {
  policy_id = aws_organizations_policy.signer.id
  target_id = local.account_id
}
