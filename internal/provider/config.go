package provider

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// providerModel is the provider block as Terraform gives it.
type providerModel struct {
	Environment               types.String `tfsdk:"environment"`
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientIDFilePath          types.String `tfsdk:"client_id_file_path"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientSecretFilePath      types.String `tfsdk:"client_secret_file_path"`
	ClientCertificate         types.String `tfsdk:"client_certificate"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	UseOIDC                   types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                 types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestToken          types.String `tfsdk:"oidc_request_token"`
	OIDCRequestURL            types.String `tfsdk:"oidc_request_url"`
	ADOServiceConnectionID    types.String `tfsdk:"ado_pipeline_service_connection_id"`
	UseAKSWorkloadIdentity    types.Bool   `tfsdk:"use_aks_workload_identity"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	MSIEndpoint               types.String `tfsdk:"msi_endpoint"`
	PartnerID                 types.String `tfsdk:"partner_id"`
	DisableTerraformPartnerID types.Bool   `tfsdk:"disable_terraform_partner_id"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	AccessToken               types.String `tfsdk:"access_token"`
	GraphEndpoint             types.String `tfsdk:"graph_endpoint"`
	SkipCRLPreflight          types.Bool   `tfsdk:"skip_crl_preflight"`
}

// settings is the provider configuration after environment fallbacks, file reads and checks.
type settings struct {
	Cloud cloud
	// GraphEndpoint is the Graph root the client calls ({GraphEndpoint}/v1.0): the cloud's, or graph_endpoint.
	GraphEndpoint string

	TenantID                  string
	ClientID                  string
	ClientSecret              string
	ClientCertificate         []byte // PFX
	ClientCertificatePassword string
	UseOIDC                   bool
	OIDCToken                 string
	OIDCTokenFilePath         string
	OIDCRequestToken          string
	OIDCRequestURL            string
	// ADOServiceConnectionID selects Azure DevOps OIDC: the ID token is requested for this service connection.
	ADOServiceConnectionID string
	// UseAKSWorkloadIdentity takes the client ID, tenant ID and federated token file from the AKS webhook's
	// AZURE_* variables; it turns OIDC on as use_oidc does.
	UseAKSWorkloadIdentity bool
	UseMSI                 bool
	// MSIEndpoint replaces the managed identity endpoint azidentity detects (IMDS, App Service, ...).
	MSIEndpoint string
	// PartnerID is the GUID sent as "pid-{guid}" in the User-Agent ("" sends none).
	PartnerID   string
	UseCLI      bool
	AccessToken string
	// SkipCRLPreflight turns off the CBA policy's plan-time CRL downloads (a runner that cannot reach the CRL hosts).
	SkipCRLPreflight bool
}

// environ is how settings are looked up outside the configuration; tests replace it.
type environ struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

var osEnviron = environ{Getenv: os.Getenv, ReadFile: os.ReadFile}

