locals {
  # Signing parameters KMS accepts for each key spec, as the handler uses them (docs/interfaces.md).
  signing_parameters = {
    ECC_SECG_P256K1       = { algorithm = "ECDSA_SHA_256", message_type = "DIGEST" }
    ECC_NIST_P256         = { algorithm = "ECDSA_SHA_256", message_type = "DIGEST" }
    ECC_NIST_EDWARDS25519 = { algorithm = "ED25519_SHA_512", message_type = "RAW" }
  }

  signing_algorithm = local.signing_parameters[var.key_spec].algorithm
  message_type      = local.signing_parameters[var.key_spec].message_type

  # The accounts of the admin roles, as key policy principals (arn:<partition>:iam::<account>:root).
  admin_accounts = distinct([for arn in var.admin_role_arns : "${join(":", slice(split(":", arn), 0, 5))}:root"])

  # Administration only: no kms:Sign, no kms:CreateGrant, no wildcard.
  admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:GetPublicKey",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  # With a replica only: ReplicateKey must be allowed by the primary key's own policy to the role that
  # creates the replica (KMS API reference, ReplicateKey, "Required permissions"; this policy has no
  # account statement to inherit it from), and UpdatePrimaryRegion lets the admins move the primary to
  # the replica's Region if the primary's is lost. Neither signs.
  replication_actions = [
    "kms:ReplicateKey",
    "kms:UpdatePrimaryRegion",
  ]
}

# In a key policy, Resource "*" means "this key".
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "KeyAdministration"
    effect    = "Allow"
    actions   = concat(local.admin_actions, var.replica_region == null ? [] : local.replication_actions)
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = var.admin_role_arns
    }
  }

  # Break-glass: the same administration, to whoever holds an admin role ARN by name, granted through
  # the account's IAM policies. A role named in Principal is stored by KMS as its unique id: once the
  # role is deleted, that statement matches nobody, even a role recreated with the same name, and only
  # AWS Support could unlock the key. Here the principal is the account and aws:PrincipalArn (the
  # role's ARN, not its id) names the roles, so recreating a role at an admin ARN, with an IAM policy
  # allowing these actions, restores administration. Never kms:Sign or kms:CreateGrant: no IAM policy
  # can ever grant those on the key (docs/security.md, "Break-glass key administration").
  statement {
    sid       = "KeyAdministrationByRoleArn"
    effect    = "Allow"
    actions   = concat(local.admin_actions, var.replica_region == null ? [] : local.replication_actions)
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = local.admin_accounts
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = var.admin_role_arns
    }
  }

  statement {
    sid       = "SignerGetPublicKey"
    effect    = "Allow"
    actions   = ["kms:GetPublicKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = var.signer_role_arns
    }
  }

  statement {
    sid       = "SignerSign"
    effect    = "Allow"
    actions   = ["kms:Sign"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = var.signer_role_arns
    }

    condition {
      test     = "StringEquals"
      variable = "kms:SigningAlgorithm"
      values   = [local.signing_algorithm]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:MessageType"
      values   = [local.message_type]
    }
  }

  statement {
    sid       = "DenySignToEveryoneElse"
    effect    = "Deny"
    actions   = ["kms:Sign"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = var.signer_role_arns
    }
  }
}

# A multi-Region primary key only with a replica: its key material can then be copied to another
# Region, which a single-Region key's never can (and a key cannot change kind after creation).
resource "aws_kms_key" "this" {
  description              = var.description
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = var.key_spec
  enable_key_rotation      = false
  deletion_window_in_days  = var.deletion_window_in_days
  is_enabled               = true
  multi_region             = var.replica_region != null
  policy                   = data.aws_iam_policy_document.this.json
  tags                     = var.tags

  lifecycle {
    precondition {
      condition     = length(setintersection(var.admin_role_arns, var.signer_role_arns)) == 0
      error_message = "A signer role must not administer its key: an admin could rewrite the key policy, and the signer's code would then hold both powers."
    }
  }
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias_name}"
  target_key_id = aws_kms_key.this.key_id
}

# The same key material in the second signing Region, so the same tz address, under the same key
# policy: the replica's own policy, which KMS does not copy from the primary, carries the same fence
# (only the signer roles sign, algorithm and message type pinned, kms:Sign denied to everyone else).
resource "aws_kms_replica_key" "this" {
  count = var.replica_region == null ? 0 : 1

  region                  = var.replica_region
  primary_key_arn         = aws_kms_key.this.arn
  description             = var.description
  deletion_window_in_days = var.deletion_window_in_days
  enabled                 = true
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "replica" {
  count = var.replica_region == null ? 0 : 1

  region        = var.replica_region
  name          = "alias/${var.alias_name}"
  target_key_id = aws_kms_replica_key.this[0].key_id
}
