provider "aws" {
  region = var.region
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
  exposure                              = var.exposure
  function_url_invoker_principal_arns   = var.function_url_invoker_principal_arns
  lambda_reserved_concurrent_executions = var.lambda_reserved_concurrent_executions

  # The topic is created in this configuration, so its ARN is only known after apply: the wiring
  # is decided by alarm_actions_enabled, a plain boolean known at plan time.
  alarm_sns_topic_arn           = aws_sns_topic.alarms.arn
  alarm_actions_enabled         = true
  create_trail                  = var.create_trail
  table_data_event_rule_enabled = var.create_trail

  tags = {
    Project = "tezos-signer"
  }
}
