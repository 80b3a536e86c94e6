module "watermark_table" {
  source = "./modules/watermark-table"

  name                        = "${var.name}-watermarks"
  deletion_protection_enabled = var.table_deletion_protection_enabled
  kms_key_arn                 = var.table_kms_key_arn
  replica_regions             = local.table_replica_regions
  witness_region              = local.table_witness_region
  tags                        = var.tags
}
