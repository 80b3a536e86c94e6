# Lambda Function URL. With exposure = "function_url", authorization NONE: the signer authenticates
# every signing request itself (signature by one of the authorized keys), and the public endpoints
# (GET /keys/<pkh>, /authorized_keys) only reveal public data; but every request, a flood included, is
# an invocation. With "function_url_iam", AWS_IAM: Lambda checks a SigV4 signature and the caller's
# IAM permission before invoking, so an unsigned flood is refused without an invocation. No
# permission below is created then: the invoker role's identity policy (root function_url_iam.tf)
# authorizes it in its own account, and nothing allows `*`.
resource "aws_lambda_function_url" "this" {
  count = local.is_function_url ? 1 : 0

  region             = var.region
  function_name      = var.function_name
  authorization_type = local.is_public_url ? "NONE" : "AWS_IAM"
  invoke_mode        = "BUFFERED"
}

# Since October 2025 a function URL needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction.
# The statement ids differ from the ones the provider may add by itself when it creates the URL
# (FunctionURLAllowPublicAccess, FunctionURLAllowInvokeAction), so the two never conflict.
resource "aws_lambda_permission" "function_url" {
  count = local.is_public_url ? 1 : 0

  region                 = var.region
  statement_id           = "TezosSignerFunctionUrlPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = var.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

# invoked_via_function_url adds the condition lambda:InvokedViaFunctionUrl = true: the public may
# invoke the function through its URL only, never through the Invoke API.
resource "aws_lambda_permission" "function_url_invoke" {
  count = local.is_public_url ? 1 : 0

  region                   = var.region
  statement_id             = "TezosSignerFunctionUrlInvoke"
  action                   = "lambda:InvokeFunction"
  function_name            = var.function_name
  principal                = "*"
  invoked_via_function_url = true
}
