# Sample values: `npm run tf:check` plans this example with them (offline provider, no AWS).
# existing_account_id: the account_id output of the account/ stack.
existing_account_id = "210987654321"
authorized_keys     = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
alarm_email         = "baker-alerts@example.com"
