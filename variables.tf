################################################################################
# General
################################################################################

variable "name" {
  description = "Name of the signer: the Lambda function, its role, table, keys' aliases, API and alarms are named after it. Unique per account and Region."
  type        = string
  default     = "tezos-signer"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,39}$", var.name))
    error_message = "name must start with a letter and hold at most 40 letters, digits or hyphens."
  }
}

variable "tags" {
  description = "Tags added to every resource that accepts them."
  type        = map(string)
  default     = {}
}

################################################################################
# Consensus keys (KMS)
################################################################################

variable "keys" {
  description = "Consensus keys to create, by a short name used in their alias (alias/<name>-<key>). key_spec: ECC_SECG_P256K1 (tz2, default), ECC_NIST_P256 (tz3) or ECC_NIST_EDWARDS25519 (tz1). A tz3 key signs (pre)attestations only: the signer never signs a block with it, because a P-256 block signature can be turned into double-baking evidence by anyone (docs/security.md); use tz2 or tz1 for a baker. Asymmetric SIGN_VERIFY keys, never rotated (a consensus key change is a Tezos operation, not a KMS rotation)."
  type = map(object({
    key_spec    = optional(string, "ECC_SECG_P256K1")
    description = optional(string)
  }))
  default = {
    consensus = {}
  }

  validation {
    condition     = alltrue([for key in values(var.keys) : contains(["ECC_SECG_P256K1", "ECC_NIST_P256", "ECC_NIST_EDWARDS25519"], key.key_spec)])
    error_message = "Each key_spec must be one of ECC_SECG_P256K1, ECC_NIST_P256, ECC_NIST_EDWARDS25519."
  }

  validation {
    condition     = alltrue([for name in keys(var.keys) : can(regex("^[a-zA-Z0-9_-]{1,32}$", name))])
    error_message = "Each key name must match ^[a-zA-Z0-9_-]{1,32}$."
  }
}

