output "function_name" {
  value = aws_lambda_function.this.function_name
}

output "api_id" {
  value = aws_api_gateway_rest_api.this.id
}
