# One provider: the module creates the second signing Region's resources with the provider's
# per-resource `region` argument (hashicorp/aws 6), so no alias has to be passed in.
provider "aws" {
  region = var.primary_region
}

data "aws_caller_identity" "current" {}

# The role running Terraform administers the keys (KMS refuses a key policy that would lock it out).
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

module "signer" {
  source = "../../"

  name                                  = var.name
  authorized_keys                       = var.authorized_keys
  allowed_chain_ids                     = var.allowed_chain_ids
  key_admin_role_arns                   = concat([data.aws_iam_session_context.current.issuer_arn], var.extra_key_admin_role_arns)
  key_deletion_window_in_days           = var.key_deletion_window_in_days
  consensus_key_guard                   = var.consensus_key_guard
  table_deletion_protection_enabled     = var.table_deletion_protection_enabled
  exposure                              = "function_url"
  lambda_reserved_concurrent_executions = var.lambda_reserved_concurrent_executions

  multi_region = {
    primary_region       = var.primary_region
    replica_region       = var.replica_region
    witness_region       = var.third_region_holds_replica ? null : var.third_region
    third_replica_region = var.third_region_holds_replica ? var.third_region : null
  }

  # Alarms and security events watch the primary Region (docs/multi-region.md, "What is watched").
  alarm_sns_topic_arn           = aws_sns_topic.alarms.arn
  alarm_actions_enabled         = true
  create_trail                  = var.create_trail
  table_data_event_rule_enabled = var.create_trail

  tags = {
    Project = "tezos-signer"
  }
}
