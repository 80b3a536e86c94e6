variable "primary_region" {
  description = "The first signing Region: the provider's Region, where the primary keys, the table and the first signer are created."
  type        = string
  default     = "us-east-1"
}

variable "replica_region" {
  description = "The second signing Region: replica keys (same tz addresses), a replica of the table, the second signer and its Function URL. In the same MRSC Region set as primary_region."
  type        = string
  default     = "us-east-2"
}

variable "third_region" {
  description = "The third Region of the MRSC set: a witness (default) or a third table replica (third_region_holds_replica). No signer runs there."
  type        = string
  default     = "us-west-2"
}

variable "third_region_holds_replica" {
  description = "Make the third Region a full table replica instead of a witness (three replicas: one more replicated write per signature)."
  type        = bool
  default     = false
}

variable "name" {
  description = "Name of the signer (prefix of every resource, the same in both Regions)."
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
  description = "Deletion protection of the watermark table and its replicas (false only for throw-away test deployments)."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic; null: no subscription."
  type        = string
  default     = null
}

variable "lambda_reserved_concurrent_executions" {
  description = "Reserved concurrency of each signer function; null leaves them unreserved. Reserving N needs an account concurrency quota of at least 100 + N in both Regions: see the module's input of the same name."
  type        = number
  default     = null
}

variable "create_trail" {
  description = "Create a CloudTrail trail in the primary Region (management events, and the watermark table's data events), which the EventBridge security rules need. Set false when the account or the organization already has a trail logging this Region."
  type        = bool
  default     = true
}
