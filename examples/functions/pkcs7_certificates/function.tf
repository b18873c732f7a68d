locals {
  cas = provider::entracert::pkcs7_certificates(filebase64("contoso.p7b"))
}

# Subject key identifiers of the bundle's roots, e.g. for a CBA policy's CA scope.
output "root_ca_key_identifiers" {
  value = [for ca in local.cas : ca.subject_key_identifier if ca.certificate_authority_type == "root"]
}

# Intermediates that publish no CRL (CBA cannot check their revocation).
output "intermediates_without_crl" {
  value = [for ca in local.cas : ca.subject if ca.certificate_authority_type == "intermediate" && ca.crl_distribution_point == null]
}
