# The example as a user applies it (offline provider, `npm run tf:check`): two signing Regions of one
# MRSC set, the third Region a witness or a third replica, one provider configuration.

variables {
  authorized_keys = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
  primary_region  = "eu-west-1"
  replica_region  = "eu-central-1"
  third_region    = "eu-west-2"
  # Applied, then destroyed at the end of the file: a guarded key would refuse (docs/recovery.md).
  consensus_key_guard = false
}

run "a_signer_url_and_a_key_in_each_signing_region" {
  command = apply

  assert {
    condition     = tolist(keys(output.signer_urls)) == tolist(["eu-central-1", "eu-west-1"]) && strcontains(output.signer_urls["eu-central-1"], ".eu-central-1.")
    error_message = "One signer URL per signing Region, none in the witness Region."
  }

  assert {
    condition     = output.replica_key_arns["consensus"] == replace(output.key_arns["consensus"], ":eu-west-1:", ":eu-central-1:")
    error_message = "The replica key is the primary key's twin (same key id, so the same tz address) in the second Region."
  }

  assert {
    condition     = tolist(module.signer.multi_region.table_replicas) == tolist(["eu-central-1"]) && module.signer.multi_region.table_witness == "eu-west-2"
    error_message = "By default the third Region is a witness: two replicas and a witness."
  }
}

run "the_third_region_as_a_replica" {
  command = apply

  variables {
    third_region_holds_replica = true
  }

  assert {
    condition     = tolist(module.signer.multi_region.table_replicas) == tolist(["eu-central-1", "eu-west-2"]) && module.signer.multi_region.table_witness == null
    error_message = "third_region_holds_replica makes the third Region a full replica, without a witness."
  }

  assert {
    condition     = length(output.signer_urls) == 2
    error_message = "Still two signers: no signer runs in the third Region."
  }
}
