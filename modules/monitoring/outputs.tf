output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by name."
  value = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.sum : alarm.alarm_name => alarm.arn },
    { for alarm in aws_cloudwatch_metric_alarm.no_signatures : alarm.alarm_name => alarm.arn },
  )
}

output "event_rule_arns" {
  description = "ARNs of the EventBridge rules on CloudTrail events, by name."
  value       = { for key, rule in aws_cloudwatch_event_rule.this : rule.name => rule.arn }
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard, or null."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_name)
}

output "trail_arn" {
  description = "ARN of the CloudTrail trail created with create_trail, or null."
  value       = one(aws_cloudtrail.this[*].arn)
}

output "trail_bucket_name" {
  description = "Name of the S3 bucket of the trail created with create_trail, or null."
  value       = one(aws_s3_bucket.trail[*].id)
}
