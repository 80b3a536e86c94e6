module "kms_key" {
  source   = "./modules/kms-key"
  for_each = var.keys

  alias_name              = "${var.name}-${each.key}"
  description             = coalesce(each.value.description, "Tezos consensus key ${each.key} of the remote signer ${var.name}")
  key_spec                = each.value.key_spec
  signer_role_arns        = [aws_iam_role.lambda.arn]
  replica_region          = local.replica_region
  admin_role_arns         = var.key_admin_role_arns
  deletion_window_in_days = var.key_deletion_window_in_days
  guard                   = var.consensus_key_guard
  tags                    = var.tags
}
