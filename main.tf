data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  # Signing parameters per key spec (docs/interfaces.md): the IAM policy and the key policies pin them.
  signing_parameters = {
    ECC_SECG_P256K1       = { algorithm = "ECDSA_SHA_256", message_type = "DIGEST" }
    ECC_NIST_P256         = { algorithm = "ECDSA_SHA_256", message_type = "DIGEST" }
    ECC_NIST_EDWARDS25519 = { algorithm = "ED25519_SHA_512", message_type = "RAW" }
  }

  # Every key served, created or adopted: name => { arn, key_spec }.
  signer_keys = merge(
    { for name, key in module.kms_key : name => { arn = key.key_arn, key_spec = key.key_spec } },
    { for name, key in var.existing_keys : name => { arn = key.arn, key_spec = key.key_spec } },
  )
  key_arns = [for name in sort(keys(local.signer_keys)) : local.signer_keys[name].arn]

  # Every key the role signs with: the keys served and, with multi_region, their replicas.
  role_keys = concat(
    values(local.signer_keys),
    [for name, key in module.kms_key : { arn = key.replica_key_arn, key_spec = key.key_spec } if local.multi_region],
  )
  role_key_arns = [for key in local.role_keys : key.arn]

  # Keys grouped by the signing parameters KMS must see, one IAM statement per group.
  sign_groups = {
    for group in distinct([for key in local.role_keys : "${local.signing_parameters[key.key_spec].algorithm}/${local.signing_parameters[key.key_spec].message_type}"]) :
    group => {
      algorithm    = split("/", group)[0]
      message_type = split("/", group)[1]
      key_arns     = sort([for key in local.role_keys : key.arn if "${local.signing_parameters[key.key_spec].algorithm}/${local.signing_parameters[key.key_spec].message_type}" == group])
    }
  }

  in_vpc = length(var.subnet_ids) > 0

  function_name = var.name
  # Built rather than read from the function, so that the role's policy (which the function needs
  # first) can name it without a cycle.
  function_arn   = "arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:function:${local.function_name}"
  log_group_name = "/aws/lambda/${var.name}"

  # The Lambda environment, exactly as docs/interfaces.md lists it.
  lambda_environment = {
    SIGNER_KMS_KEY_IDS       = join(",", local.key_arns)
    SIGNER_TABLE_NAME        = module.watermark_table.table_name
    SIGNER_AUTHORIZED_KEYS   = join(",", var.authorized_keys)
    SIGNER_ALLOWED_CHAIN_IDS = join(",", var.allowed_chain_ids)
    SIGNER_METRICS_NAMESPACE = var.metrics_namespace
    # "true" only where the table is an MRSC global table shared by the signer's regions (docs/failover.md).
    SIGNER_MULTI_REGION = "false"
  }

  # With multi_region only: the table is an MRSC global table, and the handler refuses to sign unless
  # DynamoDB says so (never a silent fallback to a regional watermark).
  multi_region_environment = local.multi_region ? { SIGNER_MULTI_REGION = "true" } : {}

  # What each function gets: the documented variables, plus the multi-Region one when it applies.
  function_environment = merge(local.lambda_environment, local.multi_region_environment)
}
