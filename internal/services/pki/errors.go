package pki

import (
	"errors"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// detailedError is an error that is a diagnostic already: a summary, a detail and the attribute to fix (empty when
// it concerns none). Bad input (a URL, a file, a hash) and the write protocols' own failures are detailedErrors.
type detailedError struct {
	Attribute path.Path
	Summary   string
	Detail    string
}

func (e *detailedError) Error() string { return e.Summary + ": " + e.Detail }

// addError is this package's one mapping of an error to a diagnostic: a detailedError as it is, a PKI job that
// outlived the deadline as such, and anything else from Graph through common.GraphError with f (what was being done,
// the access it needs, the timeout bounding it).
func addError(diags *diag.Diagnostics, err error, f common.Failure) {
	var de *detailedError
	if errors.As(err, &de) {
		if de.Attribute.Equal(path.Empty()) {
			diags.AddError(de.Summary, de.Detail)
		} else {
			diags.AddAttributeError(de.Attribute, de.Summary, de.Detail)
		}
		return
	}
	var sre *graph.PKIJobTimeoutError
	if errors.As(err, &sre) {
		diags.AddError("Stopped waiting for a PKI job", sre.Error()+
			".\n\nNothing was uploaded. Run terraform apply again; raise timeouts if the PKI's jobs take longer.")
		return
	}
	diags.Append(common.GraphError(f, err))
}
