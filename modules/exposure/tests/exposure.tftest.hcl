# Each exposure creates exactly its own resources (offline provider, `npm run tf:check`).

variables {
  name                = "tf-test-signer"
  function_name       = "tf-test-signer"
  function_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:tf-test-signer/invocations"
}

run "function_url" {
  command = plan

  variables {
    exposure = "function_url"
  }

  assert {
    condition     = length(aws_lambda_function_url.this) == 1 && aws_lambda_function_url.this[0].authorization_type == "NONE"
    error_message = "function_url creates one public Function URL (authentication is the signer's own)."
  }

  assert {
    condition     = length(aws_lambda_permission.function_url) == 1 && length(aws_lambda_permission.function_url_invoke) == 1
    error_message = "function_url grants both lambda:InvokeFunctionUrl and lambda:InvokeFunction."
  }

  assert {
    condition     = aws_lambda_permission.function_url_invoke[0].invoked_via_function_url == true
    error_message = "lambda:InvokeFunction is granted only through the Function URL."
  }

  assert {
    condition     = length(aws_apigatewayv2_api.this) == 0 && length(aws_api_gateway_rest_api.this) == 0
    error_message = "function_url creates no API Gateway."
  }
}

run "http_api" {
  command = plan

  variables {
    exposure = "http_api"
  }

  assert {
    condition     = length(aws_apigatewayv2_api.this) == 1 && length(aws_apigatewayv2_stage.this) == 1 && length(aws_lambda_permission.http_api) == 1
    error_message = "http_api creates one HTTP API, its stage and its invoke permission."
  }

  assert {
    condition     = length(aws_lambda_function_url.this) == 0 && length(aws_api_gateway_rest_api.this) == 0
    error_message = "http_api creates neither a Function URL nor a REST API."
  }
}

run "private_rest_api" {
  command = plan

  variables {
    exposure         = "private_rest_api"
    vpc_endpoint_ids = ["vpce-0123456789abcdef0"]
  }

  assert {
    condition     = length(aws_api_gateway_rest_api.this) == 1 && toset(aws_api_gateway_rest_api.this[0].endpoint_configuration[0].types) == toset(["PRIVATE"])
    error_message = "private_rest_api creates one PRIVATE REST API."
  }

  assert {
    condition     = length(aws_lambda_function_url.this) == 0 && length(aws_apigatewayv2_api.this) == 0
    error_message = "private_rest_api creates neither a Function URL nor an HTTP API."
  }
}

run "a_private_api_needs_its_endpoints" {
  command = plan

  variables {
    exposure         = "private_rest_api"
    vpc_endpoint_ids = []
  }

  expect_failures = [aws_api_gateway_rest_api.this]
}

run "function_url_iam" {
  command = plan

  variables {
    exposure = "function_url_iam"
  }

  assert {
    condition     = length(aws_lambda_function_url.this) == 1 && aws_lambda_function_url.this[0].authorization_type == "AWS_IAM"
    error_message = "function_url_iam creates one Function URL with authorization AWS_IAM: Lambda refuses unsigned requests before invoking the function."
  }

  assert {
    condition     = length(aws_lambda_permission.function_url) == 0 && length(aws_lambda_permission.function_url_invoke) == 0
    error_message = "function_url_iam grants `*` nothing: no resource-based permission at all (the invoker role's identity policy authorizes it)."
  }

  assert {
    condition     = length(aws_apigatewayv2_api.this) == 0 && length(aws_api_gateway_rest_api.this) == 0
    error_message = "function_url_iam creates no API Gateway."
  }
}
