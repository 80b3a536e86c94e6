# terraform test of the multi-Region layout (docs/multi-region.md), against the offline hashicorp/aws
# provider: planned and applied with placeholder values, so that what Terraform would send to DynamoDB,
# KMS, IAM and Lambda in each Region can be read back and asserted on.

variables {
  name                = "tf-test-signer"
  authorized_keys     = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
  key_admin_role_arns = ["arn:aws:iam::123456789012:role/terraform"]
  # Applied, then destroyed at the end of the file: a guarded key would refuse (docs/recovery.md).
  consensus_key_guard = false
  multi_region = {
    primary_region = "eu-west-1"
    replica_region = "eu-central-1"
    witness_region = "eu-west-2"
  }
}

provider "aws" {
  region = "eu-west-1"
}

# One apply for every assertion on the deployed layout: the offline apply of ~45 resources is the slow
# part of this file, the refusals below only plan.
run "two_replicas_and_a_witness_one_fence_both_functions" {
  command = apply

  assert {
    condition     = length(module.watermark_table.replicas) == 1 && alltrue([for r in module.watermark_table.replicas : r.consistency_mode == "STRONG"])
    error_message = "Every replica of the watermark table is multi-Region STRONG: an eventually consistent replica would be a regional watermark."
  }

  assert {
    condition     = module.watermark_table.replicas[0].region == "eu-central-1" && module.watermark_table.witness_region == "eu-west-2"
    error_message = "Two replicas (the table's Region and replica_region) and the witness in the third Region."
  }

  assert {
    condition     = startswith(module.watermark_table.replicas[0].arn, "arn:aws:dynamodb:eu-central-1:")
    error_message = "The replica lives in the second signing Region."
  }

  assert {
    condition     = jsondecode(module.kms_key["consensus"].replica_key_policy_json) == jsondecode(module.kms_key["consensus"].key_policy_json)
    error_message = "The replica key's policy is the primary's, statement for statement."
  }

  assert {
    condition = one([
      for s in jsondecode(module.kms_key["consensus"].replica_key_policy_json).Statement : s if s.Effect == "Deny"
      ]) == {
      Sid       = "DenySignToEveryoneElse"
      Effect    = "Deny"
      Action    = "kms:Sign"
      Resource  = "*"
      Principal = { AWS = "*" }
      Condition = { ArnNotEquals = { "aws:PrincipalArn" = aws_iam_role.lambda.arn } }
    }
    error_message = "On the replica too, kms:Sign is denied to every principal but the signer role."
  }

  assert {
    condition = one([
      for s in jsondecode(module.kms_key["consensus"].replica_key_policy_json).Statement : s if s.Sid == "SignerSign"
    ]).Condition == { StringEquals = { "kms:SigningAlgorithm" = "ECDSA_SHA_256", "kms:MessageType" = "DIGEST" } }
    error_message = "On the replica too, the signing algorithm and message type are pinned."
  }

  assert {
    condition     = output.multi_region.replica_key_arns["consensus"] == replace(output.key_arns["consensus"], ":eu-west-1:", ":eu-central-1:") && startswith(split("/", output.key_arns["consensus"])[1], "mrk-")
    error_message = "The replica key is the multi-Region primary key's twin in the second Region (same key id, so the same tz address)."
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables.SIGNER_MULTI_REGION == "true" && aws_lambda_function.replica[0].environment[0].variables.SIGNER_MULTI_REGION == "true"
    error_message = "Both functions know their table is MRSC, so the handler can refuse a regional watermark instead of falling back to one."
  }

  assert {
    condition     = aws_lambda_function.replica[0].environment[0].variables.SIGNER_KMS_KEY_IDS == output.multi_region.replica_key_arns["consensus"] && aws_lambda_function.this.environment[0].variables.SIGNER_KMS_KEY_IDS == output.key_arns["consensus"]
    error_message = "Each function signs with the key of its own Region."
  }

  assert {
    condition     = aws_lambda_function.replica[0].environment[0].variables.SIGNER_TABLE_NAME == aws_lambda_function.this.environment[0].variables.SIGNER_TABLE_NAME
    error_message = "Both functions use the one table (each Region's replica of it)."
  }

  assert {
    condition = (
      { for k, v in aws_lambda_function.replica[0].environment[0].variables : k => v if k != "SIGNER_KMS_KEY_IDS" } ==
      { for k, v in aws_lambda_function.this.environment[0].variables : k => v if k != "SIGNER_KMS_KEY_IDS" }
    )
    error_message = "Apart from the key ids, the two functions are configured alike (authorized keys, chains, metrics)."
  }

  assert {
    condition     = aws_lambda_function.replica[0].region == "eu-central-1" && aws_lambda_function.replica[0].role == aws_iam_role.lambda.arn && aws_lambda_function.replica[0].source_code_hash == aws_lambda_function.this.source_code_hash
    error_message = "The second function runs the same bundle with the same role, in replica_region."
  }

  assert {
    condition = length(distinct([
      for fn in [aws_lambda_function.this, aws_lambda_function.replica[0]] :
      jsonencode([fn.description, fn.runtime, fn.architectures, fn.handler, fn.memory_size, fn.timeout, fn.reserved_concurrent_executions, fn.logging_config[0].log_format, fn.logging_config[0].system_log_level])
    ])) == 1
    error_message = "The second function's settings are the first's (runtime, architecture, handler, memory, timeout, concurrency, logging)."
  }

  assert {
    condition     = length(output.multi_region.signer_urls) == 2 && strcontains(output.multi_region.signer_urls["eu-central-1"], ".eu-central-1.")
    error_message = "A signer URL in each signing Region."
  }

  assert {
    condition = one([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : s if s.Effect == "Deny"
      ]).Condition == { ArnNotLike = { "lambda:SourceFunctionArn" = [
        aws_lambda_function.this.arn, "${aws_lambda_function.this.arn}:*", aws_lambda_function.replica[0].arn, "${aws_lambda_function.replica[0].arn}:*",
    ] } }
    error_message = "The Deny outside the signer functions names both functions (and nothing else)."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : s if s.Effect == "Deny"
    ]).Resource) == toset([output.key_arns["consensus"], output.multi_region.replica_key_arns["consensus"], output.table_arn, replace(output.table_arn, ":eu-west-1:", ":eu-central-1:")])
    error_message = "The Deny covers both keys and the table in both signing Regions."
  }

  assert {
    condition = sort(distinct(flatten([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : flatten([s.Action]) if s.Effect == "Allow"
    ]))) == sort(["kms:Sign", "kms:GetPublicKey", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DescribeTable", "logs:CreateLogStream", "logs:PutLogEvents"])
    error_message = "Multi-Region adds exactly dynamodb:DescribeTable (the handler's MRSC check)."
  }

  assert {
    condition = toset(flatten([one([
      for s in jsondecode(data.aws_iam_policy_document.lambda.json).Statement : s if s.Sid == "KmsSignEcdsaSha256Digest"
    ]).Resource])) == toset([output.key_arns["consensus"], output.multi_region.replica_key_arns["consensus"]])
    error_message = "kms:Sign on the key and its replica, with the algorithm pinned."
  }
}

run "regions_outside_one_mrsc_set_are_refused" {
  command = plan

  variables {
    multi_region = {
      primary_region = "eu-west-1"
      replica_region = "us-east-1"
      witness_region = "eu-west-2"
    }
  }

  expect_failures = [var.multi_region]
}

run "the_same_region_twice_is_refused" {
  command = plan

  variables {
    multi_region = {
      primary_region = "eu-west-1"
      replica_region = "eu-west-1"
      witness_region = "eu-west-2"
    }
  }

  expect_failures = [var.multi_region]
}

run "a_third_region_is_required" {
  command = plan

  variables {
    multi_region = {
      primary_region = "eu-west-1"
      replica_region = "eu-central-1"
    }
  }

  expect_failures = [var.multi_region]
}

run "witness_and_third_replica_together_are_refused" {
  command = plan

  variables {
    multi_region = {
      primary_region       = "us-east-1"
      replica_region       = "us-east-2"
      witness_region       = "us-west-2"
      third_replica_region = "us-west-2"
    }
  }

  expect_failures = [var.multi_region]
}

run "primary_region_must_be_the_provider_region" {
  command = plan

  variables {
    multi_region = {
      primary_region = "eu-west-3"
      replica_region = "eu-central-1"
      witness_region = "eu-west-2"
    }
  }

  expect_failures = [aws_lambda_function.replica]
}

run "existing_keys_cannot_be_replicated" {
  command = plan

  variables {
    existing_keys = {
      adopted = { arn = "arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab", key_spec = "ECC_SECG_P256K1" }
    }
  }

  expect_failures = [aws_lambda_function.replica]
}

run "single_region_is_unchanged" {
  command = plan

  variables {
    multi_region = null
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables.SIGNER_MULTI_REGION == "false" && length(aws_lambda_function.replica) == 0 && length(module.watermark_table.replicas) == 0 && module.watermark_table.witness_region == null
    error_message = "Without multi_region: one function, a regional table, SIGNER_MULTI_REGION false (tests/signer.tftest.hcl holds the role's exact actions)."
  }

  assert {
    condition     = output.multi_region == null && length(module.exposure_replica) == 0 && alltrue([for k in module.kms_key : k.replica_key_arn == null])
    error_message = "Without multi_region: no second exposure, no replica key."
  }
}

# exposure = "function_url_iam" in both Regions: one invoker role (IAM is global) for both Function
# URLs, each with authorization AWS_IAM.
run "function_url_iam_one_invoker_role_for_both_regions" {
  command = plan

  variables {
    exposure                            = "function_url_iam"
    function_url_invoker_principal_arns = ["arn:aws:iam::123456789012:role/baker-host"]
  }

  assert {
    condition     = length(aws_iam_role.url_invoker) == 1
    error_message = "One invoker role for both Regions."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.url_invoker[0].json).Statement :
      toset(flatten([s.Resource])) == toset(local.function_arns) && length(local.function_arns) == 2
    ])
    error_message = "The invoker role may invoke exactly the two signer functions, one per Region."
  }

  assert {
    condition     = module.exposure.authorization_type == "AWS_IAM" && module.exposure_replica[0].authorization_type == "AWS_IAM"
    error_message = "Both Regions' Function URLs require AWS_IAM."
  }
}
