# The topic the alarms and the security events go to, in the signer account.
data "aws_caller_identity" "signer" {
  provider = aws.signer
}

resource "aws_sns_topic" "alarms" {
  provider = aws.signer

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
      values   = [data.aws_caller_identity.signer.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  provider = aws.signer

  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms.json
}

resource "aws_sns_topic_subscription" "email" {
  provider = aws.signer
  count    = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
