package pki

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// The address policy of plan-time downloads lives in internal/download, shared with the CRL checks; these names
// keep the upload's code and tests as they were.

// downloadPolicy decides which addresses the pre-flight download may connect to (download.Policy).
type downloadPolicy = download.Policy

type refusedAddressError = download.RefusedAddressError

type redirectRefusedError = download.RedirectRefusedError

// withDownloadPolicy makes fetchBundle apply p to downloads made with ctx.
func withDownloadPolicy(ctx context.Context, p downloadPolicy) context.Context {
	return download.WithPolicy(ctx, p)
}

// downloadPolicyFor is the policy of a configured provider.
func downloadPolicyFor(c *clients.Client) downloadPolicy {
	return downloadPolicy{AllowLoopback: c != nil && c.AllowLoopbackDownloads}
}

// AllowLoopbackDownloadsFrom records that a provider in this process talks to a loopback Graph emulator at
// hostport (download.AllowLoopbackFrom).
func AllowLoopbackDownloadsFrom(hostport string) { download.AllowLoopbackFrom(hostport) }

// downloadPolicyFrom is ctx's policy; without one, loopback is allowed only to registered emulator addresses.
func downloadPolicyFrom(ctx context.Context) downloadPolicy { return download.PolicyFrom(ctx) }

// refusedReason says why Graph could never reach ip ("" when it could).
var refusedReason = download.RefusedReason

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
