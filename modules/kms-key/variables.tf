variable "alias_name" {
  description = "Name of the KMS alias created for the key, without the `alias/` prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,200}$", var.alias_name)) && !startswith(var.alias_name, "aws/")
    error_message = "The alias name must match ^[a-zA-Z0-9/_-]{1,200}$ and must not start with aws/."
  }
}

variable "description" {
  description = "Description of the KMS key."
  type        = string
  default     = "Tezos consensus key of a remote signer"
}

variable "key_spec" {
  description = "KMS key spec: ECC_SECG_P256K1 (tz2, secp256k1), ECC_NIST_P256 (tz3, P-256: (pre)attestations only, the signer refuses tz3 blocks, see docs/security.md) or ECC_NIST_EDWARDS25519 (tz1, Ed25519)."
  type        = string
  default     = "ECC_SECG_P256K1"

  validation {
    condition     = contains(["ECC_SECG_P256K1", "ECC_NIST_P256", "ECC_NIST_EDWARDS25519"], var.key_spec)
    error_message = "key_spec must be one of ECC_SECG_P256K1, ECC_NIST_P256, ECC_NIST_EDWARDS25519."
  }
}

variable "signer_role_arns" {
  description = "ARNs of the IAM roles allowed to call kms:Sign (with the signing algorithm and message type pinned to the key spec) and kms:GetPublicKey. Every other principal is explicitly denied kms:Sign."
  type        = list(string)

  validation {
    condition     = length(var.signer_role_arns) > 0 && alltrue([for arn in var.signer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9+=,.@_/-]+$", arn))])
    error_message = "signer_role_arns must hold at least one IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "admin_role_arns" {
  description = "ARNs of the IAM roles that administer the key (key policy, tags, aliases, enable/disable, deletion). They cannot sign. Include the role Terraform runs as, or KMS refuses the key policy (policy lockout safety check)."
  type        = list(string)

  validation {
    condition     = length(var.admin_role_arns) > 0 && alltrue([for arn in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9+=,.@_/-]+$", arn))])
    error_message = "admin_role_arns must hold at least one IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "deletion_window_in_days" {
  description = "Waiting period, in days, between a deletion request and the destruction of the key material (7 to 30). A consensus key cannot be recovered once deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "tags" {
  description = "Tags added to the key."
  type        = map(string)
  default     = {}
}

variable "guard" {
  description = "Fail every plan that would destroy or replace the key (terraform destroy, a changed key_spec, the key's entry removed). Keep true: turning it off on an existing key is itself refused. false only for throwaway stacks that must be destroyed, such as terraform test."
  type        = bool
  default     = true
}

variable "replica_region" {
  description = "Region of a replica of the key: the key is then created as a multi-Region primary key, and the replica (same key material, so the same tz address) gets the same key policy and alias. Null: a single-Region key. A key cannot become multi-Region after it is created: a change here replaces the key, hence the consensus key (docs/multi-region.md)."
  type        = string
  default     = null

  validation {
    condition     = var.replica_region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.replica_region))
    error_message = "replica_region must be null or a Region name (e.g. us-east-2)."
  }
}
