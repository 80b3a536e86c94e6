# The key policy as the provider renders it (offline provider, `npm run tf:check`): only the signer
# role signs, with the algorithm pinned; the admins administer and cannot sign.

variables {
  alias_name       = "tf-test-consensus"
  description      = "tf test key"
  key_spec         = "ECC_SECG_P256K1"
  signer_role_arns = ["arn:aws:iam::123456789012:role/tf-test-signer-lambda"]
  admin_role_arns  = ["arn:aws:iam::123456789012:role/terraform"]
  # One run applies, and the file destroys what it applied: a guarded key would refuse (guard.tf).
  guard = false
}

run "only_the_signer_role_may_sign" {
  command = plan

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : s if s.Effect == "Deny"
      ]) == {
      Sid       = "DenySignToEveryoneElse"
      Effect    = "Deny"
      Action    = "kms:Sign"
      Resource  = "*"
      Principal = { AWS = "*" }
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/tf-test-signer-lambda" } }
    }
    error_message = "The key policy must deny kms:Sign to every principal but the signer role."
  }

  assert {
    condition = [
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : s.Principal
      if s.Effect == "Allow" && contains(flatten([s.Action]), "kms:Sign")
    ] == [{ AWS = "arn:aws:iam::123456789012:role/tf-test-signer-lambda" }]
    error_message = "Only the signer role is allowed kms:Sign."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : s.Condition if s.Sid == "SignerSign"
    ]) == { StringEquals = { "kms:SigningAlgorithm" = "ECDSA_SHA_256", "kms:MessageType" = "DIGEST" } }
    error_message = "kms:Sign is pinned to ECDSA_SHA_256 over a digest for a secp256k1 key."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement :
      !contains(flatten([s.Action]), "kms:Sign") && !contains(flatten([s.Action]), "kms:CreateGrant") && alltrue([for a in flatten([s.Action]) : length(regexall("\\*", a)) == 0])
      if s.Sid == "KeyAdministration"
    ])
    error_message = "The admins can neither sign nor grant, and get no wildcard action."
  }

  assert {
    condition     = aws_kms_key.this.key_usage == "SIGN_VERIFY" && aws_kms_key.this.customer_master_key_spec == "ECC_SECG_P256K1" && aws_kms_key.this.enable_key_rotation == false
    error_message = "A signing key of the requested spec, without rotation (an asymmetric key cannot rotate)."
  }
}

run "ed25519_signs_raw_messages" {
  command = plan

  variables {
    key_spec = "ECC_NIST_EDWARDS25519"
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : s.Condition if s.Sid == "SignerSign"
    ]) == { StringEquals = { "kms:SigningAlgorithm" = "ED25519_SHA_512", "kms:MessageType" = "RAW" } }
    error_message = "An Ed25519 key signs with ED25519_SHA_512 over the raw 32-byte digest."
  }
}

# Issue 19: once every admin role is deleted, a role recreated at an admin ARN can still administer
# the key (the account is the principal, aws:PrincipalArn names the roles), and no IAM policy can
# ever grant kms:Sign or kms:CreateGrant through the key policy.
run "break_glass_administration_by_role_arn_never_signs" {
  command = plan

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : {
        principal = s.Principal
        condition = s.Condition
        actions   = toset(flatten([s.Action]))
      } if s.Sid == "KeyAdministrationByRoleArn"
      ]) == {
      principal = { AWS = "arn:aws:iam::123456789012:root" }
      condition = { ArnEquals = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/terraform" } }
      actions   = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : s.Action if s.Sid == "KeyAdministration"]))
    }
    error_message = "The break-glass statement delegates exactly the administration actions to the account, for the admin role ARNs only."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.this.json).Statement :
      !contains(flatten([s.Action]), "kms:Sign") && !contains(flatten([s.Action]), "kms:CreateGrant")
      if s.Effect == "Allow" && can(regex(":root$", jsonencode(s.Principal)))
    ])
    error_message = "No statement whose principal is an account (IAM delegation) allows kms:Sign or kms:CreateGrant."
  }
}

run "a_signer_role_cannot_administer_its_key" {
  command = plan

  variables {
    admin_role_arns = ["arn:aws:iam::123456789012:role/terraform", "arn:aws:iam::123456789012:role/tf-test-signer-lambda"]
  }

  expect_failures = [aws_kms_key.this]
}

run "a_replica_key_is_the_multi_region_twin_under_the_same_policy" {
  command = apply

  variables {
    replica_region = "eu-central-1"
  }

  assert {
    condition     = aws_kms_key.this.multi_region && aws_kms_replica_key.this[0].primary_key_arn == aws_kms_key.this.arn && aws_kms_replica_key.this[0].region == "eu-central-1"
    error_message = "With replica_region the key is a multi-Region primary key and its replica lives in that Region."
  }

  assert {
    condition = toset([
      for a in flatten([one([for s in jsondecode(data.aws_iam_policy_document.this.json).Statement : s if s.Sid == "KeyAdministration"]).Action]) : a
      if contains(["kms:ReplicateKey", "kms:UpdatePrimaryRegion"], a)
    ]) == toset(["kms:ReplicateKey", "kms:UpdatePrimaryRegion"])
    error_message = "The admins (the role running Terraform among them) may replicate the key and move its primary Region: KMS requires kms:ReplicateKey in the primary key's policy."
  }

  assert {
    condition     = aws_kms_replica_key.this[0].policy == data.aws_iam_policy_document.this.json
    error_message = "The replica key carries the primary's key policy (KMS does not copy it): the same signer-only fence."
  }

  assert {
    condition     = aws_kms_alias.replica[0].name == aws_kms_alias.this.name && aws_kms_alias.replica[0].region == "eu-central-1"
    error_message = "The replica has the same alias in its Region."
  }
}

run "without_replica_region_a_single_region_key" {
  command = plan

  assert {
    condition     = aws_kms_key.this.multi_region == false && length(aws_kms_replica_key.this) == 0 && !strcontains(data.aws_iam_policy_document.this.json, "kms:ReplicateKey")
    error_message = "By default the key is single-Region, as before: no replica, no replication permission."
  }
}
