package apiconnector

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*connectorsDataSource)(nil)

// NewConnectorsDataSource is the entracert_api_connectors data source: every API connector with its certificates.
func NewConnectorsDataSource() datasource.DataSource { return &connectorsDataSource{} }

type connectorsDataSource struct {
	client *clients.Client
}

type connectorsModel struct {
	APIConnectors []connectorsElementModel `tfsdk:"api_connectors"`
}

type connectorsElementModel struct {
	ID                 types.String                `tfsdk:"id"`
	DisplayName        types.String                `tfsdk:"display_name"`
	TargetURL          types.String                `tfsdk:"target_url"`
	AuthenticationType types.String                `tfsdk:"authentication_type"`
	Certificates       []connectorCertificateModel `tfsdk:"certificates"`
}

func (d *connectorsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_connectors"
}

func (d *connectorsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every Entra External ID / Azure AD B2C API connector of the tenant with the client certificates it " +
			"holds: what `check` blocks watch for expiry and what `import { for_each = ... }` blocks adopt. Graph is asked one request " +
			"per page; the connectors it lists also answer the reads of the rest of the operation (the client certificates' refresh). " +
			"API connectors exist in the global and China clouds only.",
		Attributes: map[string]schema.Attribute{
			"api_connectors": schema.ListNestedAttribute{
				MarkdownDescription: "The API connectors, in Graph's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           str("The connector's object ID: `api_connector_id` of its client certificates."),
					"display_name": str("The connector's display name."),
					"target_url":   str("The URL of the REST API the connector calls."),
					"authentication_type": str("`basic` or `certificate` (client certificates); null when Graph reports another kind of " +
						"authentication."),
					"certificates": schema.ListNestedAttribute{
						MarkdownDescription: "The connector's client certificates, in Graph's order (oldest upload first); empty with basic authentication.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"thumbprint": str("Uppercase hex SHA-1 thumbprint; with the connector's `id`, the certificate's import ID `{api_connector_id}/{thumbprint}`."),
							"not_before": str("Start of validity, RFC 3339 in UTC."),
							"not_after":  str("End of validity, RFC 3339 in UTC: compare it with `timecmp` and `timeadd(plantimestamp(), ...)`."),
							"is_active":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Graph uses this certificate now."},
						}},
					},
				}},
			},
		},
	}
}

func (d *connectorsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *connectorsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !clients.Require(d.client, &resp.Diagnostics) {
		return
	}
	if summary, detail, bad := unsupportedCloud(d.client); bad {
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	list, err := d.client.Graph.ListAPIConnectorsShared(ctx, "")
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the API connectors", fmt.Sprintf("Listing the API connectors failed: %v.", err))
		return
	}
	out := connectorsModel{APIConnectors: make([]connectorsElementModel, 0, len(list))}
	for _, c := range list {
		out.APIConnectors = append(out.APIConnectors, connectorsElement(c))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

func connectorsElement(c graph.APIConnector) connectorsElementModel {
	el := connectorsElementModel{
		ID:                 types.StringValue(c.ID),
		DisplayName:        types.StringValue(c.DisplayName),
		TargetURL:          types.StringValue(c.TargetURL),
		AuthenticationType: types.StringNull(),
		Certificates:       make([]connectorCertificateModel, 0, len(c.Certificates)),
	}
	if c.AuthenticationType != "" {
		el.AuthenticationType = types.StringValue(c.AuthenticationType)
	}
	for _, cert := range c.Certificates {
		el.Certificates = append(el.Certificates, connectorCertificateModel{
			Thumbprint: types.StringValue(cert.Thumbprint),
			NotBefore:  types.StringValue(formatTime(cert.NotBefore)),
			NotAfter:   types.StringValue(formatTime(cert.NotAfter)),
			IsActive:   types.BoolValue(cert.IsActive),
		})
	}
	return el
}
