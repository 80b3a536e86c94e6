variable "name" {
  description = "Prefix of the names of the alarms, rules, dashboard and forwarding role (at most 40 characters: an EventBridge rule name, <name>-<rule>, is at most 64)."
  type        = string

  # 40 + 1 + the longest rule suffix ("table-writes-by-others", 22) = 63: EventBridge refuses rule names
  # over 64 characters (test/terraform/monitoring.test.ts holds the sum under 64).
  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,40}$", var.name))
    error_message = "name must match ^[a-zA-Z0-9_-]{1,40}$."
  }
}

variable "function_name" {
  description = "Name of the signer's Lambda function."
  type        = string
}

variable "function_arn" {
  description = "ARN of the signer's Lambda function (EventBridge rule on changes to it)."
  type        = string
}

variable "signer_role_arn" {
  description = "ARN of the signer's Lambda role: calls by this role are expected, calls by anyone else are reported."
  type        = string
}

variable "key_arns" {
  description = "ARNs of the signer's KMS keys, watched for policy, grant, state and deletion changes and for kms:Sign calls by other principals."
  type        = list(string)
}

variable "table_name" {
  description = "Name of the watermark table."
  type        = string
}

variable "table_arn" {
  description = "ARN of the watermark table."
  type        = string
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the handler's embedded metrics (SIGNER_METRICS_NAMESPACE)."
  type        = string
  default     = "TezosSigner"
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an SNS topic that receives the alarms (alarm and OK) and the EventBridge security events. Null: alarms and rules are created without actions. The topic's policy must allow cloudwatch.amazonaws.com and events.amazonaws.com to publish."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[a-zA-Z0-9_.-]+$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be null or an SNS topic ARN."
  }
}

variable "alarm_actions_enabled" {
  description = "Send the alarms (alarm and OK) and the EventBridge security events to alarm_sns_topic_arn. A plain boolean on purpose: the topic ARN is often unknown until apply (a topic created in the same configuration), and whether to create the EventBridge targets must be known at plan time. Set it to true whenever alarm_sns_topic_arn is set."
  type        = bool
  default     = false
}

variable "alarm_period_seconds" {
  description = "Period of the error, throttle, authentication failure and watermark refusal alarms, in seconds (multiple of 60)."
  type        = number
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be a multiple of 60, at least 60."
  }
}

variable "auth_failures_threshold" {
  description = "Alarm when more than this many signing requests fail authentication (AuthFailures) in one period."
  type        = number
  default     = 5

  validation {
    condition     = var.auth_failures_threshold >= 0
    error_message = "auth_failures_threshold must be >= 0."
  }
}

variable "watermark_refusals_threshold" {
  description = "Alarm when more than this many requests are refused by the high watermark (WatermarkRefusals) in one period. A refusal means something asked to sign at or below a level already signed: 0 with one baker; raise it only for a deliberate active/standby pair of bakers."
  type        = number
  default     = 0

  validation {
    condition     = var.watermark_refusals_threshold >= 0
    error_message = "watermark_refusals_threshold must be >= 0."
  }
}

variable "lambda_errors_threshold" {
  description = "Alarm when the Lambda function fails (AWS/Lambda Errors: uncaught errors, timeouts) more than this many times in one period."
  type        = number
  default     = 0

  validation {
    condition     = var.lambda_errors_threshold >= 0
    error_message = "lambda_errors_threshold must be >= 0."
  }
}

variable "lambda_throttles_threshold" {
  description = "Alarm when more than this many invocations are throttled (AWS/Lambda Throttles) in one period."
  type        = number
  default     = 0

  validation {
    condition     = var.lambda_throttles_threshold >= 0
    error_message = "lambda_throttles_threshold must be >= 0."
  }
}

variable "handler_errors_threshold" {
  description = "Alarm when the handler reports more than this many errors (its Errors metric) in one period."
  type        = number
  default     = 0

  validation {
    condition     = var.handler_errors_threshold >= 0
    error_message = "handler_errors_threshold must be >= 0."
  }
}

variable "no_signature_alarm_enabled" {
  description = "Create the alarm that fires when the signer produced no signature for no_signature_minutes (a baker that stopped signing misses its rights)."
  type        = bool
  default     = true
}

variable "no_signature_minutes" {
  description = "Minutes without any signature (no write to the watermark table, missing data counted as breaching) before the no-signature alarm fires."
  type        = number
  default     = 15

  validation {
    condition     = var.no_signature_minutes >= 1 && var.no_signature_minutes <= 1440 && floor(var.no_signature_minutes) == var.no_signature_minutes
    error_message = "no_signature_minutes must be a whole number between 1 and 1440."
  }
}

variable "cloudtrail_rules_enabled" {
  description = "Create the EventBridge rules on CloudTrail events touching the signer (key policy, grants, key state and deletion, kms:Sign by another principal, function code/configuration/permissions, the signer role passed to another function, IAM changes to the signer role, table changes) and the alarm system (this module's rules, the Region's trails). The global ones (IAM, rules, trails) are also created in us-east-1 and forwarded here. They only fire if a CloudTrail trail logs management events in this Region and in us-east-1: set create_trail, or check that the account or organization has one."
  type        = bool
  default     = true
}

variable "table_data_event_rule_enabled" {
  description = "Create the EventBridge rule on item writes to the watermark table by any principal other than the signer function, and, with create_trail, record the table's write data events in that trail. The rule only fires if a trail records the table's write data events: no trail does by default (data events are charged per event). With your own trail, add the table's writes to its advanced event selectors before enabling this."
  type        = bool
  default     = false
}

variable "create_trail" {
  description = "Create a multi-Region CloudTrail trail (and its S3 bucket) recording management events, and the watermark table's item writes (data events, writes only, through advanced event selectors) when table_data_event_rule_enabled. The EventBridge rules need a trail; leave false when the account or the organization already has one that logs management events in this Region and in us-east-1."
  type        = bool
  default     = false
}

variable "dashboard_enabled" {
  description = "Create a CloudWatch dashboard with the signer's metrics."
  type        = bool
  default     = true
}

variable "role_permissions_boundary_arn" {
  description = "Permissions boundary of the IAM role EventBridge uses to forward the us-east-1 rules' events to the signer Region (created only when the signer is not in us-east-1). Null: none."
  type        = string
  default     = null

  validation {
    condition     = var.role_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.role_permissions_boundary_arn))
    error_message = "role_permissions_boundary_arn must be null or an IAM policy ARN."
  }
}

variable "tags" {
  description = "Tags added to the resources that accept them."
  type        = map(string)
  default     = {}
}