variable "existing_keys" {
  description = "Existing KMS keys to serve instead of (or besides) creating them, by a short name: key ARN and key spec. Their key policy is not managed here: it must allow this module's Lambda role (output lambda_role_arn) kms:Sign and kms:GetPublicKey, and should deny kms:Sign to everyone else."
  type = map(object({
    arn      = string
    key_spec = string
  }))
  default = {}

  validation {
    condition     = alltrue([for key in values(var.existing_keys) : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-)?[0-9a-f-]{32,36}$", key.arn))])
    error_message = "Each existing key arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }

  validation {
    condition     = alltrue([for key in values(var.existing_keys) : contains(["ECC_SECG_P256K1", "ECC_NIST_P256", "ECC_NIST_EDWARDS25519"], key.key_spec)])
    error_message = "Each existing key_spec must be one of ECC_SECG_P256K1, ECC_NIST_P256, ECC_NIST_EDWARDS25519."
  }
}

variable "key_admin_role_arns" {
  description = "ARNs of the IAM roles that administer the created keys (policy, tags, aliases, enable/disable, deletion); they cannot sign. Must include the role Terraform runs as, or KMS refuses the key policy (policy lockout safety check)."
  type        = list(string)

  validation {
    condition     = length(var.key_admin_role_arns) > 0 && alltrue([for arn in var.key_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[a-zA-Z0-9+=,.@_/-]+$", arn))])
    error_message = "key_admin_role_arns must hold at least one IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "key_deletion_window_in_days" {
  description = "Waiting period, in days (7 to 30), before KMS destroys a key scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.key_deletion_window_in_days >= 7 && var.key_deletion_window_in_days <= 30 && floor(var.key_deletion_window_in_days) == var.key_deletion_window_in_days
    error_message = "key_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "consensus_key_guard" {
  description = "Fail every plan that would destroy or replace a created consensus key: terraform destroy, an entry removed from keys, a changed key_spec. Keep true: turning it off for an existing key is itself refused, and removing a key on purpose is a deliberate terraform state rm (docs/recovery.md). false only for throwaway stacks that must be destroyed, such as terraform test."
  type        = bool
  default     = true
}

################################################################################
# Watermark table (DynamoDB)
################################################################################

variable "table_deletion_protection_enabled" {
  description = "Protect the watermark table against deletion. Losing it loses the high watermarks, and a signer without watermarks can double-sign: keep true outside of tests."
  type        = bool
  default     = true
}

variable "table_kms_key_arn" {
  description = "ARN of a customer managed symmetric KMS key encrypting the watermark table. Null: the AWS managed key aws/dynamodb."
  type        = string
  default     = null
}

################################################################################
# Lambda function
################################################################################

variable "authorized_keys" {
  description = "Public keys (edpk, sppk or p2pk, base58) allowed to request signatures: the authentication keys whose secret keys octez-client holds in its wallet and signs its requests with. Required: the handler refuses to start without one."
  type        = list(string)

  validation {
    condition     = length(var.authorized_keys) > 0
    error_message = "At least one authorized key is required."
  }

  validation {
    condition = alltrue([
      for key in var.authorized_keys :
      can(regex("^edpk[1-9A-HJ-NP-Za-km-z]{50}$", key)) || can(regex("^(sppk|p2pk)[1-9A-HJ-NP-Za-km-z]{51}$", key))
    ])
    error_message = "Each authorized key must be a base58 public key: edpk... (54 characters), sppk... or p2pk... (55 characters)."
  }

  validation {
    # Ed25519 has no key recovery: a forged authentication is checked against each edpk key, so the
    # handler refuses to start with more than MAX_ED25519_AUTHORIZED_KEYS (lambda/src/candidates.ts).
    condition     = length([for key in var.authorized_keys : key if startswith(key, "edpk")]) <= 4
    error_message = "At most 4 Ed25519 (edpk) authorized keys: each adds a check to every forged authentication (docs/security.md), and the handler refuses to start with more. sppk and p2pk keys have no limit."
  }
}

variable "allowed_chain_ids" {
  description = "Chain ids (base58, Net...) the signer signs for. Default: Tezos mainnet only (NetXdQprcVkpaWU); set the test network's chain id to use it on a testnet. An empty list lets the signer sign for any chain, which weakens replay protection across networks."
  type        = list(string)
  default     = ["NetXdQprcVkpaWU"]

  validation {
    condition     = alltrue([for id in var.allowed_chain_ids : can(regex("^Net[1-9A-HJ-NP-Za-km-z]{12}$", id))])
    error_message = "Each chain id must be a base58 chain id of 15 characters starting with Net."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the handler's embedded metrics."
  type        = string
  default     = "TezosSigner"

  validation {
    condition     = can(regex("^[a-zA-Z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be a valid CloudWatch namespace that does not start with AWS/."
  }
}

variable "runtime" {
  description = "Lambda runtime of the function. nodejs24.x (Lambda deprecates it 2028-04-30) by default; nodejs22.x (deprecated 2027-04-30, creation blocked 2027-06-01) is still allowed. The committed bundle is built for the oldest allowed runtime's Node major, so it runs on both (docs/terraform.md)."
  type        = string
  default     = "nodejs24.x"

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.runtime)
    error_message = "runtime must be nodejs22.x or nodejs24.x: the bundle is built and tested for Node 22 and 24 only."
  }
}

variable "lambda_memory_size" {
  description = "Memory of the Lambda function, in MB (also scales its CPU)."
  type        = number
  default     = 256

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240
    error_message = "lambda_memory_size must be between 128 and 10240."
  }
}

variable "lambda_timeout" {
  description = "Timeout of the Lambda function, in seconds. At most 29, the API Gateway integration limit; a baker waits far less than that anyway."
  type        = number
  default     = 10

  validation {
    condition     = var.lambda_timeout >= 3 && var.lambda_timeout <= 29
    error_message = "lambda_timeout must be between 3 and 29 seconds."
  }
}

variable "lambda_reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function; null leaves it unreserved. Lambda keeps at least 100 of the account's concurrency unreserved, so reserving N needs an account quota of at least 100 + N: a new account (its quota starts at 10) must use null until a quota increase (Service Quotas, Lambda \"Concurrent executions\") is granted. With a quota of 110 or more, reserve about 10: it keeps the signer available when other functions use the account's concurrency and caps the cost of a flood. 0 (which stops the function) is refused."
  type        = number
  default     = null

  validation {
    condition     = var.lambda_reserved_concurrent_executions == null || try(var.lambda_reserved_concurrent_executions >= 1 && floor(var.lambda_reserved_concurrent_executions) == var.lambda_reserved_concurrent_executions, false)
    error_message = "lambda_reserved_concurrent_executions must be null (unreserved) or a whole number >= 1 (0 would stop the function, -1 is written null here)."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the function's log group (and of the API access logs), in days."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key encrypting the log groups. Null: CloudWatch Logs default encryption."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Private subnets to run the function in. Empty: the function runs outside any VPC. In a VPC without a NAT, the subnets need interface VPC endpoints for KMS (com.amazonaws.<region>.kms) and a gateway or interface endpoint for DynamoDB, or the signer cannot reach its keys and watermarks. Set together with security_group_ids."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Each subnet id must look like subnet-0123456789abcdef0."
  }
}

variable "security_group_ids" {
  description = "Security groups of the function when it runs in subnet_ids (egress to the KMS and DynamoDB endpoints on 443). Set together with subnet_ids."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Each security group id must look like sg-0123456789abcdef0."
  }
}

################################################################################
# IAM
################################################################################

variable "role_permissions_boundary_arn" {
  description = "ARN of the permissions boundary policy set on the Lambda role (required by many landing zones). Null: none."
  type        = string
  default     = null

  validation {
    condition     = var.role_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.role_permissions_boundary_arn))
    error_message = "role_permissions_boundary_arn must be null or an IAM policy ARN."
  }
}

variable "role_path" {
  description = "Path of the Lambda role."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([a-zA-Z0-9+=,.@_-]+/)*$", var.role_path))
    error_message = "role_path must start and end with /."
  }
}

