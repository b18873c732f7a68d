package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ provider.ProviderWithValidateConfig = (*entracertProvider)(nil)

// ValidateConfig checks graph_endpoint while validating and planning, on the attribute, with the one endpoint check
// (graph.CheckEndpoint). The diagnostic never repeats the value: it may hold a password.
func (p *entracertProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var ep types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("graph_endpoint"), &ep)...)
	if resp.Diagnostics.HasError() || ep.IsNull() || ep.IsUnknown() {
		return
	}
	if _, err := checkGraphEndpoint(ep.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("graph_endpoint"), "Invalid graph_endpoint",
			"The graph_endpoint value is not usable: "+err.Error()+".")
	}
}
