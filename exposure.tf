module "exposure" {
  source = "./modules/exposure"

  name                         = var.name
  exposure                     = var.exposure
  function_name                = aws_lambda_function.this.function_name
  function_invoke_arn          = aws_lambda_function.this.invoke_arn
  throttling_burst_limit       = var.api_throttling_burst_limit
  throttling_rate_limit        = var.api_throttling_rate_limit
  access_log_retention_in_days = var.log_retention_in_days
  access_log_kms_key_arn       = var.log_kms_key_arn
  rest_api_stage_name          = var.private_api_stage_name
  rest_api_access_logs_enabled = var.rest_api_access_logs_enabled
  vpc_endpoint_ids             = var.private_api_vpc_endpoint_ids
  tags                         = var.tags
}
