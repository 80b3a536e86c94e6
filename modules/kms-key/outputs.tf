output "key_arn" {
  description = "ARN of the KMS key."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Id of the KMS key."
  value       = aws_kms_key.this.key_id
}

output "key_spec" {
  description = "Key spec of the KMS key."
  value       = var.key_spec
}

output "alias_name" {
  description = "Name of the KMS alias (alias/...)."
  value       = aws_kms_alias.this.name
}

output "alias_arn" {
  description = "ARN of the KMS alias."
  value       = aws_kms_alias.this.arn
}

output "signing_algorithm" {
  description = "The only signing algorithm the key policy lets the signer use."
  value       = local.signing_algorithm
}

output "message_type" {
  description = "The only message type (RAW or DIGEST) the key policy lets the signer use."
  value       = local.message_type
}

output "key_policy_json" {
  description = "The key policy document, as JSON."
  value       = data.aws_iam_policy_document.this.json
}

output "replica_key_arn" {
  description = "ARN of the replica key in replica_region, or null."
  value       = one(aws_kms_replica_key.this[*].arn)
}

output "replica_alias_arn" {
  description = "ARN of the replica key's alias, or null."
  value       = one(aws_kms_alias.replica[*].arn)
}

output "replica_key_policy_json" {
  description = "The replica key's policy document, as JSON (the primary's, key_policy_json), or null."
  value       = one(aws_kms_replica_key.this[*].policy)
}
