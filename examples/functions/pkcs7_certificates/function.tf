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

# CAs whose issuer the file does not hold: Entra needs every CA up to the root, so those issuers must already be in
# the PKI (a function cannot warn; test this in a precondition or a check block).
output "issuers_not_in_the_file" {
  value = distinct([for ca in local.cas : ca.missing_issuer if ca.missing_issuer != null])
}
