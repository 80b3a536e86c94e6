# terraform test, run by `npm run tf:check` against the offline hashicorp/aws provider: every resource
# is planned and applied with placeholder values (no AWS), so the policies Terraform renders can be
# read back and asserted on, as they would reach IAM and KMS.

variables {
  name                = "tf-test-signer"
  authorized_keys     = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
  key_admin_role_arns = ["arn:aws:iam::123456789012:role/terraform"]
  # The applied runs are destroyed at the end of the file: a guarded key would refuse (docs/recovery.md).
  consensus_key_guard = false
}

provider "aws" {
  region = "eu-west-1"
}

run "lambda_identity_policy_grants_exactly_the_signer_calls" {
  command = apply

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement :
      alltrue([for a in flatten([s.Action]) : length(regexall("\\*", a)) == 0])
    ])
    error_message = "The signer role's policy must name every action: no wildcard."
  }

  assert {
    condition = sort(distinct(flatten([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : flatten([s.Action]) if s.Effect == "Allow"
    ]))) == sort(["kms:Sign", "kms:GetPublicKey", "dynamodb:GetItem", "dynamodb:PutItem", "logs:CreateLogStream", "logs:PutLogEvents"])
    error_message = "The signer role may call exactly kms:Sign, kms:GetPublicKey, dynamodb:GetItem/PutItem and the log calls (DescribeTable only with multi_region)."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : !contains(flatten([s.Resource]), "*")
    ])
    error_message = "Every statement of the signer role names its resources."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : s if s.Effect == "Deny"
      ]) == {
      Sid      = "DenyOutsideTheSignerFunction"
      Effect   = "Deny"
      Action   = ["kms:Sign", "dynamodb:PutItem"]
      Resource = [output.key_arns["consensus"], output.table_arn]
      Condition = { ArnNotLike = { "lambda:SourceFunctionArn" = [
        aws_lambda_function.this.arn, "${aws_lambda_function.this.arn}:*"
      ] } }
    }
    error_message = "The role's credentials sign and write watermarks only inside the signer function (issue 9: the role cannot be borrowed)."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : s if s.Action == "kms:Sign" && s.Effect == "Allow"
    ]).Condition == { StringEquals = { "kms:SigningAlgorithm" = "ECDSA_SHA_256", "kms:MessageType" = "DIGEST" } }
    error_message = "kms:Sign is pinned to the algorithm and message type of the default secp256k1 key."
  }

  assert {
    condition     = jsondecode(aws_iam_role.lambda.assume_role_policy).Statement[0].Principal == { Service = "lambda.amazonaws.com" }
    error_message = "Only Lambda assumes the signer role."
  }
}

run "lambda_environment_is_the_handler_contract" {
  command = apply

  variables {
    allowed_chain_ids = ["NetXdQprcVkpaWU"]
  }

  assert {
    condition     = toset(keys(aws_lambda_function.this.environment[0].variables)) == toset(["SIGNER_KMS_KEY_IDS", "SIGNER_TABLE_NAME", "SIGNER_AUTHORIZED_KEYS", "SIGNER_ALLOWED_CHAIN_IDS", "SIGNER_METRICS_NAMESPACE", "SIGNER_MULTI_REGION"])
    error_message = "The Lambda environment must be exactly the variables docs/interfaces.md lists."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables.SIGNER_AUTHORIZED_KEYS == "sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"
    error_message = "SIGNER_AUTHORIZED_KEYS carries the authorized keys."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables.SIGNER_KMS_KEY_IDS == output.key_arns["consensus"]
    error_message = "SIGNER_KMS_KEY_IDS names the key the module created."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables.SIGNER_ALLOWED_CHAIN_IDS == "NetXdQprcVkpaWU"
    error_message = "SIGNER_ALLOWED_CHAIN_IDS carries the chain allow-list."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables.SIGNER_MULTI_REGION == "false"
    error_message = "A single-region deployment does not ask the signer for the MRSC check."
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs24.x" && aws_lambda_function.this.handler == "handler.handler"
    error_message = "The function runs the bundle's handler on Node 24 by default."
  }
}

run "a_key_admin_cannot_be_a_wildcard" {
  command = plan

  variables {
    key_admin_role_arns = ["*"]
  }

  expect_failures = [var.key_admin_role_arns]
}

run "runtime_nodejs22_is_still_allowed" {
  command = plan

  variables {
    runtime = "nodejs22.x"
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x"
    error_message = "runtime = \"nodejs22.x\" reaches the function."
  }
}

run "a_runtime_the_bundle_is_not_built_for_is_refused" {
  command = plan

  variables {
    runtime = "nodejs20.x"
  }

  expect_failures = [var.runtime]
}
