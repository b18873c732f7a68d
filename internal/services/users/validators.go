package users

import (
	"context"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// userIDValidator checks that user_id is an object ID or a user principal name.
type userIDValidator struct{}

func (userIDValidator) Description(context.Context) string { return "must be " + userIDForm }

func (v userIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (userIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if p := userIDProblem("user_id", req.ConfigValue.ValueString()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid user_id", p)
	}
}

// certificateUserIDsValidator checks every known value against Entra's table of formats (the same code that builds
// the certificate_user_ids function's values), the limits, and values differing only in letter case. Values not
// known yet are checked when they are.
type certificateUserIDsValidator struct{}

func (certificateUserIDsValidator) Description(context.Context) string {
	return fmt.Sprintf("at most %d values, each at most %d characters, in one of Entra's forms: %s",
		pkcs.MaxCertificateUserIDs, pkcs.MaxCertificateUserIDLength, pkcs.CertificateUserIDForms)
}

func (v certificateUserIDsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (certificateUserIDsValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	var known []string
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		known = append(known, s.ValueString())
	}
	problems := pkcs.CheckCertificateUserIDs(known)
	if len(elems) > pkcs.MaxCertificateUserIDs && len(known) <= pkcs.MaxCertificateUserIDs {
		problems = append(problems, pkcs.CertificateUserIDProblem{Problem: fmt.Sprintf(
			"%d values: Entra holds at most %d certificateUserIds per user.", len(elems), pkcs.MaxCertificateUserIDs)})
	}
	for _, p := range problems {
		summary := "Invalid certificate user ID"
		if p.Value == "" {
			summary = "Too many certificate user IDs"
		}
		resp.Diagnostics.AddAttributeError(req.Path, summary, "certificate_user_ids: "+p.Problem)
	}
}
