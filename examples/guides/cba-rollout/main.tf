# Rolling out certificate-based authentication: a trust store, then the CBA policy for a pilot group, then wider.
terraform {
  required_version = ">= 1.11"
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

provider "entracert" {}

variable "bundle_url" {
  description = "Where Microsoft Graph downloads the .p7b of the root and issuing CAs (a copy is kept in bundles/)."
  type        = string
}

variable "pilot_group_id" {
  description = "Object id of the group of users who sign in with certificates first."
  type        = string
}

variable "rollout_group_ids" {
  description = "Groups added once the pilot went well (empty during the pilot)."
  type        = list(string)
  default     = []
}

variable "break_glass_user_id" {
  description = "An emergency-access account that never uses CBA."
  type        = string
}

variable "issuing_ca_subject" {
  description = "Subject of the issuing CA whose certificates count as multi-factor, e.g. CN=Contoso Issuing CA,O=Contoso."
  type        = string
}

# 1. The trust store: the root and the issuing CA, each with its CRL distribution point in the certificate
#    (the offline root has none).
resource "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}

resource "entracert_certificate_based_auth_pki_upload" "contoso" {
  pki_id           = entracert_certificate_based_auth_pki.contoso.id
  upload_url       = var.bundle_url
  sha256_file_hash = filesha256("${path.module}/bundles/contoso.p7b")
}

locals {
  pilot = length(var.rollout_group_ids) == 0

  # The plan reads the CAs from the verified file, so their subject key identifiers are known before anything is
  # uploaded and the policy can name them by reference in the same apply.
  contoso_cas    = entracert_certificate_based_auth_pki_upload.contoso.certificate_authorities
  root_ca_ski    = one([for ca in local.contoso_cas : ca.subject_key_identifier if ca.certificate_authority_type == "root"])
  issuing_ca_ski = one([for ca in local.contoso_cas : ca.subject_key_identifier if ca.certificate_authority_type != "root"])
  issuing_ca_crl_url = one([
    for ca in local.contoso_cas : ca.certificate_revocation_list_url if ca.certificate_authority_type != "root"
  ])
}

# 2. The CRLs. With CRL validation, Entra downloads each CA's CRL (http, 10 seconds, 20 MB) and fails every sign-in
#    with that CA's certificates when the CRL is unreachable, expired, not signed by the CA or without an authority key
#    identifier. The policy's plan checks them once (warnings); this check block watches the issuing CA's CRL on every
#    plan, so a scheduled `terraform plan` reports a CRL that expires within two days.
check "issuing_ca_crl" {
  data "entracert_certificate_revocation_list" "issuing" {
    url                = local.issuing_ca_crl_url
    issuer_certificate = file("${path.module}/bundles/contoso-issuing-ca.pem")
  }

  assert {
    condition     = timecmp(data.entracert_certificate_revocation_list.issuing.next_update, timeadd(plantimestamp(), "48h")) > 0
    error_message = "The issuing CA's CRL expires on ${data.entracert_certificate_revocation_list.issuing.next_update}: publish a new one before Entra fails sign-ins."
  }

  assert {
    condition     = data.entracert_certificate_revocation_list.issuing.signature_valid && data.entracert_certificate_revocation_list.issuing.authority_key_identifier == local.issuing_ca_ski
    error_message = "The CRL at ${local.issuing_ca_crl_url} is not the issuing CA's (signature or authority key identifier): Entra rejects it."
  }
}

# 3. The policy. Every CA it names must be in the trust store or planned in this run: the plan fails on a subject key
#    identifier that is neither, and on CRL validation while a CA without CRL is not exempted.
resource "entracert_certificate_based_auth_policy" "this" {
  state = "enabled"

  # Never all_users: the pilot group first, then the rollout groups.
  include_targets = concat(
    [{ id = var.pilot_group_id, target_type = "group", is_registration_required = false }],
    [for id in var.rollout_group_ids : { id = id, target_type = "group", is_registration_required = false }],
  )
  exclude_targets = [{ id = var.break_glass_user_id, target_type = "user" }]

  authentication_mode = {
    default_mode                    = "x509CertificateSingleFactor"
    default_required_affinity_level = "low"
    rules = [{
      type                = "issuerSubject"
      identifier          = var.issuing_ca_subject
      authentication_mode = "x509CertificateMultiFactor"
    }]
  }

  certificate_user_bindings = [
    # High affinity: the certificate's SKI must be one of the user's certificateUserIds.
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 1, trust_affinity_level = "high" },
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 2 },
  ]

  crl_validation = {
    state                                                  = "enabled"
    exempted_certificate_authority_subject_key_identifiers = [local.root_ca_ski]
  }

  issuer_hints_state = "enabled"

  # While the pilot runs, only the pilot group may use the issuing CA's certificates; widening drops the scope.
  certificate_authority_scopes = local.pilot ? [{
    subject_key_identifier               = local.issuing_ca_ski
    public_key_infrastructure_identifier = entracert_certificate_based_auth_pki.contoso.display_name
    include_targets                      = [{ id = var.pilot_group_id, target_type = "group" }]
  }] : []
}

output "cba_groups" {
  value = [for t in entracert_certificate_based_auth_policy.this.include_targets : t.id]
}
