output "account_id" {
  description = "Id of the signer account."
  value       = local.account_id
}

output "signer_url" {
  description = "Base URL of the signer."
  value       = module.signer.signer_url
}

output "key_arns" {
  description = "ARNs of the consensus keys."
  value       = module.signer.key_arns
}

output "table_name" {
  description = "Name of the watermark table (for `tezos-signer watermarks set`, run by a watermark admin role)."
  value       = module.signer.table_name
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic receiving the alarms and security events."
  value       = aws_sns_topic.alarms.arn
}

output "scp_id" {
  description = "Id of the service control policy attached to the signer account."
  value       = aws_organizations_policy.signer.id
}

output "next_steps" {
  description = "How to get the tz address and configure octez."
  value       = module.signer.next_steps
}
