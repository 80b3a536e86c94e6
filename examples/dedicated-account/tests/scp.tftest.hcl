# The service control policy of the signer account, as Terraform renders it and Organizations would
# receive it (offline provider: applied with placeholder ARNs, `npm run tf:check`).

variables {
  existing_account_id       = "210987654321"
  authorized_keys           = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
  watermark_admin_role_arns = ["arn:aws:iam::210987654321:role/watermark-break-glass"]
  # Applied, then destroyed at the end of the file: a guarded key would refuse (docs/recovery.md).
  consensus_key_guard = false
}

run "scp_fences_the_signer" {
  command = apply

  assert {
    condition     = aws_organizations_policy.signer.type == "SERVICE_CONTROL_POLICY" && aws_organizations_policy_attachment.signer.target_id == "210987654321"
    error_message = "The SCP is attached to the signer account."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Effect == "Deny"
    ])
    error_message = "The SCP only denies: it can never widen what IAM allows."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Condition
      if s.Sid == "DenyAdministrationToAllButAdmins"
    ]) == { ArnNotEquals = { "aws:PrincipalArn" = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole" } }
    error_message = "Administration (passing the signer role, key, table, function and role changes) is spared for the admins only."
  }

  assert {
    condition = length(setsubtract(
      ["iam:PassRole", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "dynamodb:DeleteTable", "dynamodb:RestoreTableToPointInTime", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:AddPermission", "lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig", "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:PublishVersion", "lambda:PutFunctionEventInvokeConfig", "lambda:PutRuntimeManagementConfig", "lambda:PutResourcePolicy", "iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"],
      flatten([for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Action if s.Sid == "DenyAdministrationToAllButAdmins"]),
    )) == 0
    error_message = "Every action that passes the signer role or changes the key, the table, what the function runs, who may invoke it, or a privileged role is denied to all but the admins (issue 16, point 2)."
  }

  assert {
    condition = length(setsubtract(
      [module.signer.lambda_role_arn, module.signer.lambda_function_arn, "${module.signer.lambda_function_arn}:*", module.signer.table_arn, "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole", "arn:aws:iam::210987654321:role/watermark-break-glass"],
      flatten([for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Resource if s.Sid == "DenyAdministrationToAllButAdmins"]),
    )) == 0
    error_message = "The administration fence covers the function and its versions and aliases (function:NAME:*), the table, the signer, admin and break-glass roles."
  }

  assert {
    condition     = aws_organizations_policy.signer.content == data.aws_iam_policy_document.scp.minified_json && length(regexall("\\s", aws_organizations_policy.signer.content)) == 0 && length(aws_organizations_policy.signer.content) <= 5120
    error_message = "The SCP is sent minified (whitespace counts towards the 5,120-character limit) and fits."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Condition
      if s.Sid == "DenySigningToAllButTheSigner"
    ]) == { ArnNotEquals = { "aws:PrincipalArn" = module.signer.lambda_role_arn } }
    error_message = "kms:Sign on the keys is denied to every principal but the signer role."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Condition["ArnNotLike"]["lambda:SourceFunctionArn"]
      if s.Sid == "DenySignerRoleOutsideTheSignerFunction"
    ]) == [module.signer.lambda_function_arn, "${module.signer.lambda_function_arn}:*"]
    error_message = "The signer role signs and writes watermarks only from the signer function."
  }

  assert {
    condition = toset(flatten([one([
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Condition["ArnNotEquals"]["aws:PrincipalArn"]
      if s.Sid == "DenyWatermarkWritesToAllButTheSignerAndBreakGlass"
    ])])) == toset([module.signer.lambda_role_arn, "arn:aws:iam::210987654321:role/watermark-break-glass"])
    error_message = "Watermark writes are spared for the signer and the named break-glass role only (issue 9, point 7)."
  }

  assert {
    condition = !contains(flatten([one([
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s.Condition["ArnNotEquals"]["aws:PrincipalArn"]
      if s.Sid == "DenyAdministrationToAllButAdmins"
    ])]), module.signer.lambda_role_arn)
    error_message = "The signer role is not a key administrator."
  }
}

# Issue 19: Organizations refuses an SCP over 5,120 characters. With the longest names the variables
# allow (a 40-character name, 64-character role names, an extra admin and a break-glass role) it
# fits; past the limit the plan stops with a clear error instead of a failed CreatePolicy.
run "scp_fits_with_the_longest_names" {
  command = apply
  # Its own state: another Region in the same state would keep the first run's topic, in its Region.
  state_key = "longest_names"

  variables {
    name                      = "a234567890123456789012345678901234567890"
    region                    = "ap-southeast-4"
    account_access_role_name  = "R234567890123456789012345678901234567890123456789012345678901234"
    extra_key_admin_role_arns = ["arn:aws:iam::210987654321:role/E234567890123456789012345678901234567890123456789012345678901234"]
    watermark_admin_role_arns = ["arn:aws:iam::210987654321:role/W234567890123456789012345678901234567890123456789012345678901234"]
  }

  assert {
    condition     = length(aws_organizations_policy.signer.content) <= 5120
    error_message = "The SCP fits the 5,120-character limit with the longest names."
  }
}

run "scp_over_the_limit_is_refused_at_plan" {
  command = plan

  variables {
    extra_key_admin_role_arns = [for i in range(24) : "arn:aws:iam::210987654321:role/admin-${i}-${join("", [for j in range(40) : "x"])}"]
  }

  expect_failures = [aws_organizations_policy.signer]
}
