data "aws_region" "current" {}

locals {
  region = data.aws_region.current.region
  fn     = var.function_name
  ns     = var.metrics_namespace

  # Every graph but one is of free metrics (Lambda's, DynamoDB's); the custom ones are the handler's
  # three event counts. KMS timings are in the audit lines (Logs Insights: stats pct(kmsMs, 99)).
  dashboard_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = 0
      width  = 12
      height = 6
      properties = {
        title  = "Signatures (watermark writes) and invocations"
        region = local.region
        stat   = "Sum"
        period = 60
        view   = "timeSeries"
        metrics = [
          ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", var.table_name, { label = "watermark writes (one per signature)" }],
          ["AWS/Lambda", "Invocations", "FunctionName", local.fn],
        ]
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 0
      width  = 12
      height = 6
      properties = {
        title  = "Watermark refusals, authentication failures, handler errors"
        region = local.region
        stat   = "Sum"
        period = 60
        view   = "timeSeries"
        metrics = [
          [local.ns, "WatermarkRefusals", "FunctionName", local.fn],
          [local.ns, "AuthFailures", "FunctionName", local.fn],
          [local.ns, "Errors", "FunctionName", local.fn],
        ]
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 6
      width  = 12
      height = 6
      properties = {
        title  = "DynamoDB latency (GetItem, PutItem)"
        region = local.region
        period = 60
        view   = "timeSeries"
        metrics = [
          ["AWS/DynamoDB", "SuccessfulRequestLatency", "TableName", var.table_name, "Operation", "GetItem", { stat = "Average" }],
          ["AWS/DynamoDB", "SuccessfulRequestLatency", "TableName", var.table_name, "Operation", "PutItem", { stat = "Average" }],
          ["AWS/DynamoDB", "SuccessfulRequestLatency", "TableName", var.table_name, "Operation", "PutItem", { stat = "Maximum" }],
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
      x      = 0
      y      = 12
      width  = 24
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

# Free when it is one of the account's first 3 dashboards (of up to 50 metrics each: this one has 15);
# $3 a month beyond. docs/cost.md counts it both ways.
resource "aws_cloudwatch_dashboard" "this" {
  count = var.dashboard_enabled ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
