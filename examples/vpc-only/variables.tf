variable "region" {
  description = "AWS Region to deploy the signer in."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the signer (prefix of every resource)."
  type        = string
  default     = "tezos-signer-private"
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

variable "vpc_cidr" {
  description = "CIDR block of the VPC created for the signer and the baker."
  type        = string
  default     = "10.42.0.0/16"
}

variable "extra_key_admin_role_arns" {
  description = "Roles that administer the keys besides the role running Terraform."
  type        = list(string)
  default     = []
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

variable "create_trail" {
  description = "Create a CloudTrail trail (management events, and the watermark table's data events), which the EventBridge security rules need. Set false when the account or the organization already has a trail logging this Region."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic; null: no subscription."
  type        = string
  default     = null
}
