# Stack 1 of 2: account vending, run in the organization's management account (or by a delegated
# administrator of Organizations). Its only output, account_id, is the input of stack 2 (the
# signer, ../): each stack plans and applies in one pass, with every provider configuration known
# at plan time.
provider "aws" {
  region = var.region
}

data "aws_partition" "current" {}

# close_on_deletion = false: `terraform destroy` removes the account from the organization
# (RemoveAccountFromOrganization) and does not close it. Organizations accepts that only for an
# account that can stand alone (its own payment method and contact details, accepted agreements);
# otherwise the destroy fails and the account stays in the organization. The signer's keys and
# watermarks live in that account: closing it is a deliberate, manual act.
resource "aws_organizations_account" "signer" {
  name              = var.account_name
  email             = var.account_email
  parent_id         = var.account_parent_id
  role_name         = var.account_access_role_name
  close_on_deletion = false

  lifecycle {
    # Organizations does not return role_name: ignore it after creation, as the provider advises.
    ignore_changes = [role_name]
  }
}
