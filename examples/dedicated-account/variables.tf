variable "region" {
  description = "AWS Region to deploy the signer in."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the signer (prefix of every resource)."
  type        = string
  default     = "tezos-signer"
}

variable "existing_account_id" {
  description = "Id of the member account the signer is deployed in: the account_id output of ./account, or an account from your own account vending."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.existing_account_id))
    error_message = "existing_account_id must be a 12-digit account id."
  }
}

variable "account_access_role_name" {
  description = "Role Terraform assumes in the signer account (Organizations creates OrganizationAccountAccessRole in the accounts it creates). It administers the keys and is spared by the SCP."
  type        = string
  default     = "OrganizationAccountAccessRole"

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,64}$", var.account_access_role_name))
    error_message = "account_access_role_name must be an IAM role name (at most 64 of letters, digits and +=,.@_-)."
  }
}

variable "authorized_keys" {
  description = "Public keys (edpk, sppk, p2pk) of the baker's authentication keys."
  type        = list(string)
}

variable "allowed_chain_ids" {
  description = "Chain ids the signer signs for; mainnet by default."
  type        = list(string)
  default     = ["NetXdQprcVkpaWU"]
}

variable "extra_key_admin_role_arns" {
  description = "Other roles of the signer account that administer the keys and are spared by the SCP's administration statements."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.extra_key_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9+=,.@_/-]+$", arn))])
    error_message = "Each extra key admin must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "watermark_admin_role_arns" {
  description = "Break-glass roles of the signer account allowed to raise watermarks (dynamodb:PutItem/UpdateItem on the table, what `tezos-signer watermarks set` does); the SCP denies those writes to everyone else but the signer. Nothing else is spared for them. Empty: only the signer writes watermarks."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.watermark_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9+=,.@_/-]+$", arn))])
    error_message = "Each watermark admin must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "key_deletion_window_in_days" {
  description = "Waiting period before a deleted key is destroyed (7 to 30 days)."
  type        = number
  default     = 30
}

variable "consensus_key_guard" {
  description = "Fail any plan that would destroy or replace the consensus key (keep true; false only for throw-away test deployments, created that way)."
  type        = bool
  default     = true
}

variable "table_deletion_protection_enabled" {
  description = "Deletion protection of the watermark table (false only for throw-away test deployments)."
  type        = bool
  default     = true
}

variable "lambda_reserved_concurrent_executions" {
  description = "Reserved concurrency of the signer. Null (unreserved) works in a new account, whose concurrency quota is 10; reserve (about 10) once the account's quota is at least 110."
  type        = number
  default     = null
}

variable "create_trail" {
  description = "Create a CloudTrail trail in the signer account (management and watermark-table data events), which the EventBridge security rules need. False when an organization trail already logs the signer account's Region."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic; null: no subscription."
  type        = string
  default     = null
}
