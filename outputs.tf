output "signer_url" {
  description = "Base URL of the signer, without a trailing slash. octez-client uses <signer_url>/<tz address> as the remote signer URI."
  value       = module.exposure.url
}

output "private_api_vpce_urls" {
  description = "With the private REST API: base URL of the signer through each execute-api VPC endpoint (usable without private DNS). Empty otherwise."
  value       = module.exposure.private_api_vpce_urls
}

output "key_arns" {
  description = "ARNs of the consensus keys served, by key name (created and adopted)."
  value       = { for name, key in local.signer_keys : name => key.arn }
}

output "key_ids" {
  description = "Ids of the consensus keys created by the module, by key name."
  value       = { for name, key in module.kms_key : name => key.key_id }
}

output "key_aliases" {
  description = "Aliases of the consensus keys created by the module, by key name."
  value       = { for name, key in module.kms_key : name => key.alias_name }
}

output "table_name" {
  description = "Name of the DynamoDB watermark table."
  value       = module.watermark_table.table_name
}

output "table_arn" {
  description = "ARN of the DynamoDB watermark table."
  value       = module.watermark_table.table_arn
}

output "lambda_role_arn" {
  description = "ARN of the Lambda execution role (the only principal allowed to kms:Sign with the keys)."
  value       = aws_iam_role.lambda.arn
}

output "function_url_invoker_role_arn" {
  description = "With exposure = \"function_url_iam\": ARN of the <name>-url-invoker role, which the baker host assumes to sign its requests (tezos-signer failover --sign-sigv4); it may invoke the signer's Function URL and nothing else. Null with any other exposure."
  value       = one(aws_iam_role.url_invoker[*].arn)
}

output "lambda_function_name" {
  description = "Name of the signer's Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "lambda_function_arn" {
  description = "ARN of the signer's Lambda function."
  value       = aws_lambda_function.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.lambda.name
}

output "lambda_environment" {
  description = "Environment of the Lambda function (docs/interfaces.md); holds only public values. With multi_region, the second function's differs only by SIGNER_KMS_KEY_IDS (the replica keys)."
  value       = local.function_environment
}

output "monitoring" {
  description = "Alarm ARNs, EventBridge rule ARNs, dashboard name and the trail created with create_trail (or null), or null when monitoring is disabled."
  value = var.monitoring_enabled ? {
    alarm_arns      = module.monitoring[0].alarm_arns
    event_rule_arns = module.monitoring[0].event_rule_arns
    dashboard_name  = module.monitoring[0].dashboard_name
    trail_arn       = module.monitoring[0].trail_arn
  } : null
}

output "next_steps" {
  description = "How to get the tz addresses served and configure octez (the address cannot be computed in Terraform: it is derived from the KMS public key)."
  value       = local.function_url_iam ? local.next_steps_iam : local.next_steps_public
}

locals {
  next_steps_public = <<-EOT
    1. List the tz addresses the signer serves:
         curl -s ${module.exposure.url}/known_keys
       (GET ${module.exposure.url}/keys/<tz address> returns the public key.)
    2. Configure octez-client with the key and with an authentication key:
         octez-client import secret key <alias> ${module.exposure.url}/<tz address>
         octez-client import secret key <auth alias> unencrypted:<secret key of an authorized key>
       octez-client reads GET /authorized_keys and signs every request with the matching secret
       key of its wallet; the signer refuses requests that are not signed so.
    3. Register the address as the consensus key of your baker:
         octez-client set consensus key for <baker> to <alias>
    4. Watch the alarms and the dashboard; keep the watermark table (deletion protection) and
       never point two bakers at the same key unless that is the design.
  EOT

  # With AWS_IAM octez-client cannot sign SigV4 itself: the loopback proxy on the baker host signs.
  next_steps_iam = <<-EOT
    1. On the baker host, with credentials of a principal in function_url_invoker_principal_arns,
       assume the invoker role (an AWS profile refreshes it: role_arn = ${try(aws_iam_role.url_invoker[0].arn, "")})
       and run the signing proxy:
         AWS_PROFILE=<invoker profile> tezos-signer failover --sign-sigv4 --upstream ${module.exposure.url}${local.multi_region ? " --upstream ${module.exposure_replica[0].url}" : ""}
       It prints the tz addresses served and the octez-client line for each (http://127.0.0.1:6733/<tz address>).
    2. Configure octez-client with the key (through the proxy) and with an authentication key:
         octez-client import secret key <alias> http://127.0.0.1:6733/<tz address>
         octez-client import secret key <auth alias> unencrypted:<secret key of an authorized key>
       The signer still checks the authentication: the invoker role gets a request in, not a signature.
    3. Register the address as the consensus key of your baker:
         octez-client set consensus key for <baker> to <alias>
    4. Watch the alarms and the dashboard; keep the watermark table (deletion protection) and
       never point two bakers at the same key unless that is the design.
  EOT
}

output "multi_region" {
  description = "With multi_region: the second signing Region, its signer URL, function ARN and replica keys (same tz addresses as key_arns), the table's replica and witness Regions. Null for a single-Region signer."
  value = local.multi_region ? {
    primary_region   = data.aws_region.current.region
    replica_region   = local.replica_region
    signer_urls      = { (data.aws_region.current.region) = module.exposure.url, (local.replica_region) = module.exposure_replica[0].url }
    function_arns    = local.function_arns
    replica_key_arns = { for name, key in module.kms_key : name => key.replica_key_arn }
    table_replicas   = local.table_replica_regions
    table_witness    = local.table_witness_region
  } : null
}
