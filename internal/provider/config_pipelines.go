package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// terraformPartnerID is Microsoft's partner ID for Terraform, which azuread and azurerm send in the User-Agent
// unless partner_id replaces it or disable_terraform_partner_id drops it.
const terraformPartnerID = "222c6c49-1b0a-5959-a213-6608f9eb8820"

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isGUID(s string) bool { return guidPattern.MatchString(s) }

// The variables the AKS workload identity webhook injects into a labelled pod.
const (
	envAKSClientID           = "AZURE_CLIENT_ID"
	envAKSTenantID           = "AZURE_TENANT_ID"
	envAKSFederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE"
)

// applyAKSWorkloadIdentity takes the client ID, tenant ID and federated token file from the webhook's variables,
// as azuread does: a value also configured must agree with the webhook's, and the token file must be there.
func applyAKSWorkloadIdentity(s *settings, env environ, diags *diag.Diagnostics) {
	reconcile := func(attr string, current *string, envName string) {
		v := strings.TrimSpace(env.Getenv(envName))
		if v == "" {
			return
		}
		if *current != "" && *current != v {
			diags.AddAttributeError(path.Root(attr), "Conflicting "+attr,
				fmt.Sprintf("%s is %q but AKS workload identity provides %q in %s: remove %s (or its ARM_ variable), "+
					"make them agree, or set use_aks_workload_identity = false.", attr, *current, v, envName, attr))
			return
		}
		*current = v
	}
	reconcile("client_id", &s.ClientID, envAKSClientID)
	reconcile("tenant_id", &s.TenantID, envAKSTenantID)

	tokenFile := strings.TrimSpace(env.Getenv(envAKSFederatedTokenFile))
	switch {
	case tokenFile == "" && s.OIDCToken == "" && s.OIDCTokenFilePath == "":
		diags.AddAttributeError(path.Root("use_aks_workload_identity"), "No federated token for AKS workload identity",
			"use_aks_workload_identity is true but AZURE_FEDERATED_TOKEN_FILE is not set: label the pod "+
				"azure.workload.identity/use: \"true\" and give it a service account with azure.workload.identity/client-id, "+
				"or set oidc_token_file_path.")
	case tokenFile == "" || tokenFile == s.OIDCTokenFilePath:
	case s.OIDCToken == "" && s.OIDCTokenFilePath == "":
		s.OIDCTokenFilePath = tokenFile
	default:
		// Both configured: like azuread, accept them only when they hold the same token.
		aks, err := env.ReadFile(tokenFile)
		if err != nil {
			diags.AddAttributeError(path.Root("use_aks_workload_identity"), "Cannot read the AKS federated token",
				fmt.Sprintf("Reading AZURE_FEDERATED_TOKEN_FILE (%q) failed: %v. Check the pod's workload identity setup.", tokenFile, err))
			return
		}
		configured := s.OIDCToken
		if configured == "" {
			b, err := env.ReadFile(s.OIDCTokenFilePath)
			if err != nil {
				diags.AddAttributeError(path.Root("oidc_token_file_path"), "Cannot read oidc_token_file_path",
					fmt.Sprintf("Reading %q failed: %v. Check the path, or leave it unset to use AKS workload identity's file.", s.OIDCTokenFilePath, err))
				return
			}
			configured = string(b)
		}
		if strings.TrimSpace(configured) != strings.TrimSpace(string(aks)) {
			diags.AddAttributeError(path.Root("use_aks_workload_identity"), "Conflicting federated tokens",
				"oidc_token or oidc_token_file_path holds a different token than AZURE_FEDERATED_TOKEN_FILE, the file AKS "+
					"workload identity provides: remove one of them, or set use_aks_workload_identity = false.")
			return
		}
		s.OIDCToken, s.OIDCTokenFilePath = "", tokenFile
	}
}

// checkMSIEndpoint validates msi_endpoint: an absolute http(s) URL; plain http only to loopback or the link-local
// IMDS address, as managed identity endpoints are.
func checkMSIEndpoint(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%q is not an absolute http(s) URL: give the managed identity token endpoint, e.g. "+
			"http://169.254.169.254/metadata/identity/oauth2/token", raw)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) && !strings.HasPrefix(u.Hostname(), "169.254.") {
		return fmt.Errorf("%q uses plain http to a host that is neither loopback nor link-local (169.254.0.0/16): "+
			"use https, or the endpoint your platform gives", raw)
	}
	return nil
}
