output "signer_url" {
  description = "Base URL of the signer, reachable only from inside the VPC (private DNS of the execute-api endpoint)."
  value       = module.signer.signer_url
}

output "signer_vpce_urls" {
  description = "Base URL of the signer through the execute-api endpoint's own DNS name."
  value       = module.signer.private_api_vpce_urls
}

output "baker_subnet_ids" {
  description = "Private subnets to run the baker in."
  value       = aws_subnet.private[*].id
}

output "baker_security_group_id" {
  description = "Security group to give the baker's instances so that they reach the signer."
  value       = aws_security_group.baker.id
}

output "key_arns" {
  description = "ARNs of the consensus keys."
  value       = module.signer.key_arns
}

output "next_steps" {
  description = "How to get the tz address and configure octez (run from inside the VPC)."
  value       = module.signer.next_steps
}
