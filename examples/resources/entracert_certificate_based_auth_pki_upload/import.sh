# Import an upload as {pki_id}/{SHA-256 of the .p7b}, each in either case (stored as the GUID lower case and the
# hash upper case). The URL cannot be read back from Graph: the next
# terraform apply adopts upload_url from the configuration in place (it downloads and verifies the file and
# records its certificate authorities) without uploading again.
terraform import entracert_certificate_based_auth_pki_upload.contoso 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10/14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA
