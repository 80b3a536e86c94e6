locals {
  # Both Function URL exposures create the URL; only the public one grants `*` anything.
  is_function_url     = contains(["function_url", "function_url_iam"], var.exposure)
  is_public_url       = var.exposure == "function_url"
  is_http_api         = var.exposure == "http_api"
  is_private_rest_api = var.exposure == "private_rest_api"

  create_access_log_group = local.is_http_api || (local.is_private_rest_api && var.rest_api_access_logs_enabled)

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    sourceIp           = "$context.identity.sourceIp"
    requestTime        = "$context.requestTime"
    httpMethod         = "$context.httpMethod"
    path               = "$context.path"
    status             = "$context.status"
    protocol           = "$context.protocol"
    responseLength     = "$context.responseLength"
    responseLatency    = "$context.responseLatency"
    integrationLatency = "$context.integrationLatency"
  })
}

resource "aws_cloudwatch_log_group" "access" {
  count = local.create_access_log_group ? 1 : 0

  region            = var.region
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.access_log_retention_in_days
  kms_key_id        = var.access_log_kms_key_arn
  tags              = var.tags
}
