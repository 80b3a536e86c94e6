# Trust: the Lambda service. No aws:SourceArn/aws:SourceAccount condition: AWS documents those
# keys for Lambda only on policies whose resource is the function (its resource policy), not on the
# execution role's trust policy (https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html:
# "The aws:SourceArn condition key applies only to policies that have your Lambda function as the
# target resource"), and a condition Lambda does not send would stop the signer from starting. Who
# may use the role is fenced instead by the Deny on lambda:SourceFunctionArn below, and by
# iam:PassRole (the dedicated-account SCP, docs/security.md).
data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name                 = "${var.name}-lambda"
  path                 = var.role_path
  description          = "Execution role of the Tezos remote signer ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  permissions_boundary = var.role_permissions_boundary_arn
  tags                 = var.tags
}

# Exactly the calls docs/interfaces.md lists, on exactly the signer's resources.
data "aws_iam_policy_document" "lambda" {
  dynamic "statement" {
    for_each = local.sign_groups

    content {
      sid       = "KmsSign${replace(title(lower(replace(statement.value.algorithm, "_", " "))), " ", "")}${title(lower(statement.value.message_type))}"
      effect    = "Allow"
      actions   = ["kms:Sign"]
      resources = statement.value.key_arns

      condition {
        test     = "StringEquals"
        variable = "kms:SigningAlgorithm"
        values   = [statement.value.algorithm]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:MessageType"
        values   = [statement.value.message_type]
      }
    }
  }

  statement {
    sid       = "KmsGetPublicKey"
    effect    = "Allow"
    actions   = ["kms:GetPublicKey"]
    resources = local.key_arns
  }

  statement {
    sid    = "WatermarkTable"
    effect = "Allow"
    # DescribeTable: with SIGNER_MULTI_REGION=true the signer checks, before its first watermark read,
    # that the table is a global table with multi-Region strong consistency (lambda/src/table-mode.ts).
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"]
    resources = [module.watermark_table.table_arn]
  }

  # Log streams of the function's own log group: arn:...:log-group:<name>:log-stream:<stream>.
  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda.arn}:*"]
  }

  # The role is only good inside the signer function. Any Lambda function can be given this role
  # by whoever may iam:PassRole it, and would then run with it. Lambda injects the ARN of the
  # function into the credentials it hands to the function's code, as lambda:SourceFunctionArn,
  # usable in identity-based policies and SCPs (not in resource policies such as the key policy):
  # https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html. An explicit
  # Deny here wins over the key policy's Allow. ArnNotLike also matches a missing key, so the
  # role's credentials used outside any function are refused too.
  statement {
    sid       = "DenyOutsideTheSignerFunction"
    effect    = "Deny"
    actions   = ["dynamodb:PutItem", "kms:Sign"]
    resources = concat(local.key_arns, [module.watermark_table.table_arn])

    condition {
      test     = "ArnNotLike"
      variable = "lambda:SourceFunctionArn"
      values   = [local.function_arn, "${local.function_arn}:*"]
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  name   = "signer"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

# Only when the function runs in a VPC: the network interface calls Lambda makes with the role.
# Resource "*" is required here and is the one exception to "no wildcard resource": the
# ec2:Describe* actions support no resource-level permission, and Lambda checks
# ec2:CreateNetworkInterface/DeleteNetworkInterface/Assign/UnassignPrivateIpAddresses against "*"
# when the function is created. Written inline rather than by attaching the managed policy
# AWSLambdaVPCAccessExecutionRole, which also grants logs:CreateLogGroup/CreateLogStream/PutLogEvents
# on every log group of the account.
data "aws_iam_policy_document" "vpc" {
  count = local.in_vpc ? 1 : 0

  statement {
    sid    = "VpcNetworkInterfaces"
    effect = "Allow"
    actions = [
      "ec2:AssignPrivateIpAddresses",
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "vpc" {
  count = local.in_vpc ? 1 : 0

  name   = "vpc-network-interfaces"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.vpc[0].json
}
