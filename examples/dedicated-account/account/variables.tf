variable "region" {
  description = "AWS Region of the provider (Organizations is global; any Region works)."
  type        = string
  default     = "eu-west-1"
}

variable "account_name" {
  description = "Name of the account created for the signer."
  type        = string
  default     = "tezos-signer"
}

variable "account_email" {
  description = "E-mail address of the account created for the signer (unique across AWS)."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.account_email))
    error_message = "account_email must be an e-mail address."
  }
}

variable "account_parent_id" {
  description = "Organizational unit (or root) id the account is placed in. Null: the organization's root. Put it in the OU your SCPs and guardrails expect."
  type        = string
  default     = null
}

variable "account_access_role_name" {
  description = "Role Organizations creates in the new account, trusted by the management account. The signer stack (../) assumes it, and it is spared by the signer's SCP as the key administrator."
  type        = string
  default     = "OrganizationAccountAccessRole"
}
