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

# The table's own Region, as the provider would report it, for the MRSC runs.
override_data {
  target = data.aws_region.current
  values = { region = "us-east-1" }
}

run "mrsc_two_replicas_and_a_witness" {
  command = plan

  variables {
    replica_regions = ["us-east-2"]
    witness_region  = "us-west-2"
  }

  assert {
    condition     = length(aws_dynamodb_table.this.replica) == 1 && alltrue([for r in aws_dynamodb_table.this.replica : r.consistency_mode == "STRONG" && r.point_in_time_recovery && r.deletion_protection_enabled])
    error_message = "Each replica is STRONG, with point-in-time recovery and deletion protection."
  }

  assert {
    condition     = aws_dynamodb_table.this.global_table_witness[0].region_name == "us-west-2"
    error_message = "The witness is the third Region."
  }
}

run "mrsc_three_replicas" {
  # Applied (mocked): a set of two replicas whose computed attributes are still unknown at plan has no
  # known length.
  command = apply

  variables {
    replica_regions = ["us-east-2", "us-west-2"]
  }

  assert {
    condition     = length(aws_dynamodb_table.this.replica) == 2 && alltrue([for r in aws_dynamodb_table.this.replica : r.consistency_mode == "STRONG"])
    error_message = "Three replicas, all STRONG."
  }
}

run "mrsc_needs_exactly_three_regions" {
  command = plan

  variables {
    replica_regions = ["us-east-2"]
  }

  expect_failures = [aws_dynamodb_table.this]
}

run "mrsc_regions_in_one_set" {
  command = plan

  variables {
    replica_regions = ["eu-west-1"]
    witness_region  = "us-west-2"
  }

  expect_failures = [aws_dynamodb_table.this]
}

run "mrsc_never_names_the_table_region_again" {
  command = plan

  variables {
    replica_regions = ["us-east-1"]
    witness_region  = "us-west-2"
  }

  expect_failures = [aws_dynamodb_table.this]
}