################################################################################
# Exposure
################################################################################

variable "exposure" {
  description = "How the signer is reached: \"function_url\" (public Lambda Function URL with authorization NONE: the handler authenticates every signing request itself, and every request, a flood included, is an invocation billed), \"function_url_iam\" (Function URL with authorization AWS_IAM: Lambda refuses a request without a SigV4 signature by the invoker role before invoking the function; the baker host holds AWS credentials that may assume that role, function_url_invoker_principal_arns, and signs with `tezos-signer failover --sign-sigv4`; docs/security.md), \"http_api\" (public API Gateway HTTP API with throttling and access logs) or \"private_rest_api\" (API Gateway REST API of type PRIVATE, reachable only through the execute-api VPC endpoints in private_api_vpc_endpoint_ids)."
  type        = string
  default     = "function_url"

  validation {
    condition     = contains(["function_url", "function_url_iam", "http_api", "private_rest_api"], var.exposure)
    error_message = "exposure must be one of function_url, function_url_iam, http_api, private_rest_api."
  }
}

variable "function_url_invoker_principal_arns" {
  description = "With exposure = \"function_url_iam\" (required then, at least one): ARNs of the IAM principals of the baker host (a role such as its instance role, a user, or an account root) allowed to assume the <name>-url-invoker role, which may only invoke the signer's Function URL. Each must be a full IAM role, user or account-root ARN, no wildcard. Must be empty with any other exposure, where no invoker role exists."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.function_url_invoker_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|(role|user)/[a-zA-Z0-9+=,.@_/-]+)$", arn))])
    error_message = "Each function_url_invoker_principal_arns entry must be an IAM role, user or account-root ARN (arn:aws:iam::123456789012:role/baker-host), without a wildcard."
  }
}

variable "api_throttling_burst_limit" {
  description = "Throttling burst limit of the HTTP API or private REST API stage (requests)."
  type        = number
  default     = 50

  validation {
    condition     = var.api_throttling_burst_limit >= 1 && floor(var.api_throttling_burst_limit) == var.api_throttling_burst_limit
    error_message = "api_throttling_burst_limit must be a whole number >= 1."
  }
}

variable "api_throttling_rate_limit" {
  description = "Throttling steady-state rate limit of the HTTP API or private REST API stage (requests per second)."
  type        = number
  default     = 20

  validation {
    condition     = var.api_throttling_rate_limit > 0
    error_message = "api_throttling_rate_limit must be > 0."
  }
}

