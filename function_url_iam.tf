# exposure = "function_url_iam" (issue 19, item 6): a Function URL with authorization AWS_IAM, so that
# Lambda refuses a request without a valid SigV4 signature before it invokes, and so bills, the function
# (a flood costs nothing; docs/cost.md#floods). The baker host signs with the invoker role below
# (`tezos-signer failover --sign-sigv4`). The role is created here and not in modules/exposure because
# IAM is global: with multi_region one role invokes both Regions' URLs.
#
# No resource-based policy: the invoker role is in the function's account, where its identity policy
# alone authorizes the call, and nothing grants `*` anything. The octez `authentication` is still
# checked by the function: this role can get a request in, never a signature without the authorized key.
locals {
  function_url_iam = var.exposure == "function_url_iam"
}

data "aws_iam_policy_document" "url_invoker_trust" {
  count = local.function_url_iam ? 1 : 0

  statement {
    sid     = "BakerHostAssumesTheInvokerRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.function_url_invoker_principal_arns
    }
  }
}

resource "aws_iam_role" "url_invoker" {
  count = local.function_url_iam ? 1 : 0

  name                 = "${var.name}-url-invoker"
  path                 = var.role_path
  description          = "Invokes the Function URL of the Tezos remote signer ${var.name} (SigV4), nothing else"
  assume_role_policy   = data.aws_iam_policy_document.url_invoker_trust[0].json
  permissions_boundary = var.role_permissions_boundary_arn
  max_session_duration = 3600
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = length(var.function_url_invoker_principal_arns) > 0
      error_message = "exposure = \"function_url_iam\" needs function_url_invoker_principal_arns: the IAM principals of the baker host (an instance role, a user) allowed to assume the invoker role. Without one nobody could call the signer."
    }
  }
}

# Since October 2025 a Function URL call needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction
# (AWS Lambda Developer Guide, "Control access to Lambda function URLs"). Each is pinned to the URL:
# InvokeFunctionUrl only with auth type AWS_IAM, InvokeFunction only when it comes through a Function
# URL, never the Invoke API; on the signer function(s) only, unqualified (the URL has no alias).
data "aws_iam_policy_document" "url_invoker" {
  count = local.function_url_iam ? 1 : 0

  statement {
    sid       = "InvokeTheSignerUrl"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = local.function_arns

    condition {
      test     = "StringEquals"
      variable = "lambda:FunctionUrlAuthType"
      values   = ["AWS_IAM"]
    }
  }

  statement {
    sid       = "InvokeOnlyThroughTheUrl"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = local.function_arns

    condition {
      test     = "Bool"
      variable = "lambda:InvokedViaFunctionUrl"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role_policy" "url_invoker" {
  count = local.function_url_iam ? 1 : 0

  name   = "invoke-signer-url"
  role   = aws_iam_role.url_invoker[0].id
  policy = data.aws_iam_policy_document.url_invoker[0].json
}
