package policy

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var (
	_ list.ListResource              = (*policyListResource)(nil)
	_ list.ListResourceWithConfigure = (*policyListResource)(nil)
)

// NewPolicyListResource lists entracert_certificate_based_auth_policy (Terraform 1.14+ `terraform query`): the
// tenant's one configuration.
func NewPolicyListResource() list.ListResource { return &policyListResource{} }

type policyListResource struct {
	client *clients.Client
}

func (r *policyListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_policy"
}

func (r *policyListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the tenant's certificate-based-authentication policy (Terraform 1.14 or later, `terraform query`): " +
			"always one result, the X.509 certificate authentication method configuration (identity `id = \"X509Certificate\"`), named " +
			"with its state (enabled or disabled). With `include_resource = true` it carries the whole resource, and " +
			"`terraform query -generate-config-out=FILE` writes a resource and an `import` block that plan as an import only. " +
			"The list block takes no arguments.",
	}
}

func (r *policyListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *policyListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if !clients.Require(r.client, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	p, err := r.client.Graph.GetCBAPolicy(ctx)
	if err != nil {
		detail := fmt.Sprintf("Reading the tenant's X.509 certificate authentication configuration: %v", err)
		if graph.IsAccessDenied(err) {
			detail += "\n\nThe provider's identity needs the Microsoft Graph permission Policy.Read.AuthenticationMethod " +
				"(or the Authentication Policy Administrator role)."
		} else {
			detail += "\n\nRun terraform query again once Graph answers."
		}
		diags.AddError("Cannot list the CBA policy", detail)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	result := req.NewListResult(ctx)
	result.DisplayName = policyDisplayName(p)
	result.Diagnostics.Append(common.SetIdentity(ctx, result.Identity, theIdentity)...)
	if vs := unknownEnumValues(p); len(vs) > 0 {
		result.Diagnostics.AddWarning(unknownEnumWarning(vs))
	}
	if req.IncludeResource {
		m, d := policyToModel(ctx, p)
		result.Diagnostics.Append(d...)
		t, dt := common.NullTimeouts(ctx, req.ResourceSchema)
		result.Diagnostics.Append(dt...)
		if !d.HasError() && !dt.HasError() {
			result.Diagnostics.Append(result.Resource.Set(ctx, &policyResourceModel{policyModel: m, Timeouts: t})...)
		}
	}
	stream.Results = func(push func(list.ListResult) bool) { push(result) }
}

// policyDisplayName names the one configuration and says whether CBA is on.
func policyDisplayName(p *graph.CBAPolicy) string {
	state := p.State
	if state == "" {
		state = "state unknown"
	}
	return fmt.Sprintf("X.509 certificate authentication policy (%s)", state)
}
