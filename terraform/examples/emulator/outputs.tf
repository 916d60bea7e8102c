output "function_names" {
  description = "Functions of the services created."
  value       = [for service in module.service : service.function_name]
}

output "rest_api_ids" {
  description = "REST API id of each service, by function name."
  value       = { for name, service in module.service : name => service.rest_api_id }
}

output "alarm_names" {
  description = "Alarms of each service, by function name."
  value       = { for name, service in module.service : name => service.alarm_names }
}

output "audit_log_group_names" {
  description = "Audit log group of each service, by function name."
  value       = { for name, service in module.service : name => service.audit_log_group_name }
}
