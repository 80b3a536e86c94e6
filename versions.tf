terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.40"
      # us-east-1, for the monitoring rule on IAM changes to the signer role (modules/monitoring).
      configuration_aliases = [aws.us_east_1]
    }
  }
}
