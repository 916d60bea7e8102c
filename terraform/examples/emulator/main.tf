# Blue/green services on the local bgtui emulator: `terraform apply -var endpoint=URL`.

provider "aws" {
  #checkov:skip=CKV_AWS_41:Fixed fake credentials the emulator accepts; they open nothing.
  region     = var.region
  access_key = "testing"
  secret_key = "testing"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
    apigateway               = var.endpoint
    cloudwatch               = var.endpoint
    iam                      = var.endpoint
    kms                      = var.endpoint
    lambda                   = var.endpoint
    logs                     = var.endpoint
    resourcegroupstaggingapi = var.endpoint
    s3                       = var.endpoint
    sts                      = var.endpoint
  }
}

module "service" {
  source   = "../../modules/lambda-bluegreen"
  for_each = var.services

  function_name = each.key
  service_name  = each.value.display_name
  environment   = "demo"
  zip_path      = coalesce(each.value.zip_path, "${path.module}/orders-api.zip")
  handler       = each.value.handler
  api_name      = each.value.api_name
  enable_guard  = each.value.enable_guard

  tags = {
    "app"        = each.key
    "managed-by" = "terraform"
  }
}
