locals {
  cloudtrail_detail_type = ["AWS API Call via CloudTrail"]

  # An assumed-role ARN has no role path: arn:aws:sts::<account>:assumed-role/<role name>/<session>.
  signer_role_name = element(split("/", var.signer_role_arn), length(split("/", var.signer_role_arn)) - 1)

  # Lambda names the execution role's session after the function, so the signer's own calls come
  # from arn:aws:sts::<account>:assumed-role/<role name>/<function name>. Not in an AWS reference
  # page; observed and relied on in public tooling: cloud-custodian/cloud-custodian#306 ("lambda now
  # has the session name tied to the function name (since october 2016) in cloudtrail"),
  # bluesentry/bucket-antivirus-function#109 (assumed-role/<RoleName>/<FunctionName>). A function
  # name cannot contain "/", so the suffix is exact. If AWS ever changed the session name, these
  # rules would report the signer itself: loud, never silent.
  signer_session_suffix = ":assumed-role/${local.signer_role_name}/${var.function_name}"

  # Matches calls made by anyone but the signer function: any caller that is not an assumed role,
  # a session of another role, or a session of the signer role opened for another function (the
  # role was passed to a function that is not the signer: issue 9, docs/security.md).
  not_the_signer = [
    { userIdentity = { type = [{ "anything-but" = ["AssumedRole"] }] } },
    { userIdentity = { sessionContext = { sessionIssuer = { arn = [{ "anything-but" = [var.signer_role_arn] }] } } } },
    {
      userIdentity = {
        sessionContext = { sessionIssuer = { arn = [var.signer_role_arn] } }
        arn            = [{ "anything-but" = { suffix = local.signer_session_suffix } }]
      }
    },
  ]

  event_rules = {
    kms-key-changes = {
      description = "Changes to the signer's KMS keys: key policy, grants, enable/disable, deletion, aliases."
      state       = "ENABLED"
      enabled     = true
      pattern = jsonencode({
        source        = ["aws.kms"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["kms.amazonaws.com"]
          eventName = [
            "PutKeyPolicy", "CreateGrant", "RetireGrant", "RevokeGrant", "DisableKey", "EnableKey",
            "ScheduleKeyDeletion", "CancelKeyDeletion", "CreateAlias", "UpdateAlias", "DeleteAlias",
          ]
          resources = { ARN = var.key_arns }
        }
      })
    }

    # kms:Sign is a read-only management event: only rules in state
    # ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS receive it. The key policy denies the call; this
    # rule reports the attempt (CloudTrail logs denied calls too).
    kms-sign-by-others = {
      description = "kms:Sign on a signer key by any principal other than the signer role."
      state       = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
      enabled     = true
      pattern = jsonencode({
        source        = ["aws.kms"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["kms.amazonaws.com"]
          eventName   = ["Sign"]
          resources   = { ARN = var.key_arns }
          "$or"       = local.not_the_signer
        }
      })
    }

    # Lambda's CloudTrail event names carry an API version suffix (UpdateFunctionCode20150331v2).
    lambda-changes = {
      description = "Changes to the signer's Lambda function: code, configuration, permissions, URL, concurrency, deletion."
      state       = "ENABLED"
      enabled     = true
      pattern = jsonencode({
        source        = ["aws.lambda"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["lambda.amazonaws.com"]
          eventName = [
            for action in [
              "UpdateFunctionCode", "UpdateFunctionConfiguration", "AddPermission", "RemovePermission",
              "DeleteFunction", "CreateFunctionUrlConfig", "UpdateFunctionUrlConfig", "DeleteFunctionUrlConfig",
              "PutFunctionConcurrency", "DeleteFunctionConcurrency", "PublishVersion", "CreateAlias", "UpdateAlias",
            ] : { prefix = action }
          ]
          requestParameters = {
            functionName = [var.function_name, var.function_arn, { prefix = "${var.function_arn}:" }]
          }
        }
      })
    }

    # Whoever creates or reconfigures a function with the signer's role runs code as the signer
    # (iam:PassRole). CreateFunction and UpdateFunctionConfiguration carry API version suffixes in
    # CloudTrail (CreateFunction20150331, UpdateFunctionConfiguration20150331v2): prefix matching.
    # The signer's own function is left to lambda-changes.
    signer-role-passed = {
      description = "A Lambda function other than the signer was created or reconfigured with the signer's role."
      state       = "ENABLED"
      enabled     = true
      pattern = jsonencode({
        source        = ["aws.lambda"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["lambda.amazonaws.com"]
          eventName   = [{ prefix = "CreateFunction" }, { prefix = "UpdateFunctionConfiguration" }]
          requestParameters = {
            role         = [var.signer_role_arn]
            functionName = [{ "anything-but" = [var.function_name, var.function_arn] }]
          }
        }
      })
    }

    table-changes = {
      description = "Changes to the watermark table: settings, backups, deletion, resource policy."
      state       = "ENABLED"
      enabled     = true
      pattern = jsonencode({
        source        = ["aws.dynamodb"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["dynamodb.amazonaws.com"]
          eventName = [
            "UpdateTable", "DeleteTable", "UpdateContinuousBackups", "UpdateTimeToLive",
            "RestoreTableToPointInTime", "PutResourcePolicy", "DeleteResourcePolicy",
          ]
          "$or" = [
            { requestParameters = { tableName = [var.table_name, var.table_arn] } },
            { requestParameters = { resourceArn = [var.table_arn] } },
          ]
        }
      })
    }

    # Item writes are DynamoDB data events: recorded only by a trail with data event selectors.
    table-writes-by-others = {
      description = "Item writes to the watermark table by any principal other than the signer role (needs DynamoDB data events in CloudTrail)."
      state       = "ENABLED"
      enabled     = var.table_data_event_rule_enabled
      pattern = jsonencode({
        source        = ["aws.dynamodb"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["dynamodb.amazonaws.com"]
          eventName   = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]
          resources   = { ARN = [var.table_arn] }
          "$or"       = local.not_the_signer
        }
      })
    }
  }
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = { for key, rule in local.event_rules : key => rule if var.cloudtrail_rules_enabled && rule.enabled }

  name          = "${var.name}-${each.key}"
  description   = each.value.description
  state         = each.value.state
  event_pattern = each.value.pattern
  tags          = var.tags
}

# for_each over a boolean the caller knows at plan time, never over the topic ARN (see alarms.tf).
resource "aws_cloudwatch_event_target" "sns" {
  for_each = { for key, rule in aws_cloudwatch_event_rule.this : key => rule.name if var.alarm_actions_enabled }

  rule      = each.value
  target_id = "sns"
  arn       = var.alarm_sns_topic_arn

  lifecycle {
    precondition {
      condition     = var.alarm_sns_topic_arn != null
      error_message = "alarm_actions_enabled = true needs alarm_sns_topic_arn."
    }
  }
}
