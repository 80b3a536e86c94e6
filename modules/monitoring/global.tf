# The global rules (events.tf, local.global_rules) again in us-east-1: IAM's CloudTrail events reach
# EventBridge there only ("AWS API Call via CloudTrail", global services), and the rules and trails of
# us-east-1 are watched there too. The provider's per-resource `region` argument (hashicorp/aws 6.0,
# "enhanced region support"; the module needs >= 6.40) places them there, on the caller's own
# provider: no second provider configuration to pass (a module declaring configuration_aliases cannot
# be checked by `terraform validate` on its own: "missing provider ... us_east_1"). An EventBridge rule
# sends to an SNS topic of its own Region only; another Region's event bus is a target it may have, so
# each rule here forwards to the signer Region's default bus, where the same rule sends to the topic.
# When the signer is in us-east-1, the rules of events.tf already see everything: nothing is created.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  forward_global_rules = var.cloudtrail_rules_enabled && local.region != "us-east-1"
  default_bus_arn      = "arn:${data.aws_partition.current.partition}:events:${local.region}:${data.aws_caller_identity.current.account_id}:event-bus/default"
}

resource "aws_cloudwatch_event_rule" "us_east_1" {
  for_each = local.forward_global_rules ? local.global_rules : {}

  region        = "us-east-1"
  name          = "${var.name}-${each.key}"
  description   = "${each.value.description} Forwarded to ${local.region}."
  state         = each.value.state
  event_pattern = each.value.pattern
  tags          = var.tags
}

data "aws_iam_policy_document" "forward_assume" {
  count = local.forward_global_rules ? 1 : 0

  statement {
    sid     = "EventBridgeOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "forward" {
  count = local.forward_global_rules ? 1 : 0

  statement {
    sid       = "PutEventsOnTheSignerRegionBus"
    effect    = "Allow"
    actions   = ["events:PutEvents"]
    resources = [local.default_bus_arn]
  }
}

# EventBridge needs a role to put events on another Region's bus; it may do that and nothing else.
resource "aws_iam_role" "forward" {
  count = local.forward_global_rules ? 1 : 0

  name                 = "${var.name}-events-forward"
  assume_role_policy   = data.aws_iam_policy_document.forward_assume[0].json
  permissions_boundary = var.role_permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy" "forward" {
  count = local.forward_global_rules ? 1 : 0

  name   = "put-events-on-the-signer-region-bus"
  role   = aws_iam_role.forward[0].id
  policy = data.aws_iam_policy_document.forward[0].json
}

# Forwarding does not depend on the topic: the events reach the signer Region's rules, which send them
# to the topic when alarm_actions_enabled.
resource "aws_cloudwatch_event_target" "forward" {
  for_each = aws_cloudwatch_event_rule.us_east_1

  region    = "us-east-1"
  rule      = each.value.name
  target_id = "signer-region-bus"
  arn       = local.default_bus_arn
  role_arn  = aws_iam_role.forward[0].arn
}
