output "table_name" {
  description = "Name of the watermark table."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the watermark table."
  value       = aws_dynamodb_table.this.arn
}

output "replicas" {
  description = "The table's replicas besides its own Region (region, consistency_mode, arn); empty for a single-Region table."
  value       = [for r in aws_dynamodb_table.this.replica : { region = r.region_name, consistency_mode = r.consistency_mode, arn = r.arn }]
}

output "witness_region" {
  description = "The witness Region of the MRSC table, or null."
  value       = one(aws_dynamodb_table.this.global_table_witness[*].region_name)
}
