# Credentials usually come from ARM_* environment variables, as for the azuread provider.
provider "entracert" {
  # environment = "public"  # or usgovernmentl4, usgovernmentl5, china
  # tenant_id   = "00000000-0000-0000-0000-000000000000"
  # client_id   = "00000000-0000-0000-0000-000000000000"
  # use_oidc    = true
  # ado_pipeline_service_connection_id = "..." # Azure DevOps, with use_oidc
  # use_aks_workload_identity          = true  # AKS workload identity
}
