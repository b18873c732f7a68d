package apiconnector

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure        = (*connectorDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*connectorDataSource)(nil)
)

// NewConnectorDataSource is the entracert_api_connector data source.
func NewConnectorDataSource() datasource.DataSource { return &connectorDataSource{} }

type connectorDataSource struct {
	client *clients.Client
}

type connectorModel struct {
	ID                 types.String                `tfsdk:"id"`
	DisplayName        types.String                `tfsdk:"display_name"`
	TargetURL          types.String                `tfsdk:"target_url"`
	AuthenticationType types.String                `tfsdk:"authentication_type"`
	Certificates       []connectorCertificateModel `tfsdk:"certificates"`
	ActiveThumbprint   types.String                `tfsdk:"active_thumbprint"`
	Timeouts           timeouts.Value              `tfsdk:"timeouts"`
}

type connectorCertificateModel struct {
	Thumbprint types.String `tfsdk:"thumbprint"`
	NotBefore  types.String `tfsdk:"not_before"`
	NotAfter   types.String `tfsdk:"not_after"`
	IsActive   types.Bool   `tfsdk:"is_active"`
}

func (d *connectorDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_connector"
}

func (d *connectorDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an Entra External ID / Azure AD B2C API connector, by `id` or by `display_name`, with the " +
			"client certificates it holds. API connectors exist in the global and China clouds only.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The connector's object ID, a GUID (any letter case). Exactly one of `id` and `display_name` is required. " +
					"A connector that Graph does not find is looked for again for 30 seconds (one created moments ago may not be replicated yet), then the read fails.",
				Validators: []validator.String{connectorIDValidator{}},
			},
			"display_name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "The connector's display name, matched exactly; exactly one connector must have it.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"target_url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The URL of the REST API the connector calls.",
			},
			"authentication_type": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`basic` or `certificate` (client certificates); null when Graph reports another kind of " +
					"authentication.",
			},
			"certificates": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The connector's client certificates, in Graph's order; empty with basic authentication.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"thumbprint": schema.StringAttribute{Computed: true, MarkdownDescription: "Uppercase hex SHA-1 thumbprint."},
						"not_before": schema.StringAttribute{Computed: true, MarkdownDescription: "Start of validity, RFC 3339 in UTC."},
						"not_after":  schema.StringAttribute{Computed: true, MarkdownDescription: "End of validity, RFC 3339 in UTC."},
						"is_active":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Graph uses this certificate now."},
					},
				},
			},
			"active_thumbprint": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The thumbprint of the certificate Graph uses now; null when none is active.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (d *connectorDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *connectorDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *connectorDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m connectorModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !clients.Require(d.client, &resp.Diagnostics) {
		return
	}
	if summary, detail, bad := unsupportedCloud(d.client); bad {
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	timeout, diags := m.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var conn *graph.APIConnector
	if !m.ID.IsNull() {
		id := m.ID.ValueString()
		c, err := d.client.Graph.GetAPIConnectorCached(ctx, id)
		if graph.IsNotFound(err) {
			// Created elsewhere moments ago, it may not be replicated yet.
			c, err = d.client.Graph.WaitForAPIConnector(ctx, id, d.client.Clock.Now().Add(graph.APIConnectorVisibleWindow))
		}
		switch {
		case graph.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("id"), "API connector not found",
				fmt.Sprintf("No API connector with ID %q exists (Graph answered 404 Not Found, also after looking again for %s). "+
					"Check the ID, or look the connector up by display_name.", normalizeGUID(id), graph.APIConnectorVisibleWindow))
			return
		case err != nil:
			resp.Diagnostics.AddError("Cannot read the API connector", fmt.Sprintf("Reading API connector %s failed: %v.", id, err))
			return
		}
		conn = c
	} else {
		name := m.DisplayName.ValueString()
		list, err := d.client.Graph.ListAPIConnectors(ctx, name)
		if err != nil {
			resp.Diagnostics.AddError("Cannot list the API connectors", fmt.Sprintf("Listing API connectors named %q failed: %v.", name, err))
			return
		}
		// Graph's filter is case-insensitive; the attribute promises an exact match.
		var matches []graph.APIConnector
		for _, c := range list {
			if c.DisplayName == name {
				matches = append(matches, c)
			}
		}
		switch len(matches) {
		case 1:
			conn = &matches[0]
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "No API connector has this display name",
				fmt.Sprintf("Found 0 API connectors named %q. Check the name (it must match exactly), or use id.", name))
			return
		default:
			ids := ""
			for i, c := range matches {
				if i > 0 {
					ids += ", "
				}
				ids += c.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Several API connectors have this display name",
				fmt.Sprintf("Found %d API connectors named %q (%s). Use id to pick one.", len(matches), name, ids))
			return
		}
	}

	if m.ID.IsNull() {
		m.ID = types.StringValue(conn.ID)
	} // else as configured: Graph may answer another letter case, and Terraform wants the configured value back
	m.DisplayName = types.StringValue(conn.DisplayName)
	m.TargetURL = types.StringValue(conn.TargetURL)
	m.AuthenticationType = types.StringNull()
	if conn.AuthenticationType != "" {
		m.AuthenticationType = types.StringValue(conn.AuthenticationType)
	}
	m.Certificates = []connectorCertificateModel{}
	m.ActiveThumbprint = types.StringNull()
	for _, c := range conn.Certificates {
		m.Certificates = append(m.Certificates, connectorCertificateModel{
			Thumbprint: types.StringValue(c.Thumbprint),
			NotBefore:  types.StringValue(formatTime(c.NotBefore)),
			NotAfter:   types.StringValue(formatTime(c.NotAfter)),
			IsActive:   types.BoolValue(c.IsActive),
		})
		if c.IsActive {
			m.ActiveThumbprint = types.StringValue(c.Thumbprint)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
