# Optional CloudTrail trail: EventBridge receives "AWS API Call via CloudTrail" events only when a
# trail logs them in the Region. Most organizations already have one (an organization trail): then
# keep create_trail = false. The bucket policy is the one CloudTrail documents, scoped with
# aws:SourceArn to this trail (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
locals {
  trail_name = "${var.name}-trail"
  # Known before the trail exists, so the bucket policy (which the trail needs first) can name it.
  trail_arn = var.create_trail ? "arn:${data.aws_partition.current.partition}:cloudtrail:${local.region}:${data.aws_caller_identity.current.account_id}:trail/${local.trail_name}" : null
}

resource "aws_s3_bucket" "trail" {
  count = var.create_trail ? 1 : 0

  bucket_prefix = "${lower(substr(var.name, 0, 29))}-trail-"
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "trail" {
  count = var.create_trail ? 1 : 0

  bucket                  = aws_s3_bucket.trail[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

data "aws_iam_policy_document" "trail_bucket" {
  count = var.create_trail ? 1 : 0

  statement {
    sid       = "AWSCloudTrailAclCheck"
    effect    = "Allow"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.trail[0].arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid       = "AWSCloudTrailWrite"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.trail[0].arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = [
      aws_s3_bucket.trail[0].arn,
      "${aws_s3_bucket.trail[0].arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "trail" {
  count = var.create_trail ? 1 : 0

  bucket = aws_s3_bucket_public_access_block.trail[0].bucket
  policy = data.aws_iam_policy_document.trail_bucket[0].json
}

# CloudTrail checks the bucket policy when the trail is created: s3_bucket_name reads the policy
# resource, so the trail waits for it without depends_on.
#
# Multi-Region: IAM's events, and those of the us-east-1 rules (global.tf), happen in us-east-1, and a
# change to the signer role must reach EventBridge whatever Region the signer is in. Management events
# of every Region are the trail's first copy: free; only their S3 storage costs (docs/cost.md).
#
# Advanced event selectors, so that the watermark table's data events are its writes only: the signer
# reads the table before every signature (GetItem), and logging those reads would cost as much again as
# the writes (`npm run cost`) for nothing the rules use. Selectors are ORed, fields within one ANDed.
resource "aws_cloudtrail" "this" {
  count = var.create_trail ? 1 : 0

  name                          = local.trail_name
  s3_bucket_name                = aws_s3_bucket_policy.trail[0].bucket
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  tags                          = var.tags

  # Read and write: kms:Sign, watched by kms-sign-by-others, is a read-only management event.
  advanced_event_selector {
    name = "Management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  dynamic "advanced_event_selector" {
    for_each = var.table_data_event_rule_enabled ? { writes = ["false"] } : {}

    content {
      name = "Watermark table item writes"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = ["AWS::DynamoDB::Table"]
      }

      field_selector {
        field  = "resources.ARN"
        equals = [var.table_arn]
      }

      field_selector {
        field  = "readOnly"
        equals = advanced_event_selector.value
      }
    }
  }

  # PartiQL statements may write items, whatever CloudTrail marks them: recorded whatever their
  # readOnly. The signer never sends one, so they cost nothing unless someone uses them.
  dynamic "advanced_event_selector" {
    for_each = var.table_data_event_rule_enabled ? { partiql = ["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"] } : {}

    content {
      name = "Watermark table PartiQL statements"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = ["AWS::DynamoDB::Table"]
      }

      field_selector {
        field  = "resources.ARN"
        equals = [var.table_arn]
      }

      field_selector {
        field  = "eventName"
        equals = advanced_event_selector.value
      }
    }
  }
}
