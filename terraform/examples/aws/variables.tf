variable "region" {
  description = "AWS region of the service."
  type        = string
  default     = "eu-west-1"
}

variable "service" {
  description = "Base name of the service; the function is named <service>-<workspace>."
  type        = string
  default     = "orders-api"
}

variable "service_name" {
  description = "Display name of the service in the console."
  type        = string
  default     = "Orders API"
}

variable "zip_path" {
  description = "Zip that seeds the function's first version (later releases go through `bgtui deploy`)."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic notified when an alarm fires or recovers; null for none."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the log groups and environment variables; null for AWS owned keys."
  type        = string
  default     = null
}

variable "audit_log_retention_days" {
  description = "Retention of the audit log group in days."
  type        = number
  default     = 731
}
