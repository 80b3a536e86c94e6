provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

# The role running Terraform administers the keys (KMS refuses a key policy that would lock it out).
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

module "signer" {
  source = "../../"

  name                              = var.name
  authorized_keys                   = var.authorized_keys
  allowed_chain_ids                 = var.allowed_chain_ids
  key_admin_role_arns               = concat([data.aws_iam_session_context.current.issuer_arn], var.extra_key_admin_role_arns)
  key_deletion_window_in_days       = var.key_deletion_window_in_days
  table_deletion_protection_enabled = var.table_deletion_protection_enabled
  exposure                          = "function_url"
  alarm_sns_topic_arn               = aws_sns_topic.alarms.arn

  tags = {
    Project = "tezos-signer"
  }
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

data "aws_iam_policy_document" "alarms" {
  statement {
    sid       = "AlarmsAndSecurityEvents"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms.json
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
