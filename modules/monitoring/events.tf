locals {
  cloudtrail_detail_type = ["AWS API Call via CloudTrail"]

  # arn:<partition>:lambda:<region>:<account>:function:<name>
  function_arn_parts = split(":", var.function_arn)
  account_id         = element(local.function_arn_parts, 4)

  # Every form the Lambda API takes for FunctionName, hence every form CloudTrail can record in
  # requestParameters.functionName: the name, the full ARN, the partial ARN
  # (<account>:function:<name>), each alone or with ":<version or alias>" (Lambda API reference,
  # "FunctionName ... Name formats"). A function name has no ":", so these prefixes name only the
  # signer.
  function_partial_arn  = "${local.account_id}:function:${var.function_name}"
  function_name_forms   = [var.function_name, var.function_arn, local.function_partial_arn]
  function_name_pattern = flatten([for form in local.function_name_forms : [form, { prefix = "${form}:" }]])
  # The same forms as wildcards, for anything-but (which takes one operator).
  function_name_wildcards = flatten([for form in local.function_name_forms : [form, "${form}:*"]])

  # An assumed-role ARN has no role path: arn:aws:sts::<account>:assumed-role/<role name>/<session>.
  signer_role_name = element(split("/", var.signer_role_arn), length(split("/", var.signer_role_arn)) - 1)

  # Lambda names the execution role's session after the function, so the signer's own calls come
  # from arn:aws:sts::<account>:assumed-role/<role name>/<function name>. Not in an AWS reference
  # page; observed and relied on in public tooling: cloud-custodian/cloud-custodian#306 ("lambda now
  # has the session name tied to the function name (since october 2016) in cloudtrail"),
  # bluesentry/bucket-antivirus-function#109 (assumed-role/<RoleName>/<FunctionName>). A function
  # name cannot contain "/", so the suffix is exact. A name proves little: a function of the same
  # name in another Region (or re-created under that name) with the role carries the same session
  # name. What it cannot share is the function's ARN, Region included, which CloudTrail records in
  # userIdentity.inScopeOf.credentialsIssuedTo for calls made with a function's credentials
  # (CloudTrail User Guide, "CloudTrail userIdentity element", inScopeOf). The signer is a session of
  # its role, named after it, whose credentials were issued to its own ARN; anything else is not the
  # signer, including a record without inScopeOf (were AWS to drop the field, these rules would report
  # the signer itself: loud, never silent).
  signer_session_suffix = ":assumed-role/${local.signer_role_name}/${var.function_name}"
  of_the_signer_role    = { sessionContext = { sessionIssuer = { arn = [var.signer_role_arn] } } }

  not_the_signer = [
    { userIdentity = { type = [{ "anything-but" = ["AssumedRole"] }] } },
    { userIdentity = { sessionContext = { sessionIssuer = { arn = [{ "anything-but" = [var.signer_role_arn] }] } } } },
    { userIdentity = merge(local.of_the_signer_role, { arn = [{ "anything-but" = { suffix = local.signer_session_suffix } }] }) },
    { userIdentity = merge(local.of_the_signer_role, { inScopeOf = { credentialsIssuedTo = [{ "anything-but" = [var.function_arn] }] } }) },
    { userIdentity = merge(local.of_the_signer_role, { inScopeOf = { credentialsIssuedTo = [{ exists = false }] } }) },
  ]

  # Every rule of this module, by key, written out because the tamper rules name them (deriving the
  # list from the rules would be a cycle); a precondition on the rules keeps it complete.
  rule_keys = [
    "kms-key-changes", "kms-sign-by-others", "lambda-changes", "signer-role-passed", "table-changes",
    "table-writes-by-others", "iam-changes", "rule-changes", "trail-changes",
  ]
  rule_names = [for key in local.rule_keys : "${var.name}-${key}"]

  # events:* calls that silence a rule: its pattern or state changed, the rule deleted, its
  # targets removed or replaced. PutRule, DisableRule, DeleteRule name the rule in
  # requestParameters.name; PutTargets and RemoveTargets in requestParameters.rule.
  rule_change_events = ["PutRule", "DisableRule", "DeleteRule", "PutTargets", "RemoveTargets"]
  rule_changes_of = { for set, names in { all = local.rule_names, watcher = ["${var.name}-rule-changes"] } : set => [
    { eventSource = ["events.amazonaws.com"], eventName = local.rule_change_events, requestParameters = { name = names } },
    { eventSource = ["events.amazonaws.com"], eventName = local.rule_change_events, requestParameters = { rule = names } },
  ] }

  # Rules whose events occur in us-east-1 whatever the signer's Region (IAM is a global service: its
  # CloudTrail events reach EventBridge in us-east-1 only), or that must also watch us-east-1 (the
  # rules created there, and the trails there). They are created in the signer's Region, where they
  # send to the topic, and, when that Region is not us-east-1, again in us-east-1, where they forward
  # to the signer Region's default event bus (an SNS target must be in the rule's Region).
  global_rules = {
    # Any change to the signer role's permissions, trust or boundary: an iam:PutRolePolicy that
    # removes the inline Deny would otherwise go unseen. IAM role names are unique regardless of case,
    # and the API finds a role whatever the case it is given in.
    iam-changes = {
      description = "IAM changes to the signer role: inline and managed policies, trust policy, permissions boundary, deletion."
      state       = "ENABLED"
      pattern = jsonencode({
        source        = ["aws.iam"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["iam.amazonaws.com"]
          eventName = [
            "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "UpdateAssumeRolePolicy",
            "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary", "DeleteRole",
          ]
          requestParameters = { roleName = [{ "equals-ignore-case" = local.signer_role_name }] }
        }
      })
    }

    # The alarm system switched off: one of this module's rules changed, disabled, deleted or
    # stripped of its targets. A rule cannot report its own disabling (the event arrives after it is
    # off), so trail-changes also watches this rule.
    rule-changes = {
      description = "This module's EventBridge rules changed, disabled, deleted, or their targets removed or replaced."
      state       = "ENABLED"
      pattern = jsonencode({
        source        = ["aws.events"]
        "detail-type" = local.cloudtrail_detail_type
        detail        = { "$or" = local.rule_changes_of.all }
      })
    }

    # The events feeding the rules cut off: any trail of the Region stopped, deleted, updated or its
    # selectors changed; and rule-changes itself silenced.
    trail-changes = {
      description = "A CloudTrail trail stopped, deleted, updated or its event selectors changed; or the rule-changes rule silenced."
      state       = "ENABLED"
      pattern = jsonencode({
        source        = ["aws.cloudtrail", "aws.events"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          "$or" = concat(
            [{ eventSource = ["cloudtrail.amazonaws.com"], eventName = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"] }],
            local.rule_changes_of.watcher,
          )
        }
      })
    }
  }

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
              "DeleteAlias", "PutFunctionCodeSigningConfig", "PutRuntimeManagementConfig",
            ] : { prefix = action }
          ]
          requestParameters = { functionName = local.function_name_pattern }
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
            functionName = [{ "anything-but" = { wildcard = local.function_name_wildcards } }]
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
            # A restore names the table it reads as its source.
            { requestParameters = { sourceTableName = [var.table_name] } },
            { requestParameters = { sourceTableArn = [var.table_arn] } },
          ]
        }
      })
    }

    # Item writes are DynamoDB data events: recorded only by a trail with data event selectors. PartiQL
    # statements (ExecuteStatement and its batch and transaction forms) can write items too.
    table-writes-by-others = {
      description = "Item writes to the watermark table by any principal other than the signer role (needs DynamoDB data events in CloudTrail)."
      state       = "ENABLED"
      enabled     = var.table_data_event_rule_enabled
      pattern = jsonencode({
        source        = ["aws.dynamodb"]
        "detail-type" = local.cloudtrail_detail_type
        detail = {
          eventSource = ["dynamodb.amazonaws.com"]
          eventName = [
            "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
            "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
          ]
          resources = { ARN = [var.table_arn] }
          "$or"     = local.not_the_signer
        }
      })
    }
  }
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = merge(
    { for key, rule in local.event_rules : key => rule if var.cloudtrail_rules_enabled && rule.enabled },
    { for key, rule in local.global_rules : key => rule if var.cloudtrail_rules_enabled },
  )

  name          = "${var.name}-${each.key}"
  description   = each.value.description
  state         = each.value.state
  event_pattern = each.value.pattern
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = contains(local.rule_keys, each.key)
      error_message = "Rule ${each.key} is missing from local.rule_keys: rule-changes would not watch it."
    }
  }
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
    precondition {
      condition     = local.topic_is_local
      error_message = local.topic_error
    }
  }
}
