terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.40"
      # us-east-1, where IAM's CloudTrail events reach EventBridge (global.tf).
      configuration_aliases = [aws.us_east_1]
    }
  }
}
