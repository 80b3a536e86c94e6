# Alarm and security-event wiring, planned by Terraform against the offline provider
# (`npm run tf:check`). The topic ARN here is known; examples/public plans it unknown (created in the
# same apply), which is why a plain boolean, not the ARN, decides the wiring.

variables {
  name            = "tf-test-signer"
  function_name   = "tf-test-signer"
  function_arn    = "arn:aws:lambda:eu-west-1:123456789012:function:tf-test-signer"
  signer_role_arn = "arn:aws:iam::123456789012:role/tf-test-signer-lambda"
  key_arns        = ["arn:aws:kms:eu-west-1:123456789012:key/0b1f4f3a-0000-4000-8000-000000000001"]
  table_name      = "tf-test-signer-watermarks"
  table_arn       = "arn:aws:dynamodb:eu-west-1:123456789012:table/tf-test-signer-watermarks"
}

provider "aws" {
  region = "eu-west-1"
}

run "wired_to_the_topic" {
  command = plan

  variables {
    alarm_actions_enabled = true
    alarm_sns_topic_arn   = "arn:aws:sns:eu-west-1:123456789012:tf-test-alarms"
  }

  assert {
    condition     = length(aws_cloudwatch_event_target.sns) == length(aws_cloudwatch_event_rule.this) && length(aws_cloudwatch_event_rule.this) > 0
    error_message = "Every security event rule sends to the topic."
  }

  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.sum) : a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:tf-test-alarms"])])
    error_message = "Every alarm notifies the topic."
  }
}

run "not_wired" {
  command = plan

  variables {
    alarm_actions_enabled = false
  }

  assert {
    condition     = length(aws_cloudwatch_event_target.sns) == 0 && alltrue([for a in values(aws_cloudwatch_metric_alarm.sum) : length(a.alarm_actions) == 0])
    error_message = "Without alarm_actions_enabled nothing is sent anywhere."
  }
}

run "actions_need_a_topic" {
  command = plan

  variables {
    alarm_actions_enabled = true
    alarm_sns_topic_arn   = null
  }

  expect_failures = [aws_cloudwatch_metric_alarm.sum, aws_cloudwatch_event_target.sns]
}

# Issue 19: alarms and security events never leave the signer's account.
run "a_topic_of_another_account_is_refused" {
  command = plan

  variables {
    alarm_actions_enabled = true
    alarm_sns_topic_arn   = "arn:aws:sns:eu-west-1:210987654321:elsewhere"
  }

  expect_failures = [aws_cloudwatch_metric_alarm.sum, aws_cloudwatch_metric_alarm.no_signatures, aws_cloudwatch_event_target.sns]
}

# Issue 19: IAM changes to the signer role are watched from us-east-1 and forwarded to the signer
# Region's bus; the rule-changes and trail-changes rules watch us-east-1 too.
run "the_signer_role_is_watched_from_us_east_1" {
  command = plan

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.us_east_1)) == toset(["iam-changes", "rule-changes", "trail-changes"]) && alltrue([for r in values(aws_cloudwatch_event_rule.us_east_1) : r.region == "us-east-1"])
    error_message = "The global rules are created again in us-east-1."
  }

  assert {
    condition     = alltrue([for t in values(aws_cloudwatch_event_target.forward) : t.arn == "arn:aws:events:eu-west-1:123456789012:event-bus/default"])
    error_message = "The us-east-1 rules forward to the signer Region's default bus."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["iam-changes"].event_pattern).detail.requestParameters.roleName == [{ "equals-ignore-case" = "tf-test-signer-lambda" }]
    error_message = "The IAM rule names the signer role, whatever its case."
  }
}

run "passing_the_signer_role_to_another_function_is_an_event" {
  command = plan

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.this["signer-role-passed"].event_pattern).detail.requestParameters == {
      role = ["arn:aws:iam::123456789012:role/tf-test-signer-lambda"]
      functionName = [{ "anything-but" = { wildcard = [
        "tf-test-signer", "tf-test-signer:*",
        "arn:aws:lambda:eu-west-1:123456789012:function:tf-test-signer", "arn:aws:lambda:eu-west-1:123456789012:function:tf-test-signer:*",
        "123456789012:function:tf-test-signer", "123456789012:function:tf-test-signer:*",
      ] } }]
    }
    error_message = "A CreateFunction/UpdateFunctionConfiguration naming the signer role for another function raises an event (issue 9)."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["signer-role-passed"].event_pattern).detail.eventName == [{ prefix = "CreateFunction" }, { prefix = "UpdateFunctionConfiguration" }]
    error_message = "Lambda's CloudTrail event names carry a version suffix: the rule matches by prefix."
  }
}
