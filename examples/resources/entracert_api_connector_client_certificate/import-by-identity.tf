# Import a certificate already on an API connector by its identity (Terraform 1.12 and OpenTofu 1.12 and later):
# no compound ID to assemble. Both are case-insensitive: the state holds the connector's ID in lower case and the
# thumbprint in upper case.
import {
  to = entracert_api_connector_client_certificate.current
  identity = {
    api_connector_id = "45715bb8-13f9-4bf6-927f-ef96c102d394"
    thumbprint       = "0EB255CC895477798BA418B378255204304897AD"
  }
}
