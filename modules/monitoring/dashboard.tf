data "aws_region" "current" {}

locals {
  region = data.aws_region.current.region
  fn     = var.function_name
  ns     = var.metrics_namespace

  refusal_reasons = ["watermark", "policy", "authentication", "malformed", "unknown_key", "not_found"]
  signature_kinds = ["block", "preattestation", "attestation"]

  dashboard_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = 0
      width  = 12
      height = 6
      properties = {
        title   = "Signatures by kind"
        region  = local.region
        stat    = "Sum"
        period  = 60
        view    = "timeSeries"
        metrics = [for kind in local.signature_kinds : [local.ns, "Signatures", "FunctionName", local.fn, "Kind", kind]]
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 0
      width  = 12
      height = 6
      properties = {
        title   = "Refusals by reason"
        region  = local.region
        stat    = "Sum"
        period  = 60
        view    = "timeSeries"
        metrics = [for reason in local.refusal_reasons : [local.ns, "Refusals", "FunctionName", local.fn, "Reason", reason]]
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 6
      width  = 12
      height = 6
      properties = {
        title  = "Watermark refusals, authentication failures, errors, identical retries"
        region = local.region
        stat   = "Sum"
        period = 60
        view   = "timeSeries"
        metrics = [
          [local.ns, "WatermarkRefusals", "FunctionName", local.fn],
          [local.ns, "AuthFailures", "FunctionName", local.fn],
          [local.ns, "Errors", "FunctionName", local.fn],
          [local.ns, "IdenticalRetries", "FunctionName", local.fn],
        ]
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 6
      width  = 12
      height = 6
      properties = {
        title  = "KMS and DynamoDB latency (p50, p99)"
        region = local.region
        period = 60
        view   = "timeSeries"
        metrics = [
          [local.ns, "KmsLatency", "FunctionName", local.fn, { stat = "p50" }],
          [local.ns, "KmsLatency", "FunctionName", local.fn, { stat = "p99" }],
          [local.ns, "DynamoDbLatency", "FunctionName", local.fn, { stat = "p50" }],
          [local.ns, "DynamoDbLatency", "FunctionName", local.fn, { stat = "p99" }],
        ]
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 12
      width  = 12
      height = 6
      properties = {
        title  = "Lambda invocations, errors, throttles"
        region = local.region
        stat   = "Sum"
        period = 60
        view   = "timeSeries"
        metrics = [
          ["AWS/Lambda", "Invocations", "FunctionName", local.fn],
          ["AWS/Lambda", "Errors", "FunctionName", local.fn],
          ["AWS/Lambda", "Throttles", "FunctionName", local.fn],
          ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", local.fn, { stat = "Maximum" }],
        ]
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 12
      width  = 12
      height = 6
      properties = {
        title  = "Lambda duration (p50, p99, max)"
        region = local.region
        period = 60
        view   = "timeSeries"
        metrics = [
          ["AWS/Lambda", "Duration", "FunctionName", local.fn, { stat = "p50" }],
          ["AWS/Lambda", "Duration", "FunctionName", local.fn, { stat = "p99" }],
          ["AWS/Lambda", "Duration", "FunctionName", local.fn, { stat = "Maximum" }],
        ]
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.dashboard_enabled ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
