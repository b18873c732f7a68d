package pki

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"

	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// The address policy of plan-time downloads lives in internal/download, shared with the CRL checks, and each
// provider instance owns one (clients.Client.Downloads); these names keep the upload's code and tests short.

type refusedAddressError = download.RefusedAddressError

type redirectRefusedError = download.RedirectRefusedError

// refusedReason says why Graph could never reach ip ("" when it could).
func refusedReason(ip netip.Addr) string { return download.RefusedReason(ip) }

// refusedInput is the plan-time diagnostic for a refused address.
func refusedInput(attr path.Path, u *url.URL, err error) error {
	var refused *refusedAddressError
	errors.As(err, &refused)
	name := attr.String()
	where := name + " " + safeURL(u)
	var redirect *redirectRefusedError
	if errors.As(err, &redirect) {
		where += " redirects to " + safeURL(redirect.To)
	}
	return &detailedError{attr, "Cannot download " + name,
		fmt.Sprintf("%s, which leads to %s: %s. Microsoft Graph downloads the file from the internet and can never reach "+
			"such an address, so the provider does not connect to it either (no request was sent to it). Publish the .p7b at a "+
			"public http or https URL, for instance a storage account blob URL with a SAS token.",
			where, refused.Addr, refused.Reason)}
}
