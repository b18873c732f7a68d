package pki

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// caSettingsModel is one value of certificate_authority_settings: what an admin edits on a CA after an upload.
// A null attribute is not managed (Graph's value stays as it is).
type caSettingsModel struct {
	CRLURL      types.String `tfsdk:"certificate_revocation_list_url"`
	DeltaCRLURL types.String `tfsdk:"delta_certificate_revocation_list_url"`
	IssuerHint  types.Bool   `tfsdk:"is_issuer_hint_enabled"`
}

var caSettingsAttrTypes = map[string]attr.Type{
	"certificate_revocation_list_url":       types.StringType,
	"delta_certificate_revocation_list_url": types.StringType,
	"is_issuer_hint_enabled":                types.BoolType,
}

func caSettingsAttribute() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		MarkdownDescription: "Per-CA settings, keyed by the CA's uppercase SHA-1 thumbprint (as in `certificate_authorities`); " +
			"every key must be a CA of the file. Applied with `PATCH .../certificateAuthorities/{id}` once the CAs are in " +
			"the PKI; a setting changed outside Terraform shows as an update back. An attribute left out is not managed.",
		Optional: true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"certificate_revocation_list_url": schema.StringAttribute{
				MarkdownDescription: "http URL of the CA's certificate revocation list (Entra checks only HTTP distribution points).",
				Optional:            true,
			},
			"delta_certificate_revocation_list_url": schema.StringAttribute{
				MarkdownDescription: "http URL of the CA's delta certificate revocation list.",
				Optional:            true,
			},
			"is_issuer_hint_enabled": schema.BoolAttribute{
				MarkdownDescription: isIssuerHintDescription,
				Optional:            true,
			},
		}},
	}
}

func settingsOf(ctx context.Context, m types.Map) (map[string]caSettingsModel, diag.Diagnostics) {
	out := map[string]caSettingsModel{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// checkSettings fails the plan for a key that is not a CA of the file, or a CRL URL that is not http.
func checkSettings(ctx context.Context, m types.Map, cas []pkcs.CertificateAuthority) diag.Diagnostics {
	var diags diag.Diagnostics
	settings, d := settingsOf(ctx, m)
	diags.Append(d...)
	inFile := map[string]bool{}
	var thumbs []string
	for _, ca := range cas {
		inFile[strings.ToUpper(ca.Thumbprint)] = true
		thumbs = append(thumbs, strings.ToUpper(ca.Thumbprint))
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		at := path.Root("certificate_authority_settings").AtMapKey(k)
		if !inFile[k] {
			diags.AddAttributeError(at, "certificate_authority_settings names a CA that is not in the file",
				fmt.Sprintf("%q is not the uppercase SHA-1 thumbprint of a certificate authority of this file. The file's "+
					"CAs are: %s.", k, strings.Join(thumbs, ", ")))
		}
		s := settings[k]
		for name, v := range map[string]types.String{"certificate_revocation_list_url": s.CRLURL, "delta_certificate_revocation_list_url": s.DeltaCRLURL} {
			if !known(v) || v.ValueString() == "" {
				continue
			}
			if u, err := url.Parse(v.ValueString()); err != nil || u.Scheme != "http" || u.Host == "" {
				// At the map key: Terraform locates a path into an attribute's value only down to a map element.
				diags.AddAttributeError(at, "The CRL URL is not an http URL",
					fmt.Sprintf("certificate_authority_settings[%q].%s is %q; it must be an absolute http:// URL: Entra checks only "+
						"HTTP CRL distribution points.", k, name, v.ValueString()))
			}
		}
	}
	return diags
}

// applySettings PATCHes the CAs whose managed settings differ from Graph's, and returns the CAs as they are then.
func (r *uploadResource) applySettings(ctx context.Context, pkiID string, cas []graph.CertificateAuthority, m types.Map) ([]graph.CertificateAuthority, error) {
	settings, diags := settingsOf(ctx, m)
	if diags.HasError() {
		return cas, fmt.Errorf("reading certificate_authority_settings")
	}
	out := append([]graph.CertificateAuthority(nil), cas...)
	for i, ca := range out {
		s, ok := settings[strings.ToUpper(ca.Thumbprint)]
		if !ok {
			continue
		}
		var want graph.CertificateAuthoritySettings
		change := false
		if known(s.CRLURL) && s.CRLURL.ValueString() != ca.CertificateRevocationListURL {
			v := s.CRLURL.ValueString()
			want.CertificateRevocationListURL, change = &v, true
		}
		if known(s.DeltaCRLURL) && s.DeltaCRLURL.ValueString() != ca.DeltaCertificateRevocationListURL {
			v := s.DeltaCRLURL.ValueString()
			want.DeltaCertificateRevocationListURL, change = &v, true
		}
		if !s.IssuerHint.IsNull() && !s.IssuerHint.IsUnknown() && s.IssuerHint.ValueBool() != ca.IsIssuerHintEnabled {
			v := s.IssuerHint.ValueBool()
			want.IsIssuerHintEnabled, change = &v, true
		}
		if !change {
			continue
		}
		tflog.Info(ctx, "Applying the certificate authority's settings", map[string]any{"thumbprint": ca.Thumbprint})
		got, err := r.client.Graph.UpdateCertificateAuthority(ctx, pkiID, ca.ID, want)
		if err != nil {
			return nil, fmt.Errorf("updating the settings of certificate authority %s (%s) in PKI %s: %w", ca.ID, ca.Thumbprint, pkiID, err)
		}
		if got != nil && got.ID != "" {
			out[i] = *got
		} else {
			if want.CertificateRevocationListURL != nil {
				out[i].CertificateRevocationListURL = *want.CertificateRevocationListURL
			}
			if want.DeltaCertificateRevocationListURL != nil {
				out[i].DeltaCertificateRevocationListURL = *want.DeltaCertificateRevocationListURL
			}
			if want.IsIssuerHintEnabled != nil {
				out[i].IsIssuerHintEnabled = *want.IsIssuerHintEnabled
			}
		}
	}
	return out, nil
}

// refreshSettings sets each managed setting in the state's map to Graph's value, so a change out of band shows.
func refreshSettings(ctx context.Context, m types.Map, cas []graph.CertificateAuthority) (types.Map, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() {
		return m, nil
	}
	settings, diags := settingsOf(ctx, m)
	if diags.HasError() {
		return m, diags
	}
	byThumb := map[string]graph.CertificateAuthority{}
	for _, ca := range cas {
		byThumb[strings.ToUpper(ca.Thumbprint)] = ca
	}
	for k, s := range settings {
		ca, ok := byThumb[k]
		if !ok {
			continue
		}
		if !s.CRLURL.IsNull() {
			s.CRLURL = types.StringValue(ca.CertificateRevocationListURL)
		}
		if !s.DeltaCRLURL.IsNull() {
			s.DeltaCRLURL = types.StringValue(ca.DeltaCertificateRevocationListURL)
		}
		if !s.IssuerHint.IsNull() {
			s.IssuerHint = types.BoolValue(ca.IsIssuerHintEnabled)
		}
		settings[k] = s
	}
	out, d := types.MapValueFrom(ctx, types.ObjectType{AttrTypes: caSettingsAttrTypes}, settings)
	diags.Append(d...)
	return out, diags
}
