module "monitoring" {
  source = "./modules/monitoring"
  count  = var.monitoring_enabled ? 1 : 0

  name                         = var.name
  function_name                = aws_lambda_function.this.function_name
  function_arn                 = aws_lambda_function.this.arn
  signer_role_arn              = aws_iam_role.lambda.arn
  key_arns                     = local.key_arns
  table_name                   = module.watermark_table.table_name
  table_arn                    = module.watermark_table.table_arn
  metrics_namespace            = var.metrics_namespace
  alarm_sns_topic_arn          = var.alarm_sns_topic_arn
  auth_failures_threshold      = var.auth_failures_threshold
  watermark_refusals_threshold = var.watermark_refusals_threshold
  no_signature_alarm_enabled   = var.no_signature_alarm_enabled
  no_signature_minutes         = var.no_signature_minutes
  cloudtrail_rules_enabled     = var.cloudtrail_rules_enabled
  dashboard_enabled            = var.dashboard_enabled
  tags                         = var.tags
}