// resolveSettings applies each attribute's environment fallback (the attribute wins) and checks the result.
func resolveSettings(m providerModel, env environ) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	str := func(v types.String, envNames ...string) string {
		if !v.IsNull() && !v.IsUnknown() {
			return v.ValueString()
		}
		for _, n := range envNames {
			if s := env.Getenv(n); s != "" {
				return s
			}
		}
		return ""
	}
	boolean := func(attr string, v types.Bool, envName string, def bool) bool {
		if !v.IsNull() && !v.IsUnknown() {
			return v.ValueBool()
		}
		s := env.Getenv(envName)
		if s == "" {
			return def
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Invalid environment variable "+envName,
				fmt.Sprintf("%s=%q is not a boolean: set it to true or false.", envName, s))
			return def
		}
		return b
	}
	// fromFile reads a value given by path, trimmed, and checks it against the same value given directly.
	fromFile := func(attr, direct, filePath, fileAttr string) string {
		if filePath == "" {
			return direct
		}
		b, err := env.ReadFile(filePath)
		if err != nil {
			diags.AddAttributeError(path.Root(fileAttr), "Cannot read "+fileAttr,
				fmt.Sprintf("Reading %q failed: %v. Check the path, or set %s instead.", filePath, err, attr))
			return direct
		}
		fromFile := strings.TrimSpace(string(b))
		if direct != "" && direct != fromFile {
			diags.AddAttributeError(path.Root(fileAttr), "Conflicting "+attr,
				fmt.Sprintf("%s and the content of %s (%q) differ: set only one of them (or the ARM_ environment variables).", attr, fileAttr, filePath))
		}
		return fromFile
	}

	var s settings
	c, err := lookupCloud(str(m.Environment, "ARM_ENVIRONMENT"))
	if err != nil {
		diags.AddAttributeError(path.Root("environment"), "Unknown environment", err.Error())
	}
	s.Cloud = c
	s.GraphEndpoint = c.GraphRoot
	if ep := str(m.GraphEndpoint, "ARM_GRAPH_ENDPOINT"); ep != "" {
		root, err := checkGraphEndpoint(ep)
		if err != nil {
			diags.AddAttributeError(path.Root("graph_endpoint"), "Invalid graph_endpoint", "The graph_endpoint value (or ARM_GRAPH_ENDPOINT) is not usable: "+err.Error()+".")
		} else {
			s.GraphEndpoint = root
		}
	}

	s.TenantID = str(m.TenantID, "ARM_TENANT_ID")
	s.ClientID = fromFile("client_id", str(m.ClientID, "ARM_CLIENT_ID"),
		str(m.ClientIDFilePath, "ARM_CLIENT_ID_FILE_PATH"), "client_id_file_path")
	s.ClientSecret = fromFile("client_secret", str(m.ClientSecret, "ARM_CLIENT_SECRET"),
		str(m.ClientSecretFilePath, "ARM_CLIENT_SECRET_FILE_PATH"), "client_secret_file_path")

	certB64 := str(m.ClientCertificate, "ARM_CLIENT_CERTIFICATE")
	if certB64 != "" {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(certB64))
		if err != nil {
			diags.AddAttributeError(path.Root("client_certificate"), "Invalid client_certificate",
				"client_certificate must be a base64-encoded PFX, e.g. filebase64(\"sp.pfx\"); it is not valid base64.")
		}
		s.ClientCertificate = b
	}
	if certPath := str(m.ClientCertificatePath, "ARM_CLIENT_CERTIFICATE_PATH"); certPath != "" {
		b, err := env.ReadFile(certPath)
		switch {
		case err != nil:
			diags.AddAttributeError(path.Root("client_certificate_path"), "Cannot read client_certificate_path",
				fmt.Sprintf("Reading %q failed: %v. Check the path, or give the PFX in client_certificate.", certPath, err))
		case s.ClientCertificate != nil && !bytes.Equal(s.ClientCertificate, b):
			diags.AddAttributeError(path.Root("client_certificate_path"), "Conflicting client_certificate",
				"client_certificate and the file at client_certificate_path differ: set only one of them.")
		default:
			s.ClientCertificate = b
		}
	}
	s.ClientCertificatePassword = str(m.ClientCertificatePassword, "ARM_CLIENT_CERTIFICATE_PASSWORD")

	s.UseOIDC = boolean("use_oidc", m.UseOIDC, "ARM_USE_OIDC", false)
	s.OIDCToken = str(m.OIDCToken, "ARM_OIDC_TOKEN")
	s.OIDCTokenFilePath = str(m.OIDCTokenFilePath, "ARM_OIDC_TOKEN_FILE_PATH")
	// The Azure DevOps variables come last, as in azuread: a GitHub runner never sets them.
	s.OIDCRequestToken = str(m.OIDCRequestToken, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_ACCESSTOKEN")
	s.OIDCRequestURL = str(m.OIDCRequestURL, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL", "SYSTEM_OIDCREQUESTURI")
	// ARM_OIDC_AZURE_SERVICE_CONNECTION_ID is azapi's name for it.
	s.ADOServiceConnectionID = str(m.ADOServiceConnectionID, "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID")
	s.UseAKSWorkloadIdentity = boolean("use_aks_workload_identity", m.UseAKSWorkloadIdentity, "ARM_USE_AKS_WORKLOAD_IDENTITY", false)
	if s.UseAKSWorkloadIdentity {
		applyAKSWorkloadIdentity(&s, env, &diags)
	}
	s.SkipCRLPreflight = boolean("skip_crl_preflight", m.SkipCRLPreflight, "ENTRACERT_SKIP_CRL_PREFLIGHT", false)
	s.UseMSI = boolean("use_msi", m.UseMSI, "ARM_USE_MSI", false)
	if ep := str(m.MSIEndpoint, "ARM_MSI_ENDPOINT"); ep != "" {
		if err := checkMSIEndpoint(ep); err != nil {
			diags.AddAttributeError(path.Root("msi_endpoint"), "Invalid msi_endpoint", err.Error())
		}
		s.MSIEndpoint = strings.TrimSpace(ep)
	}
	s.PartnerID = strings.TrimSpace(str(m.PartnerID, "ARM_PARTNER_ID"))
	if s.PartnerID != "" && !isGUID(s.PartnerID) {
		diags.AddAttributeError(path.Root("partner_id"), "Invalid partner_id",
			fmt.Sprintf("partner_id (or ARM_PARTNER_ID) is %q, which is not a GUID: give the GUID Microsoft registered for "+
				"your partner attribution, e.g. 00000000-0000-0000-0000-000000000000, or leave it unset.", s.PartnerID))
	}
	disablePartnerID := boolean("disable_terraform_partner_id", m.DisableTerraformPartnerID, "ARM_DISABLE_TERRAFORM_PARTNER_ID", false)
	if s.PartnerID == "" && !disablePartnerID {
		s.PartnerID = terraformPartnerID
	}
	s.UseCLI = boolean("use_cli", m.UseCLI, "ARM_USE_CLI", true)
	s.AccessToken = str(m.AccessToken, "ARM_ACCESS_TOKEN")
	return s, diags
}

// checkGraphEndpoint validates a graph_endpoint override (graph.CheckEndpoint, the one check) and returns it
// without a trailing slash. Its errors never echo the value, which may hold a password.
func checkGraphEndpoint(raw string) (string, error) {
	return graph.CheckEndpoint(raw)
}

// isLoopbackHost: 127.0.0.0/8, ::1 or localhost, the one definition of the Graph layer.
func isLoopbackHost(host string) bool { return graph.IsLoopbackHost(host) }
