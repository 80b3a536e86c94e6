# The second signing Region (var.multi_region, docs/multi-region.md): the same function and exposure,
# created there with the provider's per-resource `region` argument, signing with the replica keys (same
# key material, same tz addresses) on the Region's replica of the one MRSC watermark table.
locals {
  multi_region   = var.multi_region != null
  replica_region = local.multi_region ? var.multi_region.replica_region : null

  table_replica_regions = local.multi_region ? [for r in [var.multi_region.replica_region, var.multi_region.third_replica_region] : r if r != null] : []
  table_witness_region  = local.multi_region ? var.multi_region.witness_region : null

  # Replica keys in the order of key_arns, so both functions serve the same pkhs in the same order.
  replica_key_arns = local.multi_region ? [for name in sort(keys(module.kms_key)) : module.kms_key[name].replica_key_arn] : []

  # Built like local.function_arn (the role's policy names the functions before they exist).
  arn_prefix           = "arn:${data.aws_partition.current.partition}"
  replica_function_arn = local.multi_region ? "${local.arn_prefix}:lambda:${local.replica_region}:${data.aws_caller_identity.current.account_id}:function:${local.function_name}" : null
  function_arns        = compact([local.function_arn, local.replica_function_arn])

  # The table's ARN in each signing Region: a replica has the table's name in its own Region.
  table_arns = concat(
    [module.watermark_table.table_arn],
    local.multi_region ? ["${local.arn_prefix}:dynamodb:${local.replica_region}:${data.aws_caller_identity.current.account_id}:table/${module.watermark_table.table_name}"] : [],
  )

  replica_lambda_environment = merge(local.function_environment, {
    SIGNER_KMS_KEY_IDS = join(",", local.replica_key_arns)
  })
}

resource "aws_cloudwatch_log_group" "replica" {
  count = local.multi_region ? 1 : 0

  region            = local.replica_region
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

# The same settings as aws_lambda_function.this (lambda.tf), written out rather than read from it, so
# that nothing in this Region waits on the other one (tests/multi_region.tftest.hcl holds them equal).
resource "aws_lambda_function" "replica" {
  count = local.multi_region ? 1 : 0

  region                         = local.replica_region
  function_name                  = local.function_name
  description                    = "Tezos remote signer for consensus operations, keys in AWS KMS"
  role                           = aws_iam_role.lambda.arn
  runtime                        = var.runtime
  architectures                  = ["arm64"]
  handler                        = "handler.handler"
  filename                       = local.lambda_zip
  source_code_hash               = filebase64sha256(local.lambda_zip)
  memory_size                    = var.lambda_memory_size
  timeout                        = var.lambda_timeout
  reserved_concurrent_executions = var.lambda_reserved_concurrent_executions
  tags                           = var.tags

  environment {
    variables = local.replica_lambda_environment
  }

  logging_config {
    log_format       = "JSON"
    log_group        = aws_cloudwatch_log_group.replica[0].name
    system_log_level = "WARN"
  }

  lifecycle {
    precondition {
      condition     = data.aws_region.current.region == var.multi_region.primary_region
      error_message = "multi_region.primary_region must be the provider's Region, where the primary key, the table and the first signer are created."
    }

    precondition {
      condition     = length(var.existing_keys) == 0
      error_message = "multi_region serves the keys the module creates (multi-Region keys with a replica in replica_region): existing_keys cannot be replicated here."
    }

    precondition {
      condition     = contains(["function_url", "function_url_iam", "http_api"], var.exposure)
      error_message = "multi_region supports exposure = \"function_url\", \"function_url_iam\" or \"http_api\": a private REST API's VPC endpoints are regional."
    }

    precondition {
      condition     = length(var.subnet_ids) == 0
      error_message = "multi_region runs the functions outside a VPC: subnets and security groups are regional."
    }

    precondition {
      condition     = var.table_kms_key_arn == null && var.log_kms_key_arn == null
      error_message = "multi_region uses the AWS managed encryption of each Region: table_kms_key_arn and log_kms_key_arn (regional keys) must be null."
    }
  }

  depends_on = [aws_iam_role_policy.lambda]
}

module "exposure_replica" {
  source = "./modules/exposure"
  count  = local.multi_region ? 1 : 0

  region                       = local.replica_region
  name                         = var.name
  exposure                     = var.exposure
  function_name                = aws_lambda_function.replica[0].function_name
  function_invoke_arn          = aws_lambda_function.replica[0].invoke_arn
  throttling_burst_limit       = var.api_throttling_burst_limit
  throttling_rate_limit        = var.api_throttling_rate_limit
  access_log_retention_in_days = var.log_retention_in_days
  tags                         = var.tags
}
