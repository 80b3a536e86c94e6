# Sample values: `npm run tf:check` plans this example with them (offline provider, no AWS).
# Replace the key with the public key printed by `tezos-signer authorized-key new`.
authorized_keys = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
primary_region  = "eu-west-1"
replica_region  = "eu-central-1"
third_region    = "eu-west-2"
