variable "name" {
  description = "Name of the DynamoDB watermark table."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.name))
    error_message = "The table name must match ^[a-zA-Z0-9_.-]{3,255}$."
  }
}

variable "deletion_protection_enabled" {
  description = "Protect the table against deletion. Losing the table loses the high watermarks, and a signer without its watermarks can double-sign: keep it true outside of tests."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of a customer managed symmetric KMS key encrypting the table. Null: the AWS managed key aws/dynamodb. The key's policy must let DynamoDB use it on behalf of the account."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "tags" {
  description = "Tags added to the table."
  type        = map(string)
  default     = {}
}

variable "replica_regions" {
  description = "Regions of the table's replicas for multi-Region strong consistency (MRSC), besides the table's own Region: two Regions, or one with witness_region. Empty: a single-Region table. Every replica is STRONG; all three Regions must lie in one MRSC Region set (docs/multi-region.md). MRSC can only be enabled on an empty table: set it when the table is created."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.replica_regions) <= 2 && alltrue([for r in var.replica_regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", r))])
    error_message = "replica_regions holds at most two Region names (e.g. us-east-2)."
  }

  validation {
    condition     = length(distinct(var.replica_regions)) == length(var.replica_regions)
    error_message = "replica_regions must not name a Region twice."
  }
}

variable "witness_region" {
  description = "The third Region of an MRSC table with one replica: a witness, which takes part in every write's quorum without holding a copy of the table. Null: no witness (single-Region, or two replicas)."
  type        = string
  default     = null

  validation {
    condition     = var.witness_region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.witness_region))
    error_message = "witness_region must be null or a Region name (e.g. us-west-2)."
  }
}
