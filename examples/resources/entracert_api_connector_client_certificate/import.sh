# Import a certificate already on an API connector by {api_connector_id}/{thumbprint}, in any letter case: the state
# holds the connector's ID in lower case and the thumbprint in upper case. Afterwards, a plan with the same PFX in the
# configuration is empty.
terraform import entracert_api_connector_client_certificate.current 45715bb8-13f9-4bf6-927f-ef96c102d394/0EB255CC895477798BA418B378255204304897AD
