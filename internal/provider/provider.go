// Package provider is the entracert provider: its schema, configuration, credential and cloud selection.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/entracert/terraform-provider-entracert/internal/functions"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/apiconnector"
	"github.com/entracert/terraform-provider-entracert/internal/services/pki"
	cbapolicy "github.com/entracert/terraform-provider-entracert/internal/services/policy"
	"github.com/entracert/terraform-provider-entracert/internal/services/users"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var _ provider.Provider = (*entracertProvider)(nil)
var _ provider.ProviderWithFunctions = (*entracertProvider)(nil)

type entracertProvider struct {
	version string
	clock   clock.Clock
}

// New returns the provider factory; version is set by release ldflags.
func New(version string) func() provider.Provider { return NewWithClock(version, clock.Real{}) }

// NewWithClock is New with the clock every retry, wait and expiry check uses, so acceptance tests share one fake
// clock with the Graph emulator and never wait for real.
func NewWithClock(version string, clk clock.Clock) func() provider.Provider {
	return func() provider.Provider { return &entracertProvider{version: version, clock: clk} }
}

func (p *entracertProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entracert"
	resp.Version = p.version
}

func (p *entracertProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func(desc string, sensitive bool) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Microsoft Entra certificates through Microsoft Graph: the client certificates of " +
			"API connectors and the trusted certificate authorities of certificate-based-authentication PKIs.",
		Attributes: map[string]schema.Attribute{
			"environment": str("The Entra cloud: `public` (default), `usgovernmentl4`, `usgovernmentl5` or `china`; "+
				"aliases `global`, `usgovernment`, `dod`; case-insensitive. Environment variable `ARM_ENVIRONMENT`.", false),
			"tenant_id": str("The tenant (directory) ID. Environment variable `ARM_TENANT_ID`.", false),
			"client_id": str("The application (client) ID of the service principal, or of a user-assigned managed identity "+
				"with `use_msi`. Environment variable `ARM_CLIENT_ID`.", false),
			"client_id_file_path": str("A file holding the client ID. Must agree with `client_id` when both are set. "+
				"Environment variable `ARM_CLIENT_ID_FILE_PATH`.", false),
			"client_secret": str("A client secret of the service principal. Environment variable `ARM_CLIENT_SECRET`.", true),
			"client_secret_file_path": str("A file holding the client secret. Environment variable "+
				"`ARM_CLIENT_SECRET_FILE_PATH`.", false),
			"client_certificate": str("A base64-encoded PFX with the service principal's certificate and key, e.g. "+
				"`filebase64(\"sp.pfx\")`. Environment variable `ARM_CLIENT_CERTIFICATE`.", true),
			"client_certificate_path": str("Path to that PFX. Environment variable `ARM_CLIENT_CERTIFICATE_PATH`.", false),
			"client_certificate_password": str("The PFX's password. Environment variable "+
				"`ARM_CLIENT_CERTIFICATE_PASSWORD`.", true),
			"use_oidc": boolean("Authenticate with workload identity federation (OIDC), GitHub Actions included. " +
				"Environment variable `ARM_USE_OIDC`."),
			"oidc_token": str("A federated ID token. Environment variable `ARM_OIDC_TOKEN`.", true),
			"oidc_token_file_path": str("A file holding the federated ID token, read at each use. Environment variable "+
				"`ARM_OIDC_TOKEN_FILE_PATH`.", false),
			"oidc_request_token": str("The bearer token for `oidc_request_url`. Environment variables "+
				"`ARM_OIDC_REQUEST_TOKEN`, then `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (GitHub Actions), then `SYSTEM_ACCESSTOKEN` "+
				"(Azure DevOps).", true),
			"oidc_request_url": str("The URL that issues ID tokens (GitHub Actions, or Azure DevOps with "+
				"`ado_pipeline_service_connection_id`). Environment variables `ARM_OIDC_REQUEST_URL`, then "+
				"`ACTIONS_ID_TOKEN_REQUEST_URL`, then `SYSTEM_OIDCREQUESTURI`.", false),
			"ado_pipeline_service_connection_id": str("The ID of the Azure DevOps service connection (workload identity "+
				"federation) to authenticate as, with `use_oidc`; the ID token is requested from `oidc_request_url` "+
				"(`SYSTEM_OIDCREQUESTURI`) with `oidc_request_token` (`SYSTEM_ACCESSTOKEN`). Environment variables "+
				"`ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID`, then `ARM_OIDC_AZURE_SERVICE_CONNECTION_ID`.", false),
			"use_aks_workload_identity": boolean("Authenticate with AKS workload identity: `client_id`, `tenant_id` and the " +
				"federated token file come from `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and `AZURE_FEDERATED_TOKEN_FILE`, which " +
				"the workload identity webhook sets; implies `use_oidc`. Environment variable `ARM_USE_AKS_WORKLOAD_IDENTITY`."),
			"use_msi": boolean("Authenticate with a managed identity (user-assigned when `client_id` is set). " +
				"Environment variable `ARM_USE_MSI`."),
			"msi_endpoint": str("A managed identity token endpoint to use instead of the one detected (IMDS, App Service, "+
				"Azure Arc, ...), with `use_msi`. Environment variable `ARM_MSI_ENDPOINT`.", false),
			"partner_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A GUID registered with Microsoft for partner usage attribution, sent as `pid-{guid}` in " +
					"the User-Agent instead of Terraform's. Environment variable `ARM_PARTNER_ID`.",
				Validators: []validator.String{stringvalidator.RegexMatches(guidPattern,
					"must be a GUID (e.g. 00000000-0000-0000-0000-000000000000) registered with Microsoft for partner attribution")},
			},
			"disable_terraform_partner_id": boolean("Do not send Terraform's partner ID (`pid-" + terraformPartnerID + "`) " +
				"in the User-Agent when `partner_id` is not set. Environment variable `ARM_DISABLE_TERRAFORM_PARTNER_ID`."),
			"use_cli": boolean("Authenticate with the Azure CLI's login (default `true`). Environment variable `ARM_USE_CLI`."),
			"access_token": str("A ready bearer token for Microsoft Graph; when set, no other credential is tried. "+
				"Environment variable `ARM_ACCESS_TOKEN`.", true),
			"graph_endpoint": str("Overrides the cloud's Microsoft Graph root, e.g. `http://127.0.0.1:8080` for the "+
				"emulator; the provider calls `{graph_endpoint}/v1.0/...`. Plain http is accepted only for loopback hosts. "+
				"Environment variable `ARM_GRAPH_ENDPOINT`.", false),
			"skip_crl_preflight": boolean("Do not download CRLs while planning the CBA policy (default `false`): for a runner that cannot " +
				"reach the CRL hosts that Entra reaches. Environment variable `ENTRACERT_SKIP_CRL_PREFLIGHT`."),
		},
	}
}

