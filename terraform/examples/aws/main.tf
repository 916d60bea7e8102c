# One blue/green service on AWS; each Terraform workspace (staging, production, ...) is one environment.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      "managed-by"  = "terraform"
      "environment" = local.environment
    }
  }
}

locals {
  environment = terraform.workspace
}

# The default workspace is refused so that an environment is always chosen on purpose.
resource "terraform_data" "workspace_guard" {
  lifecycle {
    precondition {
      condition     = terraform.workspace != "default"
      error_message = "Select an environment workspace first: terraform workspace select -or-create staging"
    }
  }
}

module "service" {
  source = "../../modules/lambda-bluegreen"

  function_name            = "${var.service}-${local.environment}"
  service_name             = var.service_name
  environment              = local.environment
  zip_path                 = var.zip_path
  kms_key_arn              = var.kms_key_arn
  audit_log_retention_days = var.audit_log_retention_days
  alarm_actions            = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
}
