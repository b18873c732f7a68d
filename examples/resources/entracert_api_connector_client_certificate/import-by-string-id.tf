# Import a certificate already on an API connector by ID (Terraform 1.5 and later): {api_connector_id}/{thumbprint}.
import {
  to = entracert_api_connector_client_certificate.current
  id = "45715bb8-13f9-4bf6-927f-ef96c102d394/0EB255CC895477798BA418B378255204304897AD"
}
