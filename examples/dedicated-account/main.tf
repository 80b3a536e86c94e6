# Stack 2 of 2: the signer in its dedicated member account, and the SCP that fences it. Run after
# the account exists (./account, or any account vending: Control Tower, AFT, a landing zone
# pipeline); existing_account_id is a plain input, so both providers are configured at plan time
# and one `terraform apply` does everything, unattended.

# The default provider works in the organization's management account (the SCP).
provider "aws" {
  region = var.region
}

data "aws_partition" "current" {}

locals {
  account_id      = var.existing_account_id
  access_role_arn = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:role/${var.account_access_role_name}"
  admin_role_arns = concat([local.access_role_arn], var.extra_key_admin_role_arns)
}

# Works in the signer account.
provider "aws" {
  alias  = "signer"
  region = var.region

  assume_role {
    role_arn     = local.access_role_arn
    session_name = "terraform-tezos-signer"
  }
}

module "signer" {
  source = "../../"

  providers = {
    aws = aws.signer
  }

  name                              = var.name
  authorized_keys                   = var.authorized_keys
  allowed_chain_ids                 = var.allowed_chain_ids
  key_admin_role_arns               = local.admin_role_arns
  key_deletion_window_in_days       = var.key_deletion_window_in_days
  table_deletion_protection_enabled = var.table_deletion_protection_enabled
  exposure                          = "function_url"

  # A new account's Lambda concurrency quota is 10 and Lambda keeps 100 unreserved: any
  # reservation fails there until a quota increase. Null (unreserved) by default here.
  lambda_reserved_concurrent_executions = var.lambda_reserved_concurrent_executions

  alarm_sns_topic_arn           = aws_sns_topic.alarms.arn
  alarm_actions_enabled         = true
  create_trail                  = var.create_trail
  table_data_event_rule_enabled = var.create_trail

  tags = {
    Project = "tezos-signer"
  }
}
