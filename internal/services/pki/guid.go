package pki

import (
	"context"
	"strconv"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/services/common"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// normalGUID returns s lower case (Graph writes ids lower case and compares them case-insensitively) when it is a
// GUID, surrounding blanks removed.
func normalGUID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !common.GUIDPattern.MatchString(s) {
		return "", false
	}
	return strings.ToLower(s), true
}

// pkiIDValidator checks that pki_id is a GUID, naming the attribute and the expected form.
type pkiIDValidator struct{}

func (pkiIDValidator) Description(context.Context) string {
	return "must be the ID of a PKI, a GUID such as 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
}

func (v pkiIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v pkiIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, ok := normalGUID(req.ConfigValue.ValueString()); !ok || strings.TrimSpace(req.ConfigValue.ValueString()) != req.ConfigValue.ValueString() {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid PKI ID",
			"pki_id "+v.Description(ctx)+", e.g. entracert_certificate_based_auth_pki.example.id; got "+quoteShort(req.ConfigValue.ValueString())+".")
	}
}

// quoteShort quotes s for a diagnostic, cut to 80 characters.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return strconv.Quote(s)
}
