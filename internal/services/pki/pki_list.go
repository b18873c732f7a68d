package pki

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = (*pkiListResource)(nil)
	_ list.ListResourceWithConfigure = (*pkiListResource)(nil)
)

// NewPKIListResource lists entracert_certificate_based_auth_pki (Terraform 1.14+ `terraform query`).
func NewPKIListResource() list.ListResource { return &pkiListResource{} }

type pkiListResource struct {
	client *clients.Client
}

type pkiListConfig struct {
	DisplayName types.String `tfsdk:"display_name"`
}

func (r *pkiListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_pki"
}

func (r *pkiListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the tenant's certificate-based-authentication PKIs (Terraform 1.14 or later, `terraform query`). " +
			"Each result is named by the PKI's display name and carries its identity (`id`); with `include_resource = true` it carries " +
			"the whole resource, and `terraform query -generate-config-out=FILE` writes a resource and an `import` block for each PKI " +
			"that plan as imports only.",
		Attributes: map[string]listschema.Attribute{
			"display_name": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the PKIs with exactly this display name (letter case included). Left out, every PKI of " +
					"the tenant.",
			},
		},
	}
}

func (r *pkiListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *pkiListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg pkiListConfig
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() || !clients.Require(r.client, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	pkis, err := r.client.Graph.ListPKIsShared(ctx, cfg.DisplayName.ValueString())
	if err != nil {
		diags.AddError("Cannot list the PKIs", listProblem("Listing the tenant's PKIs", err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range pkis {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(pkiListResult(ctx, req, &pkis[i])) {
				return
			}
		}
	}
}

// pkiListResult is one PKI as a list result: its name, its identity and, when asked, the state an import of it reads.
func pkiListResult(ctx context.Context, req list.ListRequest, p *graph.PKI) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = p.DisplayName
	result.Diagnostics.Append(common.SetIdentity(ctx, result.Identity, pkiIdentityOf(p.ID))...)
	if req.IncludeResource {
		var m pkiModel
		pkiToModel(p, &m)
		var d diag.Diagnostics
		m.Timeouts, d = nullTimeouts(ctx, req)
		result.Diagnostics.Append(d...)
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	return result
}

// nullTimeouts is the resource's timeouts block left out, typed as the resource's schema declares it.
func nullTimeouts(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	return common.NullTimeouts(ctx, req.ResourceSchema)
}

// listProblem is the detail of a failed list: what was read, Graph's error, and what to do about a refusal.
func listProblem(doing string, err error) string {
	detail := fmt.Sprintf("%s: %v", doing, err)
	if graph.IsAccessDenied(err) {
		detail += "\n\nThe provider's identity needs the Microsoft Graph permission PublicKeyInfrastructure.Read.All (or the " +
			"Authentication Administrator role) to list PKIs and their certificate authorities."
	} else {
		detail += "\n\nRun terraform query again once Graph answers."
	}
	return detail
}
