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