variable "private_api_vpc_endpoint_ids" {
  description = "Ids of the execute-api interface VPC endpoints allowed to reach the private REST API (exposure = \"private_rest_api\"): the API's resource policy allows execute-api:Invoke only with aws:SourceVpce equal to one of them."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.private_api_vpc_endpoint_ids : can(regex("^vpce-[0-9a-f]{8,17}$", id))])
    error_message = "Each VPC endpoint id must look like vpce-0123456789abcdef0."
  }
}

variable "rest_api_access_logs_enabled" {
  description = "With exposure = \"private_rest_api\": write the REST API's access logs. Needs the account-level API Gateway CloudWatch Logs role (aws_api_gateway_account) set up beforehand, which this module does not manage. The HTTP API always writes access logs."
  type        = bool
  default     = false
}

variable "private_api_stage_name" {
  description = "Stage name of the private REST API; the signer URL ends with it."
  type        = string
  default     = "signer"
}

################################################################################
# Monitoring
################################################################################

variable "monitoring_enabled" {
  description = "Create the alarms, the EventBridge rules on CloudTrail events and the dashboard (modules/monitoring)."
  type        = bool
  default     = true
}

variable "alarm_sns_topic_arn" {
  description = "ARN of an SNS topic that receives the alarms and security events; used only with alarm_actions_enabled = true. Its policy must allow cloudwatch.amazonaws.com and events.amazonaws.com to publish."
  type        = string
  default     = null
}

variable "alarm_actions_enabled" {
  description = "Send the alarms and the EventBridge security events to alarm_sns_topic_arn. A plain boolean, known at plan time, because the topic ARN often is not (a topic created in the same configuration): Terraform must know at plan time which EventBridge targets exist. Set it to true whenever alarm_sns_topic_arn is set."
  type        = bool
  default     = false
}

variable "alarm_period_seconds" {
  description = "Period of the Lambda errors/throttles, authentication failure, watermark refusal and handler error alarms, in seconds (a multiple of 60)."
  type        = number
  default     = 300

  validation {
    condition     = var.alarm_period_seconds >= 60 && var.alarm_period_seconds % 60 == 0
    error_message = "alarm_period_seconds must be a multiple of 60, at least 60."
  }
}

variable "auth_failures_threshold" {
  description = "Alarm when more than this many signing requests fail authentication in one alarm period."
  type        = number
  default     = 5

  validation {
    condition     = var.auth_failures_threshold >= 0
    error_message = "auth_failures_threshold must be >= 0."
  }
}

variable "watermark_refusals_threshold" {
  description = "Alarm when more than this many requests are refused by the high watermark in one alarm period. 0 with a single baker."
  type        = number
  default     = 0

  validation {
    condition     = var.watermark_refusals_threshold >= 0
    error_message = "watermark_refusals_threshold must be >= 0."
  }
}

variable "handler_errors_threshold" {
  description = "Alarm when the handler reports more than this many errors (KMS, DynamoDB or internal) in one alarm period."
  type        = number
  default     = 0

  validation {
    condition     = var.handler_errors_threshold >= 0
    error_message = "handler_errors_threshold must be >= 0."
  }
}

variable "lambda_errors_threshold" {
  description = "Alarm when the Lambda function fails (uncaught errors, timeouts) more than this many times in one alarm period."
  type        = number
  default     = 0

  validation {
    condition     = var.lambda_errors_threshold >= 0
    error_message = "lambda_errors_threshold must be >= 0."
  }
}

variable "lambda_throttles_threshold" {
  description = "Alarm when more than this many invocations are throttled in one alarm period."
  type        = number
  default     = 0

  validation {
    condition     = var.lambda_throttles_threshold >= 0
    error_message = "lambda_throttles_threshold must be >= 0."
  }
}

variable "no_signature_alarm_enabled" {
  description = "Alarm when the signer produced no signature for no_signature_minutes."
  type        = bool
  default     = true
}

