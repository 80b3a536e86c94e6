provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 2)
}

################################################################################
# A VPC without internet access: private subnets, VPC endpoints for KMS, DynamoDB and execute-api
################################################################################

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "private" {
  count = length(local.azs)

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index)

  tags = {
    Name = "${var.name}-private-${local.azs[count.index]}"
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-private"
  }
}

resource "aws_route_table_association" "private" {
  count = length(local.azs)

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# The baker's instances (in the private subnets) use this group to reach the signer.
resource "aws_security_group" "baker" {
  name        = "${var.name}-baker"
  description = "Tezos baker reaching the private signer"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "baker_to_endpoints" {
  security_group_id            = aws_security_group.baker.id
  description                  = "HTTPS to the execute-api endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
}

resource "aws_security_group" "lambda" {
  name        = "${var.name}-lambda"
  description = "Tezos signer Lambda function"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "lambda_to_endpoints" {
  security_group_id            = aws_security_group.lambda.id
  description                  = "HTTPS to the KMS endpoint"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
}

resource "aws_vpc_security_group_egress_rule" "lambda_to_dynamodb" {
  security_group_id = aws_security_group.lambda.id
  description       = "HTTPS to DynamoDB through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.dynamodb.prefix_list_id
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints (KMS, execute-api)"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_lambda" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the signer"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_baker" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the baker"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.baker.id
}

resource "aws_vpc_endpoint" "kms" {
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.kms"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

# With private DNS, <api id>.execute-api.<region>.amazonaws.com resolves to this endpoint inside
# the VPC (and public execute-api names become unreachable from it).
resource "aws_vpc_endpoint" "execute_api" {
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.execute-api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

################################################################################
# The signer: private REST API, Lambda function in the private subnets
################################################################################

module "signer" {
  source = "../../"

  name                              = var.name
  authorized_keys                   = var.authorized_keys
  allowed_chain_ids                 = var.allowed_chain_ids
  key_admin_role_arns               = concat([data.aws_iam_session_context.current.issuer_arn], var.extra_key_admin_role_arns)
  key_deletion_window_in_days       = var.key_deletion_window_in_days
  table_deletion_protection_enabled = var.table_deletion_protection_enabled

  keys = {
    consensus = { key_spec = "ECC_SECG_P256K1" }
  }

  exposure                     = "private_rest_api"
  private_api_vpc_endpoint_ids = [aws_vpc_endpoint.execute_api.id]
  subnet_ids                   = aws_subnet.private[*].id
  security_group_ids           = [aws_security_group.lambda.id]

  alarm_sns_topic_arn           = aws_sns_topic.alarms.arn
  alarm_actions_enabled         = true
  create_trail                  = var.create_trail
  table_data_event_rule_enabled = var.create_trail

  tags = {
    Project = "tezos-signer"
  }
}

# No depends_on on the module (it would defer every data source inside it to apply time, and show
# the key policies and the code hash as "known after apply"). Nothing needs the ordering: creating
# the keys, the table, the role and the function makes no call through the VPC endpoints; only the
# function's requests use the KMS and DynamoDB endpoints, and those start when the baker calls the
# signer, after this apply. The execute-api endpoint is ordered by its id, which the module reads
# (private_api_vpc_endpoint_ids).
