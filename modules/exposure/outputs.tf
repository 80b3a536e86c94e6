output "url" {
  description = "Base URL of the signer, without a trailing slash (octez-client: tcp/https remote signer URL is <url>/<pkh>)."
  value = trimsuffix(coalesce(
    one(aws_lambda_function_url.this[*].function_url),
    one(aws_apigatewayv2_stage.this[*].invoke_url),
    one(aws_api_gateway_stage.this[*].invoke_url),
  ), "/")
}

output "private_api_vpce_urls" {
  description = "For the private REST API: base URL through each VPC endpoint (https://<api id>-<vpce id>.execute-api.<region>.amazonaws.com/<stage>), usable without private DNS on the endpoint. Empty otherwise."
  value = local.is_private_rest_api ? {
    for id in var.vpc_endpoint_ids :
    id => replace(aws_api_gateway_stage.this[0].invoke_url, "${aws_api_gateway_rest_api.this[0].id}.", "${aws_api_gateway_rest_api.this[0].id}-${id}.")
  } : {}
}

output "api_id" {
  description = "Id of the HTTP API or of the private REST API; null with a Function URL."
  value       = try(coalesce(one(aws_apigatewayv2_api.this[*].id), one(aws_api_gateway_rest_api.this[*].id)), null)
}

output "access_log_group_name" {
  description = "Name of the API access log group, or null."
  value       = one(aws_cloudwatch_log_group.access[*].name)
}

output "authorization_type" {
  description = "Authorization type of the Function URL (NONE or AWS_IAM), or null with an API Gateway exposure."
  value       = one(aws_lambda_function_url.this[*].authorization_type)
}
