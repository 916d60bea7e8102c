# Log groups: the function's own logs and the audit copy bgtui ships every step to.

locals {
  log_retention_days = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
  ]
}

resource "aws_cloudwatch_log_group" "function" {
  #checkov:skip=CKV_AWS_338:Function logs are operational; their retention is a cost choice (function_log_retention_days). The audit trail keeps a year or more.
  #checkov:skip=CKV_AWS_158:Encrypted with AWS owned keys unless kms_key_arn names a customer managed key.
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.function_log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags

  lifecycle {
    precondition {
      condition     = contains(local.log_retention_days, var.function_log_retention_days)
      error_message = "function_log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
    }
  }
}

resource "aws_cloudwatch_log_group" "audit" {
  #checkov:skip=CKV_AWS_158:Encrypted with AWS owned keys unless kms_key_arn names a customer managed key.
  name              = local.audit_log_group
  retention_in_days = var.audit_log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags

  lifecycle {
    precondition {
      condition     = contains(local.log_retention_days, var.audit_log_retention_days) && var.audit_log_retention_days >= 365
      error_message = "audit_log_retention_days must be a retention CloudWatch Logs accepts and at least 365."
    }
  }
}
