data "aws_region" "current" {}

locals {
  # The Region sets of multi-Region strong consistency (MRSC): the table's Region, its replicas and its
  # witness must all be in one of them (docs/multi-region.md).
  mrsc_region_sets = [
    ["us-east-1", "us-east-2", "us-west-2"],
    ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
    ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
  ]

  global       = length(var.replica_regions) > 0 || var.witness_region != null
  table_region = data.aws_region.current.region
  mrsc_regions = concat([local.table_region], var.replica_regions, var.witness_region == null ? [] : [var.witness_region])
}

# One item per (consensus pkh, chain id, kind): pk = "<pkh>#<chain id>#<kind>" (docs/interfaces.md).
resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  table_class                 = "STANDARD"
  deletion_protection_enabled = var.deletion_protection_enabled

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  # Multi-Region strong consistency, never eventual: a conditional write on any replica is judged
  # against the latest item of every Region, so two Regions cannot both admit one level and round.
  # An eventually consistent global table would let each Region's watermark admit it: that mode is
  # not offered here at all.
  dynamic "replica" {
    for_each = var.replica_regions

    content {
      region_name                 = replica.value
      consistency_mode            = "STRONG"
      point_in_time_recovery      = true
      deletion_protection_enabled = var.deletion_protection_enabled
      propagate_tags              = true
    }
  }

  # The third Region of the set when only two hold replicas: it takes part in the quorum and keeps
  # the replicated change data, not a copy of the table.
  dynamic "global_table_witness" {
    for_each = var.witness_region == null ? [] : [var.witness_region]

    content {
      region_name = global_table_witness.value
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !local.global || (length(var.replica_regions) == 2 && var.witness_region == null) || (length(var.replica_regions) == 1 && var.witness_region != null)
      error_message = "A multi-Region strongly consistent table spans exactly three Regions: two replica_regions, or one replica_regions entry and a witness_region."
    }

    precondition {
      condition     = !local.global || length(distinct(local.mrsc_regions)) == length(local.mrsc_regions)
      error_message = "The table's Region, its replica Regions and its witness Region must be three different Regions."
    }

    precondition {
      condition     = !local.global || anytrue([for set in local.mrsc_region_sets : length(setsubtract(local.mrsc_regions, set)) == 0])
      error_message = "The table's Region, its replicas and its witness must lie in one MRSC Region set: us-east-1/us-east-2/us-west-2, eu-west-1/eu-west-2/eu-west-3/eu-central-1, or ap-northeast-1/ap-northeast-2/ap-northeast-3."
    }

    precondition {
      condition     = !local.global || var.kms_key_arn == null
      error_message = "A customer managed key is regional: a multi-Region table here is encrypted with the AWS managed key of each Region (kms_key_arn = null)."
    }
  }
}
