module "monitoring" {
  source = "./modules/monitoring"
  count  = var.monitoring_enabled ? 1 : 0

  name                          = var.name
  function_name                 = aws_lambda_function.this.function_name
  function_arn                  = aws_lambda_function.this.arn
  signer_role_arn               = aws_iam_role.lambda.arn
  key_arns                      = local.key_arns
  table_name                    = module.watermark_table.table_name
  table_arn                     = module.watermark_table.table_arn
  metrics_namespace             = var.metrics_namespace
  alarm_sns_topic_arn           = var.alarm_sns_topic_arn
  alarm_actions_enabled         = var.alarm_actions_enabled
  alarm_period_seconds          = var.alarm_period_seconds
  auth_failures_threshold       = var.auth_failures_threshold
  watermark_refusals_threshold  = var.watermark_refusals_threshold
  handler_errors_threshold      = var.handler_errors_threshold
  lambda_errors_threshold       = var.lambda_errors_threshold
  lambda_throttles_threshold    = var.lambda_throttles_threshold
  no_signature_alarm_enabled    = var.no_signature_alarm_enabled
  no_signature_minutes          = var.no_signature_minutes
  cloudtrail_rules_enabled      = var.cloudtrail_rules_enabled
  create_trail                  = var.create_trail
  table_data_event_rule_enabled = var.table_data_event_rule_enabled
  dashboard_enabled             = var.dashboard_enabled
  role_permissions_boundary_arn = var.role_permissions_boundary_arn
  tags                          = var.tags
}

# A topic given without alarm_actions_enabled would receive nothing: warn, without failing the run
# (the topic ARN may only be known at apply time).
check "alarm_wiring" {
  assert {
    condition     = var.alarm_actions_enabled || var.alarm_sns_topic_arn == null
    error_message = "alarm_sns_topic_arn is set but alarm_actions_enabled is false: no alarm or security event reaches the topic."
  }
}