func (p *entracertProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := resolveSettings(m, osEnviron)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, diags := newClient(ctx, s, p.version, p.clock)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
}

// newClient builds the provider data and checks that a token can be had, so a credential problem is
// reported once, at configuration, listing every credential tried.
func newClient(ctx context.Context, s settings, version string, clk clock.Clock) (*clients.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	httpClient := &http.Client{Timeout: 60 * time.Second}
	cred := newChainCredential(credentialSources(s, httpClient))
	scopes := []string{s.Cloud.Scope()}
	tokenCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := cred.GetToken(tokenCtx, policy.TokenRequestOptions{Scopes: scopes}); err != nil {
		diags.AddError("Cannot authenticate to Microsoft Graph",
			err.Error()+"\n\nConfigure one credential (see the provider documentation), or set access_token.")
		return nil, diags
	}
	g, err := graph.New(graph.Options{
		Endpoint:   s.GraphEndpoint,
		Credential: cred,
		Scopes:     scopes,
		UserAgent:  userAgent(version, s.PartnerID, osEnviron.Getenv),
		Clock:      clk,
	})
	if err != nil {
		diags.AddError("Cannot create the Microsoft Graph client", err.Error())
		return nil, diags
	}
	tflog.Debug(ctx, "configured Microsoft Graph client", map[string]any{
		"environment": s.Cloud.Name, "graph_endpoint": s.GraphEndpoint,
	})
	return &clients.Client{
		Graph:            g,
		Environment:      s.Cloud.Name,
		Clock:            clk,
		Locks:            &clients.KeyedMutex{},
		Downloads:        download.ForGraphEndpoint(s.GraphEndpoint), // a loopback emulator's files may be downloaded
		SkipCRLPreflight: s.SkipCRLPreflight,
	}, diags
}

// userAgent is the provider's product token, then Cloud Shell's AZURE_HTTP_USER_AGENT, then "pid-{partner}" as
// azuread sends them (Graph reads one partner ID).
func userAgent(version, partnerID string, getenv func(string) string) string {
	ua := "terraform-provider-entracert/" + version
	if cloudShell := strings.TrimSpace(getenv("AZURE_HTTP_USER_AGENT")); cloudShell != "" {
		ua += " " + cloudShell
	}
	if partnerID != "" {
		ua += " pid-" + partnerID
	}
	return ua
}

// NewClientFromEnvironment builds provider data from ARM_* environment variables alone, as a provider block
// with no attributes would; live acceptance tests use it for out-of-band changes.
func NewClientFromEnvironment(ctx context.Context, version string) (*clients.Client, error) {
	s, diags := resolveSettings(providerModel{}, osEnviron)
	if !diags.HasError() {
		var c *clients.Client
		c, diags = newClient(ctx, s, version, clock.Real{})
		if !diags.HasError() {
			return c, nil
		}
	}
	for _, d := range diags.Errors() {
		return nil, fmt.Errorf("%s: %s", d.Summary(), d.Detail())
	}
	return nil, fmt.Errorf("configuration failed")
}

func (p *entracertProvider) Resources(context.Context) []func() resource.Resource {
	return append(append(append(apiconnector.Resources(), pki.Resources()...), cbapolicy.Resources()...), users.Resources()...)
}

func (p *entracertProvider) DataSources(context.Context) []func() datasource.DataSource {
	return append(append(apiconnector.DataSources(), pki.DataSources()...), cbapolicy.DataSources()...)
}

// Functions are pure certificate computations; they need no provider configuration.
func (p *entracertProvider) Functions(context.Context) []func() function.Function {
	return functions.All()
}
