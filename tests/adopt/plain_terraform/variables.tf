variable "function_name" {
  description = "The Lambda function; its API is named \"<function_name>-api\"."
  type        = string
  default     = "orders"
}

variable "zip_path" {
  description = "The build to publish: a new zip publishes a new version and moves `test` to it."
  type        = string
}

variable "prod_version" {
  description = "The version production serves; releases change it by hand."
  type        = string
  default     = "1"
}
