package common

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// IDPart is one "/"-separated part of an import ID, and the identity attribute of the same name.
type IDPart struct {
	Name  string // the identity attribute: "pki_id"
	Label string // how a diagnostic names it: "PKI ID"
	// Check returns the part normalised (GUIDs lower case, digests upper case), or what is wrong with it, as the end
	// of a sentence about it: "is not a GUID (got \"x\")".
	Check func(string) (normal, problem string)
}

// ImportIDForm is the one import-ID parser: an ID of Parts joined by "/", each normalised, so an ID typed in any
// letter case imports the same object and the next plan is empty.
type ImportIDForm struct {
	Parts []IDPart
	// Form describes the ID with an example; every diagnostic about a malformed ID ends with it.
	Form string
}

// Parse splits raw and normalises its parts. problem, when not "", is a diagnostic's detail: what is wrong, then Form.
// Blanks are never dropped: an ID with blanks is refused, naming the part that holds them.
func (f ImportIDForm) Parse(raw string) (parts []string, problem string) {
	if strings.TrimSpace(raw) == "" {
		return nil, "The import ID is empty. " + f.Form
	}
	values := []string{raw}
	if len(f.Parts) > 1 {
		values = strings.Split(raw, "/")
	}
	switch n := len(values); {
	case n == 1 && len(f.Parts) > 1:
		labels := make([]string, len(f.Parts))
		for i, p := range f.Parts {
			labels[i] = "the " + p.Label
		}
		return nil, fmt.Sprintf("The import ID %s has no \"/\" between %s. %s", QuoteShort(raw), strings.Join(labels, " and "), f.Form)
	case n != len(f.Parts):
		return nil, fmt.Sprintf("The import ID %s has %d parts separated by \"/\", not %d. %s", QuoteShort(raw), n, len(f.Parts), f.Form)
	}
	out := make([]string, len(values))
	for i, p := range f.Parts {
		normal, bad := p.Check(values[i])
		if bad != "" {
			if len(f.Parts) == 1 {
				return nil, fmt.Sprintf("The import ID %s. %s", bad, f.Form)
			}
			return nil, fmt.Sprintf("The %s in the import ID %s. %s", p.Label, bad, f.Form)
		}
		out[i] = normal
	}
	return out, ""
}

// FromRequest is the import's parts, normalised: from the import ID (`terraform import`, an import block's id), or
// from the identity (an import block's identity, Terraform 1.12+), whose attributes are checked one by one so that
// a bad one is named (identity.thumbprint). Errors are added to diags under "Invalid import ID"; ok is false then.
func (f ImportIDForm) FromRequest(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (parts []string, ok bool) {
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		out, ok := make([]string, len(f.Parts)), true
		for i, p := range f.Parts {
			var v types.String
			if d := req.Identity.GetAttribute(ctx, path.Root(p.Name), &v); d.HasError() {
				diags.Append(d...)
				return nil, false
			}
			normal, bad := p.Check(v.ValueString())
			if bad != "" {
				diags.AddError("Invalid import ID", fmt.Sprintf("identity.%s %s. %s", p.Name, bad, f.Form))
				ok = false
			}
			out[i] = normal
		}
		return out, ok
	}
	out, problem := f.Parse(req.ID)
	if problem != "" {
		diags.AddError("Invalid import ID", problem)
		return nil, false
	}
	return out, true
}
