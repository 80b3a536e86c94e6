locals {
  # Decided by a plain boolean, never by the topic ARN: the ARN is often only known after apply
  # (a topic created in the same configuration), and Terraform must know every count and for_each
  # at plan time (test/terraform/fixtures/unknown-for-each shows the error it gives otherwise).
  alarm_actions = var.alarm_actions_enabled ? [var.alarm_sns_topic_arn] : []

  # The topic must be in the signer's account and Region: a topic of another account receives the
  # security events where this account's administrators cannot see what it does with them (or where
  # whoever set the variable can read them and silence them), and CloudWatch and EventBridge send to a
  # topic of their own Region only. Checked at plan time when the ARN is known, at apply otherwise.
  # A null topic splits into one part: nothing to check (the variable's validation vouches for the
  # shape of any other value). HCL's || evaluates both sides, hence try().
  topic_arn_parts = split(":", coalesce(var.alarm_sns_topic_arn, "none"))
  topic_is_local = length(local.topic_arn_parts) < 6 || try(
    local.topic_arn_parts[4] == data.aws_caller_identity.current.account_id && local.topic_arn_parts[3] == local.region,
    false,
  )
  topic_error = "alarm_sns_topic_arn must be a topic of the signer's account and Region (${data.aws_caller_identity.current.account_id}, ${local.region}): alarms and security events never leave the account."

  # Alarms on a sum over one period, "more than threshold". Lambda's Errors and Throttles are free
  # metrics; AuthFailures, WatermarkRefusals and Errors are the handler's custom metrics, published only
  # on the lines of the events they count (docs/interfaces.md), so billed only for hours with an event.
  sum_alarms = {
    lambda-errors = {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      threshold   = var.lambda_errors_threshold
      description = "The signer's Lambda function failed (uncaught errors, timeouts)."
    }
    lambda-throttles = {
      namespace   = "AWS/Lambda"
      metric_name = "Throttles"
      threshold   = var.lambda_throttles_threshold
      description = "Invocations of the signer were throttled: the reserved concurrency is too low for the load, or someone floods the endpoint."
    }
    auth-failures = {
      namespace   = var.metrics_namespace
      metric_name = "AuthFailures"
      threshold   = var.auth_failures_threshold
      description = "Signing requests failed authentication (not signed by an authorized key)."
    }
    watermark-refusals = {
      namespace   = var.metrics_namespace
      metric_name = "WatermarkRefusals"
      threshold   = var.watermark_refusals_threshold
      description = "The signer refused to sign at or below its high watermark: a second baker, a replayed request or a double-signing attempt."
    }
    handler-errors = {
      namespace   = var.metrics_namespace
      metric_name = "Errors"
      threshold   = var.handler_errors_threshold
      description = "The handler reported errors (KMS, DynamoDB or internal)."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "sum" {
  for_each = local.sum_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = { FunctionName = var.function_name }
  statistic           = "Sum"
  period              = var.alarm_period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  lifecycle {
    precondition {
      condition     = !var.alarm_actions_enabled || var.alarm_sns_topic_arn != null
      error_message = "alarm_actions_enabled = true needs alarm_sns_topic_arn."
    }
    precondition {
      condition     = local.topic_is_local
      error_message = local.topic_error
    }
  }
}

# No signature for N minutes: the baker behind the signer stopped signing (or cannot reach it).
# On DynamoDB's free ConsumedWriteCapacityUnits of the watermark table rather than a custom metric
# ($0.30 a month): a signature is released only after its conditional write, and only a signing request
# writes, so a period without a write is a period without a signature. Missing data is breaching: a
# table nobody writes to publishes nothing.
resource "aws_cloudwatch_metric_alarm" "no_signatures" {
  count = var.no_signature_alarm_enabled ? 1 : 0

  alarm_name          = "${var.name}-no-signatures"
  alarm_description   = "The signer produced no signature for ${var.no_signature_minutes} minutes (no write to its watermark table)."
  namespace           = "AWS/DynamoDB"
  metric_name         = "ConsumedWriteCapacityUnits"
  dimensions          = { TableName = var.table_name }
  statistic           = "Sum"
  period              = var.no_signature_minutes * 60
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags

  lifecycle {
    precondition {
      condition     = local.topic_is_local
      error_message = local.topic_error
    }
  }
}
