# API Gateway REST API of type PRIVATE: reachable only through the execute-api interface VPC
# endpoints listed in var.vpc_endpoint_ids. Proxy integration (AWS_PROXY, payload format 1.0) on the
# root and on {proxy+}; the handler accepts the stage prefix before /keys.
resource "aws_api_gateway_rest_api" "this" {
  count = local.is_private_rest_api ? 1 : 0

  region      = var.region
  name        = var.name
  description = "Tezos remote signer (private)"
  tags        = var.tags

  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = var.vpc_endpoint_ids
  }

  lifecycle {
    precondition {
      condition     = length(var.vpc_endpoint_ids) > 0
      error_message = "exposure = \"private_rest_api\" needs at least one execute-api VPC endpoint id in vpc_endpoint_ids."
    }
  }
}

data "aws_iam_policy_document" "private_api" {
  count = local.is_private_rest_api ? 1 : 0

  statement {
    sid       = "AllowInvokeThroughVpcEndpoints"
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this[0].execution_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = var.vpc_endpoint_ids
    }
  }

  statement {
    sid       = "DenyInvokeFromAnywhereElse"
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this[0].execution_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = var.vpc_endpoint_ids
    }
  }
}

resource "aws_api_gateway_rest_api_policy" "this" {
  count = local.is_private_rest_api ? 1 : 0

  region      = var.region
  rest_api_id = aws_api_gateway_rest_api.this[0].id
  policy      = data.aws_iam_policy_document.private_api[0].json
}

resource "aws_api_gateway_resource" "proxy" {
  count = local.is_private_rest_api ? 1 : 0

  region      = var.region
  rest_api_id = aws_api_gateway_rest_api.this[0].id
  parent_id   = aws_api_gateway_rest_api.this[0].root_resource_id
  path_part   = "{proxy+}"
}

resource "aws_api_gateway_method" "root" {
  count = local.is_private_rest_api ? 1 : 0

  region        = var.region
  rest_api_id   = aws_api_gateway_rest_api.this[0].id
  resource_id   = aws_api_gateway_rest_api.this[0].root_resource_id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "proxy" {
  count = local.is_private_rest_api ? 1 : 0

  region        = var.region
  rest_api_id   = aws_api_gateway_rest_api.this[0].id
  resource_id   = aws_api_gateway_resource.proxy[0].id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "root" {
  count = local.is_private_rest_api ? 1 : 0

  region                  = var.region
  rest_api_id             = aws_api_gateway_rest_api.this[0].id
  resource_id             = aws_api_gateway_rest_api.this[0].root_resource_id
  http_method             = aws_api_gateway_method.root[0].http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = var.function_invoke_arn
}

resource "aws_api_gateway_integration" "proxy" {
  count = local.is_private_rest_api ? 1 : 0

  region                  = var.region
  rest_api_id             = aws_api_gateway_rest_api.this[0].id
  resource_id             = aws_api_gateway_resource.proxy[0].id
  http_method             = aws_api_gateway_method.proxy[0].http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = var.function_invoke_arn
}

resource "aws_api_gateway_deployment" "this" {
  count = local.is_private_rest_api ? 1 : 0

  region      = var.region
  rest_api_id = aws_api_gateway_rest_api.this[0].id

  # Redeploy when the API's shape or its resource policy changes.
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.proxy[0].id,
      aws_api_gateway_method.root[0].id,
      aws_api_gateway_method.proxy[0].id,
      aws_api_gateway_integration.root[0].id,
      aws_api_gateway_integration.proxy[0].id,
      aws_api_gateway_rest_api_policy.this[0].policy,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.root,
    aws_api_gateway_integration.proxy,
    aws_api_gateway_rest_api_policy.this,
  ]
}

resource "aws_api_gateway_stage" "this" {
  count = local.is_private_rest_api ? 1 : 0

  region        = var.region
  rest_api_id   = aws_api_gateway_rest_api.this[0].id
  deployment_id = aws_api_gateway_deployment.this[0].id
  stage_name    = var.rest_api_stage_name
  tags          = var.tags

  dynamic "access_log_settings" {
    for_each = var.rest_api_access_logs_enabled ? [aws_cloudwatch_log_group.access[0].arn] : []

    content {
      destination_arn = access_log_settings.value
      format          = local.access_log_format
    }
  }
}

resource "aws_api_gateway_method_settings" "this" {
  count = local.is_private_rest_api ? 1 : 0

  region      = var.region
  rest_api_id = aws_api_gateway_rest_api.this[0].id
  stage_name  = aws_api_gateway_stage.this[0].stage_name
  method_path = "*/*"

  settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
    metrics_enabled        = true
    logging_level          = "OFF"
  }
}

resource "aws_lambda_permission" "rest_api" {
  count = local.is_private_rest_api ? 1 : 0

  region        = var.region
  statement_id  = "TezosSignerPrivateRestApi"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this[0].execution_arn}/*"
}
