# API Gateway HTTP API, payload format 2.0, one $default route to the signer (the handler routes).
resource "aws_apigatewayv2_api" "this" {
  count = local.is_http_api ? 1 : 0

  region        = var.region
  name          = var.name
  description   = "Tezos remote signer"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  count = local.is_http_api ? 1 : 0

  region                 = var.region
  api_id                 = aws_apigatewayv2_api.this[0].id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.function_invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "default" {
  count = local.is_http_api ? 1 : 0

  region             = var.region
  api_id             = aws_apigatewayv2_api.this[0].id
  route_key          = "$default"
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.this[0].id}"
}

resource "aws_apigatewayv2_stage" "this" {
  count = local.is_http_api ? 1 : 0

  region      = var.region
  api_id      = aws_apigatewayv2_api.this[0].id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_burst_limit   = var.throttling_burst_limit
    throttling_rate_limit    = var.throttling_rate_limit
    detailed_metrics_enabled = true
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access[0].arn
    format          = local.access_log_format
  }
}

resource "aws_lambda_permission" "http_api" {
  count = local.is_http_api ? 1 : 0

  region        = var.region
  statement_id  = "TezosSignerHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this[0].execution_arn}/*"
}
