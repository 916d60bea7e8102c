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

variable "services" {
  description = "Services to create, by function name: one example service unless told otherwise."
  type = map(object({
    display_name = string
    zip_path     = optional(string)
    handler      = optional(string, "app.handler")
    api_name     = optional(string)
    enable_guard = optional(bool, false)
  }))
  default = {
    "orders-api" = { display_name = "Orders API" }
  }
}
