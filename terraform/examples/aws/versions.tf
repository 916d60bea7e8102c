terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 6.0"
    }
  }

  # Partial configuration: bucket, key, region and the locking choice come from
  # `terraform init -backend-config=backend.hcl` (see backend.hcl.example and README.md).
  backend "s3" {}
}
