output "signer_url" {
  description = "Base URL of the signer."
  value       = module.signer.signer_url
}

output "key_arns" {
  description = "ARNs of the consensus keys."
  value       = module.signer.key_arns
}

output "table_name" {
  description = "Name of the watermark table."
  value       = module.signer.table_name
}

output "lambda_function_name" {
  description = "Name of the signer's Lambda function."
  value       = module.signer.lambda_function_name
}

output "next_steps" {
  description = "How to get the tz address and configure octez."
  value       = module.signer.next_steps
}

output "function_url_invoker_role_arn" {
  description = "With exposure = \"function_url_iam\": the role the baker host assumes to sign its requests (tezos-signer failover --sign-sigv4). Null otherwise."
  value       = module.signer.function_url_invoker_role_arn
}
