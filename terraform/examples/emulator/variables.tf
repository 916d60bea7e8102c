variable "endpoint" {
  description = "URL of the bgtui emulator, e.g. http://127.0.0.1:5000 (printed by `bgtui emulator --empty`)."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.endpoint))
    error_message = "endpoint must be an http:// or https:// URL."
  }
}

variable "region" {
  description = "Region the emulator answers for."
  type        = string
  default     = "us-east-1"
}

variable "function_name" {
  description = "Name of the example service's function."
  type        = string
  default     = "orders-api"
}

variable "service_name" {
  description = "Display name of the example service."
  type        = string
  default     = "Orders API"
}

variable "zip_path" {
  description = "Zip of the function code; the default is built from src/ (see README)."
  type        = string
  default     = null
}
