# Sample values: `npm run tf:check` plans this stack with them (offline provider, no AWS).
account_email = "tezos-signer@example.com"
