variable "name" {
  description = "Name given to the API, its stage and its access log group."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.name))
    error_message = "name must match ^[a-zA-Z0-9_-]{1,64}$."
  }
}

variable "exposure" {
  description = "How the signer is reached: \"function_url\" (Lambda Function URL, public, authorization NONE: the handler authenticates every signing request itself; every request is an invocation), \"function_url_iam\" (Lambda Function URL with authorization AWS_IAM and no resource-based policy: only a same-account principal whose identity policy allows it, the root module's invoker role, can call it; Lambda refuses any other request before invoking the function), \"http_api\" (API Gateway HTTP API, public, with throttling and access logs) or \"private_rest_api\" (API Gateway REST API of type PRIVATE, reachable only through the execute-api VPC endpoints in vpc_endpoint_ids)."
  type        = string
  default     = "function_url"

  validation {
    condition     = contains(["function_url", "function_url_iam", "http_api", "private_rest_api"], var.exposure)
    error_message = "exposure must be one of function_url, function_url_iam, http_api, private_rest_api."
  }
}

variable "function_name" {
  description = "Name of the signer's Lambda function."
  type        = string
}

variable "function_invoke_arn" {
  description = "Invoke ARN of the signer's Lambda function (used by the API Gateway integrations)."
  type        = string
}

variable "throttling_burst_limit" {
  description = "API Gateway throttling burst limit (requests). Used by http_api and private_rest_api."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number >= 1."
  }
}

variable "throttling_rate_limit" {
  description = "API Gateway throttling steady-state rate limit (requests per second). Used by http_api and private_rest_api."
  type        = number
  default     = 20

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be > 0."
  }
}

variable "access_log_retention_in_days" {
  description = "Retention of the API access log group, in days."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.access_log_retention_in_days)
    error_message = "access_log_retention_in_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "access_log_kms_key_arn" {
  description = "ARN of a KMS key encrypting the API access log group. Null: CloudWatch Logs default encryption."
  type        = string
  default     = null
}

variable "rest_api_stage_name" {
  description = "Stage name of the private REST API; the signer URL ends with it (the handler accepts a stage prefix before /keys)."
  type        = string
  default     = "signer"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,128}$", var.rest_api_stage_name))
    error_message = "rest_api_stage_name must match ^[a-zA-Z0-9_-]{1,128}$."
  }
}

variable "rest_api_access_logs_enabled" {
  description = "Write access logs of the private REST API. REST API logging needs the account-level API Gateway CloudWatch role (aws_api_gateway_account) to be set up beforehand, which this module does not manage."
  type        = bool
  default     = false
}

variable "vpc_endpoint_ids" {
  description = "Ids of the execute-api interface VPC endpoints through which the private REST API is reachable. Required when exposure is private_rest_api: the API's resource policy allows execute-api:Invoke only when aws:SourceVpce is one of them and denies it otherwise."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.vpc_endpoint_ids : can(regex("^vpce-[0-9a-f]{8,17}$", id))])
    error_message = "Each VPC endpoint id must look like vpce-0123456789abcdef0."
  }
}

variable "tags" {
  description = "Tags added to the resources that accept them."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "Region to create the exposure in (the function's Region). Null: the provider's Region. Set for the second signing Region of a multi-Region signer."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be null or a Region name (e.g. us-east-2)."
  }
}
