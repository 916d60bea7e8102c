variable "function_name" {
  description = "Name of the Lambda function; also names the REST API, alarms, dashboard, policies and audit log group. At most 54 characters: the execution role `<function_name>-execution` must fit IAM's 64."
  type        = string

  # botocore's service models: IAM role names ≤ 64, policy names ≤ 128, alarm names ≤ 255.
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,54}$", var.function_name))
    error_message = "function_name must be 1-54 letters, digits, '-' or '_': the execution role \"<function_name>-execution\" must fit IAM's 64 characters."
  }
}

variable "service_name" {
  description = "Display name of the service in the console (tag bluegreen:service). Defaults to function_name."
  type        = string
  default     = null
}

variable "environment" {
  description = "Environment label (tag bluegreen:environment), e.g. demo, staging, production."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,32}$", var.environment))
    error_message = "environment must be 1-32 lower-case letters, digits or '-'."
  }
}

variable "zip_path" {
  description = "Path of the zip that seeds the first version. Later releases go through `bgtui deploy`, so changes to the code are ignored after creation."
  type        = string

  validation {
    condition     = fileexists(var.zip_path)
    error_message = "zip_path must name an existing zip file."
  }
}

variable "handler" {
  description = "Function entry point."
  type        = string
  default     = "app.handler"
}

variable "runtime" {
  description = "Lambda runtime identifier."
  type        = string
  default     = "python3.12"
}

variable "memory_size" {
  description = "Memory of the function in MB."
  type        = number
  default     = 256
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 10
}

variable "architectures" {
  description = "Instruction set of the function."
  type        = list(string)
  default     = ["arm64"]
}

variable "function_environment" {
  description = "Environment variables of the function (not for secrets: use a secrets store)."
  type        = map(string)
  default     = {}
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for the function; -1 leaves it unreserved."
  type        = number
  default     = -1
}

variable "tracing_mode" {
  description = "X-Ray tracing mode of the function: Active or PassThrough."
  type        = string
  default     = "Active"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "execution_role_arn" {
  description = "Existing execution role of the function; null creates a role limited to writing the function's own logs."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the function's environment variables and the log groups; null uses AWS owned keys. The key policy must allow the logs service of this region."
  type        = string
  default     = null
}

variable "api_name" {
  description = "Name of the REST API (API Gateway metrics use it as the ApiName dimension). Defaults to function_name."
  type        = string
  default     = null
}

variable "prod_stage_name" {
  description = "Stage that serves production through the live alias."
  type        = string
  default     = "prod"
}

variable "test_stage_name" {
  description = "Stage that serves the idle colour to testers."
  type        = string
  default     = "test"
}

variable "smoke_path" {
  description = "Path bgtui requests on the test stage in its default smoke check (tag bluegreen:smoke-path); empty for none."
  type        = string
  default     = "/"

  validation {
    condition     = var.smoke_path == "" || can(regex("^/[^\\s]{0,255}$", var.smoke_path))
    error_message = "smoke_path must be empty or a path starting with '/', without spaces, at most 256 characters."
  }
}

variable "xray_tracing_enabled" {
  description = "X-Ray tracing on both stages."
  type        = bool
  default     = true
}

variable "access_log_destination_arn" {
  description = "CloudWatch Logs group ARN for API Gateway access logs; null disables access logs (they need the account-level API Gateway logging role)."
  type        = string
  default     = null
}

variable "error_threshold" {
  description = "Errors per minute at or above which an error alarm fires."
  type        = number
  default     = 5
}

variable "error_evaluation_periods" {
  description = "Consecutive one-minute periods over the error threshold before an error alarm fires (1-3)."
  type        = number
  default     = 2

  validation {
    condition     = var.error_evaluation_periods >= 1 && var.error_evaluation_periods <= 3
    error_message = "error_evaluation_periods must be between 1 and 3."
  }
}

variable "p99_threshold_ms" {
  description = "p99 duration in milliseconds above which a latency alarm fires."
  type        = number
  default     = 1000
}

variable "p99_evaluation_periods" {
  description = "Consecutive one-minute periods over the p99 threshold before a latency alarm fires."
  type        = number
  default     = 3
}

variable "alarm_actions" {
  description = "ARNs notified when an alarm fires and when it recovers (e.g. an SNS topic)."
  type        = list(string)
  default     = []
}

variable "enable_guard" {
  description = "Deploy the guard: a function the live alarms invoke that rolls live back to the previous version while a watch window recorded by bgtui is open, so a release stays watched when the operator's session drops."
  type        = bool
  default     = false
}

variable "guard_reserved_concurrency" {
  description = "Concurrency reserved for the guard; -1 leaves it unreserved. Rollbacks are compare-and-swap, so concurrent guards still roll back once."
  type        = number
  default     = -1
}

variable "audit_log_retention_days" {
  description = "Retention of the audit log group /bgtui/audit/<function> in days (at least 365)."
  type        = number
  default     = 400
}

variable "function_log_retention_days" {
  description = "Retention of the function's own log group /aws/lambda/<function> in days."
  type        = number
  default     = 30
}

variable "notify_sns_topic_arn" {
  description = "The SNS topic bgtui publishes release events to ([notify] sns_topic_arn); the operator policy may then publish to it, and to nothing else. With enable_guard, the guard announces its rollbacks there too and its role may publish to that topic only."
  type        = string
  default     = null
  validation {
    condition     = var.notify_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$", var.notify_sns_topic_arn))
    error_message = "notify_sns_topic_arn must be an SNS topic ARN."
  }
}

variable "notify_kms_key_arn" {
  description = "The customer managed KMS key that encrypts notify_sns_topic_arn (the topic's KmsMasterKeyId, as a key ARN), if any. SNS makes each message's data key with the publisher's own permissions, so the operator policy (and the guard's role, with enable_guard) then get kms:GenerateDataKey and kms:Decrypt on this key, for this topic's messages only."
  type        = string
  default     = null
  validation {
    condition     = var.notify_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.notify_kms_key_arn))
    error_message = "notify_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias or a key id."
  }
}

variable "create_policies" {
  description = "Create the operator and read-only IAM policies (their JSON documents are output either way)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource; the bluegreen:* discovery tags are added to the function."
  type        = map(string)
  default     = {}
}
