// Package users manages what certificate-based authentication needs on Entra users: the certificateUserIds its
// username bindings match user certificates against.
package users

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Resources lists this area's resources for the provider.
func Resources() []func() resource.Resource {
	return []func() resource.Resource{NewCertificateUserIDsResource}
}
