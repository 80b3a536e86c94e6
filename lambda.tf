# The committed, deterministic zip of the bundle (docs/interfaces.md): handler.mjs at its root,
# handler "handler.handler". Built by `npm run build` (scripts/zip.mjs), never at plan or apply
# time: a plan saved on one machine applies on another, and terraform needs no Node.
locals {
  lambda_zip = "${path.module}/lambda/dist/handler.zip"
}

resource "aws_cloudwatch_log_group" "lambda" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
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
    variables = local.function_environment
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.lambda.name
    # Lambda's own per-invocation lines (platform.start, platform.report) are INFO and would be most of
    # the log bill (two invocations per signature, docs/cost.md); WARN keeps Lambda's warnings and
    # errors. Duration, Errors and Throttles stay available as free metrics.
    system_log_level = "WARN"
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []

    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  lifecycle {
    precondition {
      condition     = (length(var.subnet_ids) > 0) == (length(var.security_group_ids) > 0)
      error_message = "subnet_ids and security_group_ids go together: set both (function in a VPC) or neither."
    }

    precondition {
      condition     = local.function_url_iam || length(var.function_url_invoker_principal_arns) == 0
      error_message = "function_url_invoker_principal_arns is set but exposure is not \"function_url_iam\": no invoker role would exist, and a public exposure would stay public. Set exposure = \"function_url_iam\" or leave function_url_invoker_principal_arns empty."
    }

    precondition {
      condition     = length(local.key_arns) > 0
      error_message = "The signer needs at least one key: set keys, existing_keys or both."
    }
  }

  depends_on = [
    aws_iam_role_policy.lambda,
    aws_iam_role_policy.vpc,
  ]
}
