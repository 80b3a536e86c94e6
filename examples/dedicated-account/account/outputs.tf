output "account_id" {
  description = "Id of the signer account: the existing_account_id input of the signer stack (../)."
  value       = aws_organizations_account.signer.id
}

output "account_access_role_arn" {
  description = "ARN of the role the signer stack assumes in the new account."
  value       = "arn:${data.aws_partition.current.partition}:iam::${aws_organizations_account.signer.id}:role/${var.account_access_role_name}"
}
