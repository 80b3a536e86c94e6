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
      for s in jsondecode(aws_organizations_policy.signer.content).Statement : s
      if s.Sid == "DenyPassingTheSignerRoleToAllButAdmins"
      ]) == {
      Sid       = "DenyPassingTheSignerRoleToAllButAdmins"
      Effect    = "Deny"
      Action    = "iam:PassRole"
      Resource  = module.signer.lambda_role_arn
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole" } }
    }
    error_message = "Nobody but the admins may pass the signer role to a function (issue 9: the role cannot be borrowed)."
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
      if s.Sid == "DenyKeyAdministrationToAllButAdmins"
    ])]), module.signer.lambda_role_arn)
    error_message = "The signer role is not a key administrator."
  }
}
