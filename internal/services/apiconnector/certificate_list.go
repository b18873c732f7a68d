package apiconnector

import (
	"context"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	fwpath "github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = (*certificateListResource)(nil)
	_ list.ListResourceWithConfigure = (*certificateListResource)(nil)
)

// NewCertificateListResource lists entracert_api_connector_client_certificate (Terraform 1.14+ `terraform query`).
func NewCertificateListResource() list.ListResource { return &certificateListResource{} }

type certificateListResource struct {
	client *clients.Client
}

type certificateListConfig struct {
	APIConnectorID types.String `tfsdk:"api_connector_id"`
}

func (r *certificateListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_connector_client_certificate"
}

// pfxNotReadBack says what a configuration Terraform writes for an existing certificate lacks, and what to add: the
// resource's diagnostic about a missing PFX (plain text; the list resource's documentation says it in Markdown).
const pfxNotReadBack = "Graph never returns a connector's PFX, so a configuration that Terraform writes for an existing " +
	"client certificate (terraform query -generate-config-out, or an import block with plan -generate-config-out) has none. " +
	"Add the PFX of the certificate whose thumbprint the import block names: pkcs12_value_wo = filebase64(\"client.pfx\"), " +
	"and password_wo when the PFX has a password (write-only, Terraform 1.11 or later; the plan is then an import only), or " +
	"pkcs12_value and password (kept in the state; the plan then also updates the resource in place to record them, and " +
	"uploads nothing)."

func (r *certificateListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the client certificates of the tenant's API connectors (Terraform 1.14 or later, `terraform query`). " +
			"Each result is named by the certificate's thumbprint, validity and connector, and carries its identity " +
			"(`api_connector_id`, `thumbprint`); with `include_resource = true` it carries the resource as an import reads it. " +
			"Graph reports neither a certificate's subject nor its PFX: `subject` stays empty until the certificate is next changed, " +
			"as after any import. Connectors on basic authentication have no certificates to list.\n\n" +
			"The configuration that `terraform query -generate-config-out` writes for a certificate has no PFX either, and planning " +
			"it fails with \"The PFX is missing\" until you add the PFX of the certificate its `import` block names " +
			"(`pkcs12_value_wo` and `password_wo`), as this list resource's documentation shows.",
		Attributes: map[string]listschema.Attribute{
			attrAPIConnectorID: listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the certificates of this API connector (its object ID, a GUID). Left out, the " +
					"certificates of every connector of the tenant. A connector that Graph does not have fails the query.",
				Validators: []validator.String{connectorIDValidator{}},
			},
		},
	}
}

func (r *certificateListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *certificateListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg certificateListConfig
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() || !clients.Require(r.client, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if summary, detail, bad := unsupportedCloud(r.client); bad {
		diags.AddError(summary, detail)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var connectors []graph.APIConnector
	if id := cfg.APIConnectorID; !id.IsNull() && !id.IsUnknown() {
		conn, err := r.client.Graph.GetAPIConnectorCached(ctx, id.ValueString())
		switch {
		case graph.IsNotFound(err):
			diags.AddAttributeError(fwpath.Root(attrAPIConnectorID), "No such API connector",
				fmt.Sprintf("Graph has no API connector with ID %s (%v). Set api_connector_id to an existing connector's ID "+
					"(the entracert_api_connector data source looks one up by display_name), or leave it out to list the "+
					"certificates of every connector.", normalizeGUID(id.ValueString()), err))
		case err != nil:
			diags.AddError("Cannot list the client certificates", connectorListProblem("Reading API connector "+id.ValueString(), err))
		default:
			connectors = []graph.APIConnector{*conn}
		}
	} else {
		var err error
		if connectors, err = r.client.Graph.ListAPIConnectorsShared(ctx, ""); err != nil {
			diags.AddError("Cannot list the client certificates", connectorListProblem("Listing the tenant's API connectors", err))
		}
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		for i := range connectors {
			conn := &connectors[i]
			if conn.AuthenticationType != graph.AuthenticationCertificate {
				continue // basic authentication, or none: no certificates
			}
			for j := range conn.Certificates {
				if req.Limit > 0 && n >= req.Limit {
					return
				}
				n++
				if !push(certificateListResult(ctx, req, conn, &conn.Certificates[j])) {
					return
				}
			}
		}
	}
}

// certificateListResult is one certificate as a list result: its thumbprint, validity and connector, its identity
// and, when asked, the state an import of it reads (no PFX, no subject: Graph reports neither).
func certificateListResult(ctx context.Context, req list.ListRequest, conn *graph.APIConnector, info *graph.ClientCertificateInfo) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = certificateDisplayName(conn, info)
	result.Diagnostics.Append(common.SetIdentity(ctx, result.Identity, certificateIdentityOf(conn.ID, info.Thumbprint))...)
	if req.IncludeResource {
		m := certificateModel{
			ID:             types.StringValue(certificateID(conn.ID, info.Thumbprint)),
			APIConnectorID: types.StringValue(normalizeGUID(conn.ID)),
			PKCS12Value:    types.StringNull(),
			PKCS12ValueWO:  types.StringNull(),
			Password:       types.StringNull(),
			PasswordWO:     types.StringNull(),
			Thumbprint:     types.StringValue(info.Thumbprint),
			Subject:        types.StringNull(),
			NotBefore:      types.StringValue(formatTime(info.NotBefore)),
			NotAfter:       types.StringValue(formatTime(info.NotAfter)),
			IsActive:       types.BoolValue(info.IsActive),
		}
		var d diag.Diagnostics
		m.Timeouts, d = nullTimeouts(ctx, req)
		result.Diagnostics.Append(d...)
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	return result
}

// certificateDisplayName names a certificate by what Graph reports of it: thumbprint, validity, whether it is the
// one in use, and its connector.
func certificateDisplayName(conn *graph.APIConnector, info *graph.ClientCertificateInfo) string {
	state := "inactive"
	if info.IsActive {
		state = "active"
	}
	return fmt.Sprintf("%s (valid %s to %s, %s) on API connector %s", info.Thumbprint,
		info.NotBefore.UTC().Format(time.DateOnly), info.NotAfter.UTC().Format(time.DateOnly), state, conn.DisplayName)
}

// nullTimeouts is the resource's timeouts block left out, typed as the resource's schema declares it.
func nullTimeouts(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	return common.NullTimeouts(ctx, req.ResourceSchema)
}

// connectorListProblem is the detail of a failed read of connectors: what was read, Graph's error, what to do.
func connectorListProblem(doing string, err error) string {
	detail := fmt.Sprintf("%s: %v", doing, err)
	if graph.IsAccessDenied(err) {
		return detail + "\n\nThe provider's identity needs the Microsoft Graph permission APIConnectors.Read.All or " +
			"APIConnectors.ReadWrite.All (or the External ID User Flow Administrator role) to list API connectors."
	}
	return detail + "\n\nRun terraform query again once Graph answers."
}
