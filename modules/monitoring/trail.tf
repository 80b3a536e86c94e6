# Optional CloudTrail trail: EventBridge receives "AWS API Call via CloudTrail" events only when a
# trail logs them in the Region. Most organizations already have one (an organization trail): then
# keep create_trail = false. The bucket policy is the one CloudTrail documents, scoped with
# aws:SourceArn to this trail (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
data "aws_caller_identity" "current" {
  count = var.create_trail ? 1 : 0
}

data "aws_partition" "current" {
  count = var.create_trail ? 1 : 0
}

locals {
  trail_name = "${var.name}-trail"
  # Known before the trail exists, so the bucket policy (which the trail needs first) can name it.
  trail_arn = var.create_trail ? "arn:${data.aws_partition.current[0].partition}:cloudtrail:${local.region}:${data.aws_caller_identity.current[0].account_id}:trail/${local.trail_name}" : null
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
    resources = ["${aws_s3_bucket.trail[0].arn}/AWSLogs/${data.aws_caller_identity.current[0].account_id}/*"]

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
resource "aws_cloudtrail" "this" {
  count = var.create_trail ? 1 : 0

  name                          = local.trail_name
  s3_bucket_name                = aws_s3_bucket_policy.trail[0].bucket
  include_global_service_events = true
  is_multi_region_trail         = false
  enable_log_file_validation    = true
  tags                          = var.tags

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    # Item writes to the watermark table are data events: recorded only when asked for.
    dynamic "data_resource" {
      for_each = var.table_data_event_rule_enabled ? [var.table_arn] : []

      content {
        type   = "AWS::DynamoDB::Table"
        values = [data_resource.value]
      }
    }
  }
}
