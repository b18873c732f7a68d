// Package functions holds the provider functions: pure computations over certificates (internal/pkcs),
// with no Graph and no network. They need Terraform 1.8+ or OpenTofu 1.7+.
package functions

import (
	"github.com/hashicorp/terraform-plugin-framework/function"
)

// All returns every provider function, for provider.ProviderWithFunctions.
func All() []func() function.Function {
	return []func() function.Function{
		NewPKCS12Certificate,
		NewPKCS7Certificates,
		NewCertificateUserIDs,
	}
}
