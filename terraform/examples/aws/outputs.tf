output "function_name" {
  description = "Name of the service's function in this environment."
  value       = module.service.function_name
}

output "invoke_urls" {
  description = "Invoke URLs of the prod and test stages."
  value       = module.service.invoke_urls
}

output "operator_policy_arn" {
  description = "Attach to the operators' role or group."
  value       = module.service.operator_policy_arn
}

output "read_only_policy_arn" {
  description = "Attach to the read-only users' role or group."
  value       = module.service.read_only_policy_arn
}
