output "function_name" {
  description = "Name of the example service's function."
  value       = module.service.function_name
}

output "rest_api_id" {
  description = "Id of the example service's REST API."
  value       = module.service.rest_api_id
}

output "alarm_names" {
  description = "Alarms of the example service."
  value       = module.service.alarm_names
}

output "audit_log_group_name" {
  description = "Audit log group of the example service."
  value       = module.service.audit_log_group_name
}