variable "no_signature_minutes" {
  description = "Minutes without a signature before the no-signature alarm fires."
  type        = number
  default     = 15

  validation {
    condition     = var.no_signature_minutes >= 1 && var.no_signature_minutes <= 1440 && floor(var.no_signature_minutes) == var.no_signature_minutes
    error_message = "no_signature_minutes must be a whole number between 1 and 1440."
  }
}

variable "cloudtrail_rules_enabled" {
  description = "Create the EventBridge rules on CloudTrail events touching the keys, the function, the signer role (IAM changes, watched from us-east-1 and forwarded to this Region), the table, and the alarm system itself (its rules and the Region's trails). They only fire if a CloudTrail trail logs management events in this Region and in us-east-1: set create_trail, or check that the account or the organization has such a trail."
  type        = bool
  default     = true
}

variable "create_trail" {
  description = "Create a multi-Region CloudTrail trail (with its S3 bucket) logging management events, and the watermark table's item writes (data events, writes only) when table_data_event_rule_enabled. Leave false when the account or the organization already has a trail logging management events in this Region and in us-east-1."
  type        = bool
  default     = false
}

variable "table_data_event_rule_enabled" {
  description = "Create the EventBridge rule on item writes to the watermark table by anyone but the signer function (a break-glass role's writes included: such a role can lower a watermark). It only fires if a trail records the table's write data events: create_trail = true records them (writes only, about $0.87 a month, docs/cost.md); with your own trail, add the table's writes to its advanced event selectors first. Off by default because no trail records data events unless told to."
  type        = bool
  default     = false
}

variable "dashboard_enabled" {
  description = "Create the CloudWatch dashboard."
  type        = bool
  default     = true
}

################################################################################
# Multi-Region (docs/multi-region.md)
################################################################################

variable "multi_region" {
  description = "Sign from two Regions on one watermark (docs/multi-region.md). Null (the default): a single-Region signer, unchanged. Otherwise: primary_region is the provider's Region (the first signer, the primary key and table); replica_region runs the second signer, with a replica of each consensus key (same tz address) and a replica of the table; the third Region of the MRSC set is either witness_region (a witness: no copy of the table, no signer) or third_replica_region (a third full table replica, no signer). The table is a DynamoDB global table with multi-Region strong consistency (every replica STRONG): the three Regions must lie in one MRSC Region set (us-east-1/us-east-2/us-west-2, eu-west-1/eu-west-2/eu-west-3/eu-central-1, or ap-northeast-1/ap-northeast-2/ap-northeast-3). Keys and table cannot be converted in place: turning this on for an existing signer replaces its consensus keys (new tz addresses) and needs an empty table, so deploy a new signer and switch the consensus key (docs/multi-region.md, \"Moving an existing signer\")."
  type = object({
    primary_region       = string
    replica_region       = string
    witness_region       = optional(string)
    third_replica_region = optional(string)
  })
  default = null

  validation {
    condition     = var.multi_region == null || try((var.multi_region.witness_region == null) != (var.multi_region.third_replica_region == null), false)
    error_message = "multi_region needs exactly one of witness_region (two replicas and a witness) and third_replica_region (three replicas): MRSC spans exactly three Regions."
  }

  validation {
    condition     = var.multi_region == null || try(length(distinct([for r in [var.multi_region.primary_region, var.multi_region.replica_region, var.multi_region.witness_region, var.multi_region.third_replica_region] : r if r != null])) == 3, false)
    error_message = "multi_region must name three different Regions: a Region cannot be both primary, replica or witness."
  }

  validation {
    condition = var.multi_region == null || try(anytrue([
      for set in [["us-east-1", "us-east-2", "us-west-2"], ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"], ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"]] :
      length(setsubtract([for r in [var.multi_region.primary_region, var.multi_region.replica_region, var.multi_region.witness_region, var.multi_region.third_replica_region] : r if r != null], set)) == 0
    ]), false)
    error_message = "The three Regions of multi_region must lie in one MRSC Region set: us-east-1/us-east-2/us-west-2, eu-west-1/eu-west-2/eu-west-3/eu-central-1, or ap-northeast-1/ap-northeast-2/ap-northeast-3."
  }
}
