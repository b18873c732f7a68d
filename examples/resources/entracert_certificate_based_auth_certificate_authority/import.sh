# Import a CA as {pki_id}/{SHA-1 thumbprint of its certificate}, each in either case (stored as the GUID lower
# case and the thumbprint upper case). The next plan records the configured
# certificate text in place, without writing to Graph.
terraform import entracert_certificate_based_auth_certificate_authority.root 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10/97B4B3728E56D57F944FDE35056EF206612D21ED
