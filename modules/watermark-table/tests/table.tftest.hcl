# The watermark table's durability settings, planned against a mocked provider: nothing here needs the
# provider's behaviour, only the configuration Terraform evaluates.

mock_provider "aws" {}

variables {
  name = "tf-test-watermarks"
}

run "durable_and_on_demand" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.this.hash_key == "pk"
    error_message = "On-demand, keyed by pk alone (docs/interfaces.md)."
  }

  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled == true
    error_message = "Deletion protection is on by default: the table is what prevents double signing."
  }

  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].enabled
    error_message = "Point-in-time recovery and encryption are always on."
  }
}
