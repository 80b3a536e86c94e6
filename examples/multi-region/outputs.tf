output "signer_urls" {
  description = "Base URL of the signer in each signing Region, by Region. The failover proxy (docs/failover.md) sends each request to one of them, never to both."
  value       = module.signer.multi_region.signer_urls
}

output "key_arns" {
  description = "ARNs of the consensus keys (multi-Region primary keys)."
  value       = module.signer.key_arns
}

output "replica_key_arns" {
  description = "ARNs of their replicas in the second Region: the same key material, the same tz addresses."
  value       = module.signer.multi_region.replica_key_arns
}

output "table_name" {
  description = "Name of the watermark table (the same in every Region of the set)."
  value       = module.signer.table_name
}

output "next_steps" {
  description = "How to get the tz address and configure octez."
  value       = module.signer.next_steps
}
