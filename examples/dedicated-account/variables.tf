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

variable "authorized_keys" {
  description = "Public keys (edpk, sppk, p2pk) of the baker's authentication keys."
  type        = list(string)
}

variable "allowed_chain_ids" {
  description = "Chain ids the signer signs for; mainnet by default."
  type        = list(string)
  default     = ["NetXdQprcVkpaWU"]
}

variable "existing_account_id" {
  description = "Id of an existing member account to deploy the signer in. Null: a new account is created in the organization."
  type        = string
  default     = null

  validation {
    condition     = var.existing_account_id == null || can(regex("^[0-9]{12}$", var.existing_account_id))
    error_message = "existing_account_id must be null or a 12-digit account id."
  }
}

variable "account_name" {
  description = "Name of the account created for the signer."
  type        = string
  default     = "tezos-signer"
}

variable "account_email" {
  description = "E-mail address of the account created for the signer (unused with existing_account_id)."
  type        = string
  default     = null
}

variable "account_parent_id" {
  description = "Organizational unit (or root) id the created account is placed in. Null: the organization's root."
  type        = string
  default     = null
}

variable "account_access_role_name" {
  description = "Role Terraform assumes in the signer account; Organizations creates OrganizationAccountAccessRole in new accounts. It administers the keys and is spared by the SCP."
  type        = string
  default     = "OrganizationAccountAccessRole"
}

variable "extra_key_admin_role_arns" {
  description = "Other roles of the signer account that administer the keys and are spared by the SCP (for example a break-glass role)."
  type        = list(string)
  default     = []
}

variable "key_deletion_window_in_days" {
  description = "Waiting period before a deleted key is destroyed (7 to 30 days)."
  type        = number
  default     = 30
}

variable "table_deletion_protection_enabled" {
  description = "Deletion protection of the watermark table (false only for throw-away test deployments)."
  type        = bool
  default     = true
}
