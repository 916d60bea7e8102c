output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Unqualified ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "alias_arns" {
  description = "ARNs of the blue, green and live aliases, by alias name."
  value       = { for name, alias in aws_lambda_alias.this : name => alias.arn }
}

output "rest_api_id" {
  description = "Id of the REST API (tag bluegreen:api-id)."
  value       = aws_api_gateway_rest_api.this.id
}

output "rest_api_name" {
  description = "Name of the REST API (the ApiName dimension of its metrics)."
  value       = aws_api_gateway_rest_api.this.name
}

output "stage_names" {
  description = "Stage names by role: prod serves live, test serves the idle colour."
  value = {
    prod = aws_api_gateway_stage.prod.stage_name
    test = aws_api_gateway_stage.test.stage_name
  }
}

output "invoke_urls" {
  description = "Invoke URLs of the prod and test stages."
  value = {
    prod = aws_api_gateway_stage.prod.invoke_url
    test = aws_api_gateway_stage.test.invoke_url
  }
}

output "alarm_names" {
  description = "Alarm names by \"<scope>-<kind>\" (scope blue, green or live; kind errors or p99)."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.alarm_name }
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "audit_log_group_name" {
  description = "CloudWatch Logs group that keeps the copy of the audit trail."
  value       = aws_cloudwatch_log_group.audit.name
}

output "audit_log_group_arn" {
  description = "ARN of the audit log group."
  value       = aws_cloudwatch_log_group.audit.arn
}

output "execution_role_arn" {
  description = "Execution role of the function (created or given)."
  value       = local.execution_role_arn
}

output "operator_policy_json" {
  description = "IAM policy document for operators of this service."
  value       = jsonencode(local.operator_policy)
  precondition {
    condition     = var.notify_kms_key_arn == null || var.notify_sns_topic_arn != null
    error_message = "notify_kms_key_arn is the key of notify_sns_topic_arn: give the topic too."
  }
}

output "read_only_policy_json" {
  description = "IAM policy document for read-only users of this service."
  value       = jsonencode(local.read_only_policy)
}

output "operator_policy_arn" {
  description = "ARN of the operator policy, or null when create_policies is false."
  value       = try(aws_iam_policy.operator[0].arn, null)
}

output "read_only_policy_arn" {
  description = "ARN of the read-only policy, or null when create_policies is false."
  value       = try(aws_iam_policy.read_only[0].arn, null)
}

output "discovery_tags" {
  description = "The bluegreen:* tags bgtui discovers the service by."
  value       = local.discovery_tags
}

output "guard_function_arn" {
  description = "ARN of the guard function, or null when enable_guard is false."
  value       = try(aws_lambda_function.guard[0].arn, null)
}

output "guard_policy_json" {
  description = "IAM policy document of the guard's role (rendered whether or not the guard is enabled)."
  value       = jsonencode(local.guard_policy)
}
