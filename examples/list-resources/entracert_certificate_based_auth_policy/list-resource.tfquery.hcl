# The tenant's CBA policy: always one result (terraform query, Terraform 1.14 or later).
list "entracert_certificate_based_auth_policy" "policy" {
  provider = entracert
}
