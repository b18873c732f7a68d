# Import a PKI by its ID.
terraform import entracert_certificate_based_auth_pki.contoso 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10
