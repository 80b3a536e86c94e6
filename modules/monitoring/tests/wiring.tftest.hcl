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

run "passing_the_signer_role_to_another_function_is_an_event" {
  command = plan

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.this["signer-role-passed"].event_pattern).detail.requestParameters == {
      role         = ["arn:aws:iam::123456789012:role/tf-test-signer-lambda"]
      functionName = [{ "anything-but" = ["tf-test-signer", "arn:aws:lambda:eu-west-1:123456789012:function:tf-test-signer"] }]
    }
    error_message = "A CreateFunction/UpdateFunctionConfiguration naming the signer role for another function raises an event (issue 9)."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["signer-role-passed"].event_pattern).detail.eventName == [{ prefix = "CreateFunction" }, { prefix = "UpdateFunctionConfiguration" }]
    error_message = "Lambda's CloudTrail event names carry a version suffix: the rule matches by prefix."
  }
}
