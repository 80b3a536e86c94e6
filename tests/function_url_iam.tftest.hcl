# exposure = "function_url_iam" (issue 19, item 6): a Function URL with authorization AWS_IAM and no
# public permission, an invoker role for the baker host that may invoke that URL and nothing else, and
# the inputs refused where a wrong value would leave the signer public or unusable. Offline provider
# (`npm run tf:check`); test/iam/evaluator.test.ts decides the same policies with an IAM evaluator.

variables {
  name                = "tf-test-signer"
  authorized_keys     = ["sppk7cvnVRyCDHw6FCgjhjKSjgPWzYUVMLfBHEvdTGs294k8tvdWKoV"]
  key_admin_role_arns = ["arn:aws:iam::123456789012:role/terraform"]
  consensus_key_guard = false
}

provider "aws" {
  region = "eu-west-1"
}

run "the_url_requires_aws_iam_and_the_invoker_role_may_only_invoke_it" {
  command = apply

  variables {
    exposure                            = "function_url_iam"
    function_url_invoker_principal_arns = ["arn:aws:iam::123456789012:role/baker-host"]
  }

  assert {
    condition     = module.exposure.authorization_type == "AWS_IAM"
    error_message = "function_url_iam creates a Function URL with authorization AWS_IAM."
  }

  assert {
    condition     = length(module.exposure.url) > 0 && output.signer_url == module.exposure.url
    error_message = "The signer URL is the Function URL."
  }

  assert {
    condition     = output.function_url_invoker_role_arn == aws_iam_role.url_invoker[0].arn && aws_iam_role.url_invoker[0].name == "tf-test-signer-url-invoker"
    error_message = "The invoker role is <name>-url-invoker, and its ARN is an output."
  }

  assert {
    condition = jsondecode(aws_iam_role.url_invoker[0].assume_role_policy).Statement == [{
      Sid       = "BakerHostAssumesTheInvokerRole"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:role/baker-host" }
    }]
    error_message = "Only the principals in function_url_invoker_principal_arns may assume the invoker role."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.url_invoker[0].policy).Statement == [
      {
        Sid       = "InvokeTheSignerUrl"
        Effect    = "Allow"
        Action    = "lambda:InvokeFunctionUrl"
        Resource  = aws_lambda_function.this.arn
        Condition = { StringEquals = { "lambda:FunctionUrlAuthType" = "AWS_IAM" } }
      },
      {
        Sid       = "InvokeOnlyThroughTheUrl"
        Effect    = "Allow"
        Action    = "lambda:InvokeFunction"
        Resource  = aws_lambda_function.this.arn
        Condition = { Bool = { "lambda:InvokedViaFunctionUrl" = "true" } }
      },
    ]
    error_message = "The invoker role may call exactly InvokeFunctionUrl (auth type AWS_IAM) and InvokeFunction (through the URL only), on the signer function only."
  }

  assert {
    condition     = strcontains(output.next_steps, "tezos-signer failover --sign-sigv4 --upstream ${output.signer_url}") && !strcontains(output.next_steps, "curl")
    error_message = "next_steps sends the operator through the signing proxy: an unsigned curl would get 403."
  }
}

run "function_url_iam_without_principals_is_refused" {
  command = plan

  variables {
    exposure = "function_url_iam"
  }

  expect_failures = [aws_iam_role.url_invoker]
}

run "a_principal_that_is_not_an_iam_arn_is_refused" {
  command = plan

  variables {
    exposure                            = "function_url_iam"
    function_url_invoker_principal_arns = ["baker-host"]
  }

  expect_failures = [var.function_url_invoker_principal_arns]
}

run "a_wildcard_principal_is_refused" {
  command = plan

  variables {
    exposure                            = "function_url_iam"
    function_url_invoker_principal_arns = ["arn:aws:iam::123456789012:role/*"]
  }

  expect_failures = [var.function_url_invoker_principal_arns]
}

run "principals_with_a_public_exposure_are_refused" {
  command = plan

  variables {
    exposure                            = "function_url"
    function_url_invoker_principal_arns = ["arn:aws:iam::123456789012:role/baker-host"]
  }

  expect_failures = [aws_lambda_function.this]
}
