package apiconnector

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// pfxRequired fails a configuration that gives neither pkcs12_value nor pkcs12_value_wo, saying what to add: such a
// configuration is typically one that terraform wrote itself (query or import with -generate-config-out), which
// cannot hold the PFX because Graph never returns it.
type pfxRequired struct{}

var _ resource.ConfigValidator = pfxRequired{}

func (pfxRequired) Description(context.Context) string {
	return "one of pkcs12_value and pkcs12_value_wo must be set"
}

func (v pfxRequired) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (pfxRequired) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var value, writeOnly types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrPKCS12Value), &value)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrPKCS12ValueWO), &writeOnly)...)
	if resp.Diagnostics.HasError() || !value.IsNull() || !writeOnly.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root(attrPKCS12ValueWO), "The PFX is missing",
		"Set pkcs12_value_wo (or pkcs12_value) to the base64-encoded PFX of the certificate, e.g. filebase64(\"client.pfx\"). "+
			pfxNotReadBack)
}
