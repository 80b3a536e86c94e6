# The consensus key guard. A consensus key is the baker's identity on chain: a plan that destroys or
# replaces it leaves the baker registered with a key the signer no longer holds, and schedules the old
# one for deletion. `lifecycle` takes no variables, so the guard is its own resource:
#  - `guard` has prevent_destroy and is replaced whenever the key is (replace_triggered_by its id), so
#    any plan that destroys or replaces the key (terraform destroy, an entry removed from `keys`, a
#    ForceNew change such as key_spec or multi_region) fails on it; `replica_guard` does the same for
#    the multi-Region replica, whose loss would leave its Region unable to sign;
#  - `identity` remembers the key's key_spec and whether it is multi-Region from its creation
#    (ignore_changes), so a changed key_spec, or multi-Region turned on or off, fails with a message
#    saying how to do it on purpose, whatever the provider plans for it.
# Turning the guard off on an existing key is itself a destroy of `guard`, and fails: removing a key on
# purpose takes a deliberate `terraform state rm` of the guard (docs/recovery.md).

resource "terraform_data" "identity" {
  input = { key_spec = var.key_spec, multi_region = var.replica_region != null }

  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "guard" { # consensus key guard: this plan would destroy or replace a consensus key; see docs/recovery.md
  count = var.guard ? 1 : 0

  input = aws_kms_key.this.arn

  lifecycle {
    prevent_destroy      = true
    replace_triggered_by = [aws_kms_key.this.id]

    precondition {
      condition     = terraform_data.identity.output.key_spec == var.key_spec
      error_message = "The consensus key ${var.alias_name} was created with key_spec ${terraform_data.identity.output.key_spec}; this plan asks for ${var.key_spec}. KMS cannot change a key's spec: the key would be replaced, with a new tz address, while the baker stays registered with the old one. To change keys on purpose, add a new entry to `keys` with the new key_spec, apply, register it with `octez-client set consensus key`, and remove the old entry only once the new key is active (docs/recovery.md#changing-the-consensus-key-on-purpose)."
    }

    precondition {
      condition     = try(terraform_data.identity.output.multi_region, false) == (var.replica_region != null)
      error_message = "The consensus key ${var.alias_name} was created ${try(terraform_data.identity.output.multi_region, false) ? "multi-Region" : "single-Region"}; this plan makes it ${var.replica_region != null ? "multi-Region" : "single-Region"}. KMS cannot convert a key: it would be replaced, with a new tz address, while the baker stays registered with the old one. To move to (or from) multi_region, create the new deployment's key next to the old one and register it with `octez-client set consensus key` (docs/multi-region.md, moving an existing deployment)."
    }
  }
}

resource "terraform_data" "replica_guard" { # consensus key guard: this plan would destroy or replace the replica of a consensus key; see docs/recovery.md
  count = var.guard && var.replica_region != null ? 1 : 0

  input = aws_kms_replica_key.this[0].arn

  lifecycle {
    prevent_destroy      = true
    replace_triggered_by = [aws_kms_replica_key.this[0].id]
  }
}
