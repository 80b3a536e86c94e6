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

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic; null: no subscription."
  type        = string
  default     = null
}

variable "lambda_reserved_concurrent_executions" {
  description = "Reserved concurrency of the signer; null leaves it unreserved. Reserving N needs an account concurrency quota of at least 100 + N (a new account has 10): see the module's input of the same name."
  type        = number
  default     = null
}

variable "create_trail" {
  description = "Create a CloudTrail trail (management events, and the watermark table's data events), which the EventBridge security rules need. Set false when the account or the organization already has a trail logging this Region."
  type        = bool
  default     = true
}

variable "exposure" {
  description = "function_url (public, authorization NONE: every request, a flood included, is an invocation billed) or function_url_iam (authorization AWS_IAM: the baker host signs with the invoker role, tezos-signer failover --sign-sigv4)."
  type        = string
  default     = "function_url"

  validation {
    condition     = contains(["function_url", "function_url_iam"], var.exposure)
    error_message = "exposure must be function_url or function_url_iam in this example."
  }
}

variable "function_url_invoker_principal_arns" {
  description = "With exposure = \"function_url_iam\": the baker host's IAM principals (its instance role, a user) allowed to assume the invoker role."
  type        = list(string)
  default     = []
}
